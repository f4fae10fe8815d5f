/**
 * Demand control: a router that prices operations before running them reads the schema's Federation
 * 2.9 cost hints through composition. Hive Gateway with a cost budget, in front of the gateway and a
 * second subgraph, prices `batchDeleteCSRs` from `@cost` on its `ids` argument and `@listSize` on
 * `BatchDeleteCSRsSuccess.errors`, and refuses an operation over budget before it reaches the subgraph.
 */
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchDeleteCSRsDocument } from '../../../schema/generated/graphql.js';
import { graphql, startRig, type Rig } from '../../support/gateway.js';
import { startCertificatesSubgraph, type CertificatesSubgraph } from './certificates-subgraph.js';
import { composeSupergraphWithGuild, introspectSubgraph, startHiveGateway, type FederationGateway } from './supergraph.js';

/**
 * Hive Gateway's estimate for the generated mutation: batchDeleteCSRs returns a union (1), its `ids`
 * argument carries @cost(weight: 1) (Hive counts an argument's weight once, whatever the list's
 * length), and `errors` is a list of an interface (1 each) taken to be @listSize(assumedSize: 10)
 * long. Without the hints it would be 1 + 0 + 1 × 1 = 2.
 */
const MUTATION_COST = 1 + 1 + 10 * 1;

let rig: Rig;
let certificates: CertificatesSubgraph;
let supergraphSdl: string;

beforeAll(async () => {
  [rig, certificates] = await Promise.all([startRig(), startCertificatesSubgraph()]);
  supergraphSdl = composeSupergraphWithGuild(
    await Promise.all([
      introspectSubgraph({ name: 'csr-deletion', url: rig.url }),
      introspectSubgraph({ name: 'certificates', url: certificates.url }),
    ]),
  );
});

afterAll(async () => {
  await Promise.all([rig?.close(), certificates?.close()]);
});

const mutation = print(BatchDeleteCSRsDocument);

describe('through Hive Gateway with demand control', () => {
  let within: FederationGateway | undefined;
  let over: FederationGateway | undefined;
  afterAll(async () => {
    await Promise.all([within?.close(), over?.close()]);
  });

  it("prices the mutation from the schema's @cost and @listSize", async () => {
    within = await startHiveGateway(supergraphSdl, { demandControl: { maxCost: MUTATION_COST, includeExtensionMetadata: true } });
    const response = await graphql<unknown>(within.url, mutation, { ids: [401, 402] });
    expect(response).toMatchObject({
      data: { batchDeleteCSRs: { __typename: 'BatchDeleteCSRsSuccess', deletedIds: [401, 402] } },
      extensions: { cost: { estimated: MUTATION_COST, max: MUTATION_COST } },
    });
  });

  it('refuses a mutation over budget before it reaches the subgraph', async () => {
    over = await startHiveGateway(supergraphSdl, { demandControl: { maxCost: MUTATION_COST - 1 } });
    const callsBefore = rig.simulator.log.length;
    const response = await graphql<unknown>(over.url, mutation, { ids: [403] });
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['COST_ESTIMATED_TOO_EXPENSIVE']);
    expect(rig.simulator.log.length).toBe(callsBefore);
    expect(rig.simulator.store.has(403)).toBe(true);
  });
});
