/**
 * A job holder never sends after its lease may have run out (src/jobs/runner.ts `#submit`): each
 * submission's deadline is the earlier of the submission deadline and the moment the lease surely
 * holds until. Otherwise a holder paused past its lease (SIGSTOP) wakes with 30 s of deadline left,
 * and sends IDs that the replica which took the job over has checked and is sending itself — whose
 * honest answer would then read NOT_DELETED for IDs the gateway did delete.
 *
 * In memory: the embedded job store and a recording deletion service.
 */
import { afterEach, expect, it } from 'vitest';
import type { DeletionOutcome } from '../../../src/engine/outcome.js';
import { DELETED } from '../../../src/engine/outcome.js';
import { JobRunner, type JobDeletionService } from '../../../src/jobs/runner.js';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { createLogger } from '../../../src/logger.js';

const LEASE_MS = 2_000;
let runner: JobRunner | undefined;
let store: JobStore | undefined;

afterEach(async () => {
  await runner?.stop();
  await store?.close();
});

it('gives each submission a deadline no later than the lease it holds, however long the submission deadline', async () => {
  ({ store } = await JobStore.open(await PGliteDriver.open(undefined)));
  await store.create({ caller: 'ops', ids: [1, 2, 3, 4, 5] });
  const submissions: Array<{ at: number; deadline: number }> = [];
  const service: JobDeletionService = {
    submit: (ids, { deadline }) => {
      submissions.push({ at: Date.now(), deadline });
      const outcome: DeletionOutcome = { settlements: new Map(ids.map((id) => [id, DELETED])), requestIds: new Map(ids.map((id) => [id, ['req']])) };
      return Promise.resolve(outcome);
    },
  };
  runner = new JobRunner({
    store,
    service,
    owner: 'replica-1',
    leaseMs: LEASE_MS,
    concurrency: 1,
    window: 2,
    chunk: 2,
    submissionDeadlineMs: 30_000,
    pollMs: 50,
    logger: createLogger('silent'),
  });
  runner.start();
  await expect.poll(() => submissions.length, { timeout: 20_000 }).toBe(3);
  for (const { at, deadline } of submissions) {
    expect(deadline - at).toBeGreaterThan(0);
    expect(deadline - at).toBeLessThanOrEqual(LEASE_MS);
  }
}, 30_000);
