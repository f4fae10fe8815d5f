/** Per-operation behaviour of the mutation: the DataLoader that stands between the schema and the engine. */
import { afterEach, expect, it } from 'vitest';
import { graphql, RESULT_FIELDS, type ResultShape } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

let rig: InProcessRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

it('aliased fields of one operation asking for the same IDs share one send and one answer', async () => {
  rig = createRig();
  const response = await graphql<{ a: ResultShape; b: ResultShape }>(
    rig,
    `mutation { a: batchDeleteCSRs(ids: [1, 2]) { ${RESULT_FIELDS} } b: batchDeleteCSRs(ids: [2, 3]) { ${RESULT_FIELDS} } }`,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.a.deletedIds).toEqual([1, 2]);
  // Without the per-operation loader, 2 would come back "not deleted": the first field deleted it.
  expect(response.data?.b.deletedIds).toEqual([2, 3]);
  expect(rig.simulator.log.flatMap((call) => call.ids).filter((id) => id === 2)).toHaveLength(1);
});

it('reports the configured limits', async () => {
  rig = createRig({ env: { MAX_IDS_PER_MUTATION: '1234', MUTATION_DEADLINE_MS: '5000' } });
  const response = await graphql<{ csrDeletionLimits: Record<string, number> }>(
    rig,
    '{ csrDeletionLimits { maxIdsPerMutation maxIdsPerCall callsPerSecond mutationDeadlineMs } }',
  );
  expect(response.data?.csrDeletionLimits).toEqual({
    maxIdsPerMutation: 1234,
    maxIdsPerCall: 100,
    callsPerSecond: 10,
    mutationDeadlineMs: 5000,
  });
});
