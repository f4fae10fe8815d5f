/**
 * A job's taker checks the items its dead holder left SENDING before it claims anything (runner.ts
 * `#reconcileInDoubt`): gone → DELETED, confirmed by the check; still there → back to PENDING and sent
 * in the ordinary way (so never sent twice unknowingly); the check failing → UNKNOWN, never sent again.
 * The real store on the embedded database (a copy of the initialised template); the deletion service
 * and the checker are recording fakes, so what was sent and what was checked is exact.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ExistenceAnswer, ExistenceChecker } from '../../../src/engine/existence.js';
import { DELETED } from '../../../src/engine/outcome.js';
import { JobRunner, type JobDeletionService } from '../../../src/jobs/runner.js';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { createLogger } from '../../../src/logger.js';
import { failure } from '../../../src/tencent/codes.js';
import { PGLITE_TEMPLATE } from '../../support/pglite-template.js';

let dir: string;
let store: JobStore;
let runner: JobRunner | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'takeover-check-'));
  await cp(PGLITE_TEMPLATE, dir, { recursive: true });
  ({ store } = await JobStore.open(await PGliteDriver.open(dir)));
});
afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** A job of IDs 1–6 whose holder claimed 1–4 (SENDING) and died: its lease has run out. */
async function orphanedJob(): Promise<string> {
  const { job } = await store.create({ caller: 'alice', ids: [1, 2, 3, 4, 5, 6] });
  expect(await store.acquire('dying', 1_000)).toMatchObject({ id: job.id });
  expect(await store.claim(job.id, 'dying', 4)).toEqual([1, 2, 3, 4]);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return job.id;
}

function takeOver(checker: ExistenceChecker): { sent: number[] } {
  const sent: number[] = [];
  const service: JobDeletionService = {
    submit: (ids) => {
      sent.push(...ids);
      return Promise.resolve({ settlements: new Map(ids.map((id) => [id, DELETED])), requestIds: new Map(ids.map((id) => [id, ['req']])) });
    },
  };
  runner = new JobRunner({
    store,
    service,
    owner: 'heir',
    leaseMs: 60_000,
    concurrency: 1,
    window: 100,
    chunk: 100,
    submissionDeadlineMs: 5_000,
    pollMs: 50,
    logger: createLogger('silent'),
    checker,
  });
  runner.start();
  return { sent };
}

async function finished(jobId: string): Promise<void> {
  await expect.poll(async () => (await store.get(jobId))?.status, { timeout: 20_000, interval: 50 }).toBe('COMPLETED');
}

const items = async (jobId: string) =>
  (await store.results(jobId, { limit: 10 })).map((item) => [item.csrId, item.state, item.confirmedBy, item.requestIds]);

it('gone: DELETED confirmed by the check, never sent again; still there: sent once, by the taker', async () => {
  const jobId = await orphanedJob();
  const checks: number[][] = [];
  const { sent } = takeOver({
    check: (ids): Promise<ExistenceAnswer> => {
      checks.push([...ids]);
      return Promise.resolve({ ok: true, existing: new Set([2, 4]), requestIds: ['check-1'] });
    },
  });
  await finished(jobId);

  expect(checks).toEqual([[1, 2, 3, 4]]);
  expect(sent.sort((a, b) => a - b)).toEqual([2, 4, 5, 6]);
  expect(await items(jobId)).toEqual([
    [1, 'DELETED', 'CHECK', ['check-1']],
    [2, 'DELETED', null, ['req']],
    [3, 'DELETED', 'CHECK', ['check-1']],
    [4, 'DELETED', null, ['req']],
    [5, 'DELETED', null, ['req']],
    [6, 'DELETED', null, ['req']],
  ]);
  expect((await store.get(jobId))?.counts).toMatchObject({ deleted: 6, unknown: 0 });
});

it('a check that ran out of time is asked again, and its answer settles the items', async () => {
  const jobId = await orphanedJob();
  let asked = 0;
  const { sent } = takeOver({
    check: (): Promise<ExistenceAnswer> => {
      asked += 1;
      return Promise.resolve(
        asked === 1
          ? { ok: false, failure: failure('Gateway.DeadlineExceeded', 'no read slot before the deadline') }
          : { ok: true, existing: new Set<number>(), requestIds: ['check-2'] },
      );
    },
  });
  await finished(jobId);

  expect(asked).toBe(2);
  expect(sent.sort((a, b) => a - b)).toEqual([5, 6]);
  expect((await store.get(jobId))?.counts).toMatchObject({ deleted: 6, unknown: 0 });
  expect((await items(jobId)).slice(0, 4).map(([, state, confirmedBy]) => [state, confirmedBy])).toEqual(Array(4).fill(['DELETED', 'CHECK']));
});

it('the check failing: UNKNOWN, as before checks existed, and never sent again', async () => {
  const jobId = await orphanedJob();
  const { sent } = takeOver({ check: () => Promise.resolve({ ok: false, failure: failure('ResourceUnavailable', 'read side down') }) });
  await finished(jobId);

  expect(sent.sort((a, b) => a - b)).toEqual([5, 6]);
  expect((await store.get(jobId))?.counts).toMatchObject({ deleted: 2, unknown: 4 });
});
