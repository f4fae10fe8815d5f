/**
 * `batchDeleteCSRs` through real federation routers — @apollo/gateway and Hive Gateway, each serving
 * the supergraph composed from this subgraph and a second one — to the gateway and on to the
 * simulator. The client is the typed example client with the generated document, unchanged: what
 * works against the subgraph works against the federated graph.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCSRs, GraphQLRequestError } from '../../../examples/delete-csrs.js';
import { expectPartition, graphql, startRig, type Rig, type RigOptions } from '../../support/gateway.js';
import { csrItem, KEY_MATERIAL_MARKERS } from '../../../src/simulator/csr-records.js';
import { DESCRIBE_CSR } from '../../../src/tencent/read-client.js';
import { CERTIFICATES, startCertificatesSubgraph, type CertificatesSubgraph } from './certificates-subgraph.js';
import { introspectSubgraph, ROUTERS, type FederationGateway, type Router } from './supergraph.js';

/** A rig, a second subgraph and a router in front of both; the rig's arriving `Authorization` headers recorded. */
interface FederatedGraph {
  readonly rig: Rig;
  readonly certificates: CertificatesSubgraph;
  readonly router: FederationGateway;
  /** The `Authorization` header of each GraphQL POST that reached the rig (`null` when absent). */
  readonly arrivedAuthorizations: (string | null)[];
  close(): Promise<void>;
}

/** Composes the rig with the certificates subgraph (reading the rig's SDL with `sdlHeaders`) and serves it. */
async function startFederatedGraph(
  router: Router,
  rigOptions: RigOptions = {},
  sdlHeaders: Record<string, string> = {},
): Promise<FederatedGraph> {
  const arrivedAuthorizations: (string | null)[] = [];
  const onRequest = (request: IncomingMessage) => {
    if (request.method === 'POST') arrivedAuthorizations.push(request.headers.authorization ?? null);
  };
  const [rig, certificates] = await Promise.all([startRig({ ...rigOptions, onRequest }), startCertificatesSubgraph()]);
  const services = await Promise.all([
    introspectSubgraph({ name: 'csr-deletion', url: rig.url }, sdlHeaders),
    introspectSubgraph({ name: 'certificates', url: certificates.url }),
  ]);
  const federation = await router.start(services);
  return {
    rig,
    certificates,
    router: federation,
    arrivedAuthorizations,
    async close() {
      await federation.close();
      await Promise.all([rig.close(), certificates.close()]);
    },
  };
}

const BOTH_SUBGRAPHS = '{ certificatesWithStoredCSR { id csrId } csrDeletionLimits { maxIdsPerCall } }';

describe.each(ROUTERS)('through $name', (router) => {
  describe('without caller authentication', () => {
    let graph: FederatedGraph;
    beforeAll(async () => {
      graph = await startFederatedGraph(router);
    });
    afterAll(async () => {
      await graph?.close();
    });

    it("resolves the other subgraph's CSR references here through _entities, in one request and one batch, without key material", async () => {
      const { rig, arrivedAuthorizations } = graph;
      arrivedAuthorizations.length = 0;
      const callsBefore = rig.simulator.log.length;
      const response = await graphql<{ certificatesWithStoredCSR: { id: string; csr: { id: number; domain: string; keyParameter: string } }[] }>(
        graph.router.url,
        '{ certificatesWithStoredCSR { id csr { id domain keyParameter } } }',
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.certificatesWithStoredCSR).toEqual(
        CERTIFICATES.map((certificate) => ({
          id: certificate.id,
          csr: { id: certificate.csrId, domain: csrItem(certificate.csrId).Domain, keyParameter: csrItem(certificate.csrId).KeyParameter },
        })),
      );
      // Both references in one _entities request to this subgraph, looked up once each.
      expect(arrivedAuthorizations).toHaveLength(1);
      const reads = rig.simulator.log.slice(callsBefore).filter((call) => call.action === DESCRIBE_CSR);
      expect(reads.map((call) => call.ids[0]).sort()).toEqual(CERTIFICATES.map((certificate) => certificate.csrId).sort());
      for (const marker of KEY_MATERIAL_MARKERS) expect(JSON.stringify(response)).not.toContain(marker);
    });

    it("deletes the CSRs in the simulator, forwarding the caller's Authorization to the subgraph", async () => {
      const { rig, arrivedAuthorizations } = graph;
      arrivedAuthorizations.length = 0;
      const callsBefore = rig.simulator.log.length;
      const ids = [101, 102, 103, 102, 999_999];

      const result = await deleteCSRs(ids, { url: graph.router.url, token: 'k1' });

      expect(result).toMatchObject({
        __typename: 'BatchDeleteCSRsSuccess',
        deletedIds: [101, 102, 103],
        notDeletedIds: [999_999],
        unknownIds: [],
        errors: [],
      });
      if (result.__typename !== 'BatchDeleteCSRsSuccess') throw new Error('unreachable');
      expectPartition(result, ids);
      // Really gone from the simulator, in one upstream call whose RequestId the caller got.
      const calls = rig.simulator.log.slice(callsBefore);
      expect(calls.map((call) => [...call.ids].sort((a, b) => a - b))).toEqual([[101, 102, 103, 999_999]]);
      expect(result.requestIds).toEqual(calls.map((call) => call.requestId));
      for (const id of [101, 102, 103]) expect(rig.simulator.store.has(id)).toBe(false);
      // The router's request to this subgraph carried the caller's header.
      expect(arrivedAuthorizations).toEqual(['Bearer k1']);
    });

    it('answers one operation from both subgraphs, then deletes the CSRs the other subgraph names', async () => {
      const { rig, certificates, arrivedAuthorizations } = graph;
      arrivedAuthorizations.length = 0;
      certificates.authorizations.length = 0;
      const headers = { authorization: 'Bearer k2' };

      const listed = await graphql<{
        certificatesWithStoredCSR: { id: string; csrId: number }[];
        csrDeletionLimits: { maxIdsPerCall: number };
      }>(graph.router.url, BOTH_SUBGRAPHS, {}, headers);

      expect(listed.errors).toBeUndefined();
      expect(listed.data?.csrDeletionLimits.maxIdsPerCall).toBe(100);
      const csrIds = listed.data!.certificatesWithStoredCSR.map((certificate) => certificate.csrId);
      expect(csrIds).toEqual(CERTIFICATES.map((certificate) => certificate.csrId));
      // Each subgraph got the caller's header for its part of the plan.
      expect(certificates.authorizations).toEqual(['Bearer k2']);
      expect(arrivedAuthorizations).toEqual(['Bearer k2']);

      const result = await deleteCSRs(csrIds, { url: graph.router.url, token: 'k2' });
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: csrIds });
      for (const id of csrIds) expect(rig.simulator.store.has(id)).toBe(false);
    });

    it('sends no Authorization to the subgraph when the caller sent none', async () => {
      graph.arrivedAuthorizations.length = 0;
      const result = await deleteCSRs([201], { url: graph.router.url });
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [201] });
      expect(graph.arrivedAuthorizations).toEqual([null]);
    });
  });

  describe('with caller authentication on', () => {
    let graph: FederatedGraph;
    beforeAll(async () => {
      // A router reads the SDL with a key of its own.
      graph = await startFederatedGraph(router, { env: { AUTH_API_KEYS: 'k1' } }, { authorization: 'Bearer k1' });
    });
    afterAll(async () => {
      await graph?.close();
    });

    it('refuses a caller without a token (UNAUTHENTICATED) and sends nothing to Tencent', async () => {
      const { rig } = graph;
      const refused = await deleteCSRs([301, 302], { url: graph.router.url }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphQLRequestError);
      expect((refused as GraphQLRequestError).errors.map((error) => error.extensions?.code)).toContain('UNAUTHENTICATED');
      expect(rig.simulator.log).toEqual([]);
      expect(rig.simulator.store.has(301)).toBe(true);

      // The same request with the key goes through: the refusal was the missing token's doing.
      const result = await deleteCSRs([301, 302], { url: graph.router.url, token: 'k1' });
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [301, 302] });
    });

    it("answers an anonymous query for both subgraphs in full: this subgraph never nulls the other's data", async () => {
      // csrDeletionLimits is public. Were it not, its non-null field failing authentication would
      // null the whole `data`, the certificates included.
      const listed = await graphql(graph.router.url, BOTH_SUBGRAPHS);
      expect(listed).toMatchObject({
        data: {
          certificatesWithStoredCSR: CERTIFICATES.map(({ id, csrId }) => ({ id, csrId })),
          csrDeletionLimits: { maxIdsPerCall: 100 },
        },
      });
      expect(listed.errors).toBeUndefined();
    });
  });
});
