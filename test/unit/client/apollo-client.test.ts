/**
 * Apollo Client as a frontend uses it: the real `@apollo/client` with its normalizing
 * `InMemoryCache`, the generated document and the generated `possibleTypes`, against a whole gateway
 * (its `yoga.fetch` is the link's fetch). Every member of the result union must come back with every field the gateway sent.
 *
 * What this guards: the cache writes a result through the document's fragments and reads it back,
 * and it can match `... on TencentCloudError` against `InvalidCSRIdError` only when it knows which
 * types implement the interface. Without `possibleTypes` it drops `code`, `message`, `requestId` and
 * `csrIds` from every error result, silently (a console warning at most).
 */
import { ApolloClient, HttpLink, InMemoryCache, setLogVerbosity } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchDeleteCSRsDocument } from '../../../schema/generated/graphql.js';
import introspection from '../../../schema/generated/possible-types.js';
import type { Fault } from '../../../src/simulator/simulator.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

/** A client whose every response body, as it came off the wire, is also kept in `wire`. */
function apolloClient(gateway: InProcessRig, cache: InMemoryCache): { client: ApolloClient; wire: unknown[] } {
  const wire: unknown[] = [];
  const link = new HttpLink({
    uri: gateway.url,
    // The gateway's yoga.fetch in place of the network: what Apollo sends and reads is unchanged.
    fetch: async (input, init) => {
      if (typeof input !== 'string') throw new TypeError('HttpLink fetches its uri, a string');
      const response = await gateway.fetch(input, init);
      wire.push(await response.clone().json());
      return response;
    },
  });
  return { client: new ApolloClient({ link, cache }), wire };
}

const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

/** One mutation per member of BatchDeleteCSRsResult, and the simulator fault that produces it. */
const CASES: { readonly ids: number[]; readonly fault?: Fault; readonly expected: Record<string, unknown> }[] = [
  {
    ids: [1, 2, 0, 999_999],
    expected: { __typename: 'BatchDeleteCSRsSuccess', deletedIds: [1, 2], notDeletedIds: [999_999], errors: [expect.objectContaining({ __typename: 'InvalidCSRIdError', code: 'Gateway.InvalidCSRId', csrIds: [0] })] },
  },
  { ids: [-1], expected: { __typename: 'InvalidCSRIdError', code: 'Gateway.InvalidCSRId', requestId: null, csrIds: [-1] } },
  { ids: [], expected: { __typename: 'InvalidParameterError', code: 'Gateway.EmptyIdList', csrIds: [] } },
  { ids: [10], fault: { kind: 'error', code: 'FailedOperation' }, expected: { __typename: 'FailedOperationError', code: 'FailedOperation', requestId: UUID, csrIds: [10] } },
  { ids: [11], fault: { kind: 'error', code: 'AuthFailure.SignatureFailure' }, expected: { __typename: 'AuthFailureError', code: 'AuthFailure.SignatureFailure', requestId: UUID, csrIds: [11] } },
  // Retried until the (short) deadline: last, so that their retries hold up no other case.
  { ids: [12], fault: { kind: 'error', code: 'InternalError' }, expected: { __typename: 'UpstreamUnavailableError', code: 'InternalError', csrIds: [12] } },
  { ids: [13], fault: { kind: 'error', code: 'RequestLimitExceeded' }, expected: { __typename: 'RateLimitExceededError', csrIds: [13] } },
];

let rig: InProcessRig;
beforeAll(() => {
  // A short deadline, for the two cases retried until it passes; ample on a busy machine for the rest.
  rig = createRig({ env: { MUTATION_DEADLINE_MS: '2000' } });
  for (const { ids, fault } of CASES) if (fault) rig.simulator.inject(fault, { times: Infinity, whenIds: ids });
});
afterAll(async () => {
  await rig?.close();
});

describe('Apollo Client with InMemoryCache and the generated possibleTypes', () => {
  it('returns every field of every member of the result union, exactly as the gateway sent it', async () => {
    const { client, wire } = apolloClient(rig, new InMemoryCache({ possibleTypes: introspection.possibleTypes }));

    for (const { ids, expected } of CASES) {
      const { data } = await client.mutate({ mutation: BatchDeleteCSRsDocument, variables: { ids } });
      const sent = wire.at(-1) as { data: typeof data };
      expect(sent.data?.batchDeleteCSRs).toMatchObject(expected);
      // What the application gets is what came over the wire: the cache lost nothing.
      expect(data).toEqual(sent.data);
    }
    const members = new Set(CASES.map((testCase) => testCase.expected.__typename));
    expect([...members].sort()).toEqual(introspection.possibleTypes.BatchDeleteCSRsResult);
  });

  it('without possibleTypes, drops the error fields: the failure the generated file prevents', async () => {
    const { client, wire } = apolloClient(rig, new InMemoryCache());
    const verbosity = setLogVerbosity('error'); // the cache warns that data might be lost: expected here
    try {
      const { data } = await client.mutate({ mutation: BatchDeleteCSRsDocument, variables: { ids: [-2] } });
      expect(wire.at(-1)).toMatchObject({ data: { batchDeleteCSRs: { code: 'Gateway.InvalidCSRId', csrIds: [-2] } } });
      expect(data).toEqual({ batchDeleteCSRs: { __typename: 'InvalidCSRIdError' } });
    } finally {
      setLogVerbosity(verbosity);
    }
  });
});
