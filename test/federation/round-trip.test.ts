/**
 * `batchDeleteCSRs` through a real federation gateway (@apollo/gateway in @apollo/server, serving the
 * supergraph composed from this subgraph and a second one) to the gateway and on to the simulator.
 * The client is the typed example client with the generated document, unchanged: what works against
 * the subgraph works against the federated graph.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCSRs, GraphQLRequestError } from '../../examples/delete-csrs.js';
import { expectPartition, graphql, startRig, type Rig } from '../support/gateway.js';
import { CERTIFICATES, startCertificatesSubgraph, type CertificatesSubgraph } from './certificates-subgraph.js';
import { composeSupergraph, introspectSubgraph, startFederationGateway, type FederationGateway } from './supergraph.js';

/** The `Authorization` header of each GraphQL POST that reached the gateway (`null` when absent). */
const arrivedAuthorizations: (string | null)[] = [];
function recordAuthorization(request: IncomingMessage): void {
  if (request.method === 'POST') arrivedAuthorizations.push(request.headers.authorization ?? null);
}

/** Composes the rig with the certificates subgraph and serves the supergraph (reading the rig's SDL with `headers`). */
async function startFederatedGraph(
  rig: Rig,
  certificates: CertificatesSubgraph,
  headers: Record<string, string> = {},
): Promise<FederationGateway> {
  const services = await Promise.all([
    introspectSubgraph({ name: 'csr-deletion', url: rig.url }, headers),
    introspectSubgraph({ name: 'certificates', url: certificates.url }),
  ]);
  return startFederationGateway(composeSupergraph(services).supergraphSdl);
}

describe('through a federation gateway', () => {
  let rig: Rig;
  let certificates: CertificatesSubgraph;
  let federation: FederationGateway;

  beforeAll(async () => {
    [rig, certificates] = await Promise.all([startRig({ onRequest: recordAuthorization }), startCertificatesSubgraph()]);
    federation = await startFederatedGraph(rig, certificates);
  });

  afterAll(async () => {
    await federation?.close();
    await Promise.all([rig?.close(), certificates?.close()]);
  });

  it("deletes the CSRs in the simulator, forwarding the caller's Authorization to the subgraph", async () => {
    arrivedAuthorizations.length = 0;
    const callsBefore = rig.simulator.log.length;
    const ids = [101, 102, 103, 102, 999_999];

    const result = await deleteCSRs(ids, { url: federation.url, token: 'k1' });

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
    // The federation gateway's request to this subgraph carried the caller's header.
    expect(arrivedAuthorizations).toEqual(['Bearer k1']);
  });

  it('answers one operation from both subgraphs, then deletes the CSRs the other subgraph names', async () => {
    arrivedAuthorizations.length = 0;
    certificates.authorizations.length = 0;
    const headers = { authorization: 'Bearer k2' };

    const listed = await graphql<{
      certificatesWithStoredCSR: { id: string; csrId: number }[];
      csrDeletionLimits: { maxIdsPerCall: number };
    }>(federation.url, '{ certificatesWithStoredCSR { id csrId } csrDeletionLimits { maxIdsPerCall } }', {}, headers);

    expect(listed.errors).toBeUndefined();
    expect(listed.data?.csrDeletionLimits.maxIdsPerCall).toBe(100);
    const csrIds = listed.data!.certificatesWithStoredCSR.map((certificate) => certificate.csrId);
    expect(csrIds).toEqual(CERTIFICATES.map((certificate) => certificate.csrId));
    // Each subgraph got the caller's header for its part of the plan.
    expect(certificates.authorizations).toEqual(['Bearer k2']);
    expect(arrivedAuthorizations).toEqual(['Bearer k2']);

    const result = await deleteCSRs(csrIds, { url: federation.url, token: 'k2' });
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: csrIds });
    for (const id of csrIds) expect(rig.simulator.store.has(id)).toBe(false);
  });

  it('sends no Authorization to the subgraph when the caller sent none', async () => {
    arrivedAuthorizations.length = 0;
    const result = await deleteCSRs([201], { url: federation.url });
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [201] });
    expect(arrivedAuthorizations).toEqual([null]);
  });
});

describe('through a federation gateway, with caller authentication on', () => {
  it('refuses a caller without a token (UNAUTHENTICATED) and sends nothing to Tencent', async () => {
    const [rig, certificates] = await Promise.all([
      startRig({ env: { AUTH_API_KEYS: 'k1' } }),
      startCertificatesSubgraph(),
    ]);
    let federation: FederationGateway | undefined;
    try {
      // A router reads the SDL with a key of its own.
      federation = await startFederatedGraph(rig, certificates, { authorization: 'Bearer k1' });

      const refused = await deleteCSRs([301, 302], { url: federation.url }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(GraphQLRequestError);
      expect((refused as GraphQLRequestError).errors.map((error) => error.extensions?.code)).toContain('UNAUTHENTICATED');
      expect(rig.simulator.log).toEqual([]);
      expect(rig.simulator.store.has(301)).toBe(true);

      // The same request with the key goes through: the refusal was the missing token's doing.
      const result = await deleteCSRs([301, 302], { url: federation.url, token: 'k1' });
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [301, 302] });
    } finally {
      await federation?.close();
      await Promise.all([rig.close(), certificates.close()]);
    }
  });
});
