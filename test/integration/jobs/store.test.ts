/**
 * The job store on both of its drivers — the machine's PostgreSQL and the embedded PGlite — with the
 * same assertions: one implementation, one dialect (src/jobs/sql.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCELLED_CODE, LOST, type JobStore } from '../../../src/jobs/store.js';
import { JOB_STORE_DRIVERS } from './support/job-stores.js';

describe.each(JOB_STORE_DRIVERS)('the job store on %s', (_name, open) => {
  let store: JobStore;
  let close: () => Promise<void>;
  const lease = 60_000;
  // A holder that is to die holds its lease long enough to claim on a busy machine (PGlite is slow
  // under load: 50 ms ran out between acquire and claim), then is waited out.
  const dyingLease = 1_500;
  const outliveDyingLease = () => new Promise((resolve) => setTimeout(resolve, dyingLease + 100));

  beforeAll(async () => {
    ({ store, close } = await open());
  });
  afterAll(() => close());

  it('replays a start with the same key and IDs, refuses one with other IDs, and keeps callers apart', async () => {
    const first = await store.create({ caller: 'alice', idempotencyKey: 'k1', ids: [3, 1, 2] });
    expect(first.kind).toBe('created');
    const replay = await store.create({ caller: 'alice', idempotencyKey: 'k1', ids: [1, 2, 3] });
    expect(replay).toMatchObject({ kind: 'replayed', job: { id: first.job.id } });
    expect(await store.create({ caller: 'alice', idempotencyKey: 'k1', ids: [1, 2] })).toMatchObject({ kind: 'mismatch', job: { id: first.job.id } });
    const bob = await store.create({ caller: 'bob', idempotencyKey: 'k1', ids: [1, 2] });
    expect(bob.kind).toBe('created');
    expect(bob.job.id).not.toBe(first.job.id);
    // Concurrent starts with one key make one job.
    const racing = await Promise.all([1, 2, 3].map(() => store.create({ caller: 'carol', idempotencyKey: 'race', ids: [9] })));
    expect(new Set(racing.map((result) => result.job.id)).size).toBe(1);
    expect(racing.filter((result) => result.kind === 'created')).toHaveLength(1);
  });

  it('claims in order, settles, requeues what was surely not sent, and finishes', async () => {
    const { job } = await store.create({ caller: 'dave', ids: [5, 4, 3, 2, 1] });
    // Older jobs of the first test are queued first: hand them out, then this one.
    let held = await store.acquire('r1', lease);
    while (held && held.id !== job.id) held = await store.acquire('r1', lease);
    expect(held).toMatchObject({ id: job.id, status: 'RUNNING', counts: { pending: 5 } });
    expect(await store.claim(job.id, 'r1', 3)).toEqual([1, 2, 3]);
    expect(await store.claim(job.id, 'r2', 3)).toBe(LOST);
    await store.settle(job.id, 'r1', [
      { csrId: 1, outcome: 'DELETED', requestIds: ['req-1'] },
      { csrId: 2, outcome: 'FAILED', code: 'FailedOperation.X', requestIds: ['req-1'] },
    ], [3]);
    expect(await store.finish(job.id, 'r1')).toBeUndefined();
    expect(await store.claim(job.id, 'r1', 10)).toEqual([3, 4, 5]);
    await store.settle(job.id, 'r1', [3, 4, 5].map((csrId) => ({ csrId, outcome: 'NOT_DELETED' as const, requestIds: ['req-2'] })), []);
    const finished = await store.finish(job.id, 'r1');
    expect(finished).toMatchObject({ status: 'COMPLETED', counts: { deleted: 1, notDeleted: 3, failed: 1, unknown: 0, pending: 0 } });
    const results = await store.results(job.id, { limit: 10 });
    expect(results.map((item) => [item.csrId, item.state, item.code, item.requestIds])).toEqual([
      [1, 'DELETED', null, ['req-1']],
      [2, 'FAILED', 'FailedOperation.X', ['req-1']],
      [3, 'NOT_DELETED', null, ['req-2']],
      [4, 'NOT_DELETED', null, ['req-2']],
      [5, 'NOT_DELETED', null, ['req-2']],
    ]);
    expect((await store.results(job.id, { limit: 2, afterCsrId: 1, outcome: 'NOT_DELETED' })).map((item) => item.csrId)).toEqual([3, 4]);
  });

  it('hands a job whose holder stopped renewing to another, its SENDING items UNKNOWN, the old holder fenced out', async () => {
    const { job } = await store.create({ caller: 'erin', ids: [10, 11, 12, 13] });
    let held = await store.acquire('dying', dyingLease);
    while (held && held.id !== job.id) held = await store.acquire('dying', dyingLease);
    expect(await store.claim(job.id, 'dying', 2)).toEqual([10, 11]);
    await outliveDyingLease();
    const taken = await store.acquire('heir', lease);
    expect(taken).toMatchObject({ id: job.id, counts: { unknown: 2, pending: 2 } });
    // The old holder's answer comes too late: nothing is written.
    expect(await store.settle(job.id, 'dying', [{ csrId: 10, outcome: 'DELETED', requestIds: [] }], [])).toBe(LOST);
    expect(await store.renew(job.id, 'dying', lease)).toBe(LOST);
    expect(await store.claim(job.id, 'heir', 10)).toEqual([12, 13]);
    await store.settle(job.id, 'heir', [12, 13].map((csrId) => ({ csrId, outcome: 'DELETED' as const, requestIds: [] })), []);
    expect(await store.finish(job.id, 'heir')).toMatchObject({ status: 'COMPLETED', counts: { deleted: 2, unknown: 2 } });
    expect((await store.results(job.id, { limit: 10, outcome: 'UNKNOWN' })).map((item) => item.csrId)).toEqual([10, 11]);
  });

  it('a taker that can check keeps a dead holder\'s SENDING items SENDING in its own name, settles them after its check, and fences the old holder out', async () => {
    const { job } = await store.create({ caller: 'gus', ids: [20, 21, 22, 23] });
    let held = await store.acquire('dying', dyingLease);
    while (held && held.id !== job.id) held = await store.acquire('dying', dyingLease);
    expect(await store.claim(job.id, 'dying', 3)).toEqual([20, 21, 22]);
    await outliveDyingLease();
    const taken = await store.acquire('heir', lease, { keepInDoubt: true });
    expect(taken).toMatchObject({ id: job.id, counts: { unknown: 0, pending: 4 } });
    expect(await store.inDoubt(job.id, 'heir')).toEqual([20, 21, 22]);
    expect(await store.inDoubt(job.id, 'dying')).toBe(LOST);
    expect(await store.settle(job.id, 'dying', [{ csrId: 20, outcome: 'NOT_DELETED', requestIds: [] }], [])).toBe(LOST);
    // The check: 20 and 22 gone, 21 still there.
    await store.settle(job.id, 'heir', [20, 22].map((csrId) => ({ csrId, outcome: 'DELETED' as const, confirmedBy: 'CHECK' as const, requestIds: ['check'] })), [21]);
    expect(await store.inDoubt(job.id, 'heir')).toEqual([]);
    expect(await store.claim(job.id, 'heir', 10)).toEqual([21, 23]);
    await store.settle(job.id, 'heir', [21, 23].map((csrId) => ({ csrId, outcome: 'DELETED' as const, requestIds: ['req'] })), []);
    expect(await store.finish(job.id, 'heir')).toMatchObject({ status: 'COMPLETED', counts: { deleted: 4, unknown: 0 } });
    expect((await store.results(job.id, { limit: 10 })).map((item) => [item.csrId, item.state, item.confirmedBy])).toEqual([
      [20, 'DELETED', 'CHECK'],
      [21, 'DELETED', null],
      [22, 'DELETED', 'CHECK'],
      [23, 'DELETED', null],
    ]);
  });

  it('cancels: unsent items fail as cancelled at once, in-flight ones settle, then the job is CANCELLED', async () => {
    const queued = await store.create({ caller: 'fay', ids: [1, 2] });
    expect(await store.cancel(queued.job.id)).toMatchObject({ status: 'CANCELLED', counts: { failed: 2, pending: 0 } });
    expect(await store.acquire('r1', lease)).toBeUndefined();

    const { job } = await store.create({ caller: 'fay', ids: [1, 2, 3] });
    expect(await store.acquire('r1', lease)).toMatchObject({ id: job.id });
    expect(await store.claim(job.id, 'r1', 1)).toEqual([1]);
    expect(await store.cancel(job.id)).toMatchObject({ status: 'RUNNING', cancelRequested: true, counts: { failed: 2, pending: 1 } });
    expect(await store.claim(job.id, 'r1', 10)).toBe(LOST);
    expect(await store.renew(job.id, 'r1', lease)).toEqual({ cancelRequested: true });
    await store.settle(job.id, 'r1', [{ csrId: 1, outcome: 'DELETED', requestIds: ['r'] }], []);
    expect(await store.finish(job.id, 'r1')).toMatchObject({ status: 'CANCELLED', counts: { deleted: 1, failed: 2 } });
    expect((await store.results(job.id, { limit: 10, outcome: 'FAILED' })).map((item) => item.code)).toEqual([CANCELLED_CODE, CANCELLED_CODE]);
  });

  it('lists a caller its own jobs, newest first, by pages', async () => {
    const mine = await store.list({ caller: 'alice', limit: 10 });
    expect(mine.map((job) => job.caller)).toEqual(['alice']);
    const all = await store.list({ limit: 3 });
    const next = await store.list({ limit: 100, after: { createdAt: all[2]!.createdAt, id: all[2]!.id } });
    const ids = [...all, ...next].map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(5);
    expect(await store.list({ status: 'CANCELLED', limit: 10 })).toHaveLength(2);
  });

  it('tells listeners which job changed', async () => {
    const seen: string[] = [];
    const stop = await store.onChange((id) => seen.push(id));
    const { job } = await store.create({ caller: 'gus', ids: [1] });
    await expect.poll(() => seen).toContain(job.id);
    await stop();
  });

  it('prunes finished jobs past retention with their results, never an unfinished one, and frees their keys', async () => {
    const finishedJob = (await store.create({ caller: 'hal', idempotencyKey: 'kept-a-while', ids: [7, 8] })).job;
    let held = await store.acquire('r9', lease);
    while (held && held.id !== finishedJob.id) held = await store.acquire('r9', lease);
    await store.claim(finishedJob.id, 'r9', 10);
    await store.settle(finishedJob.id, 'r9', [7, 8].map((csrId) => ({ csrId, outcome: 'DELETED' as const, requestIds: ['req-9'] })), []);
    expect(await store.finish(finishedJob.id, 'r9')).toMatchObject({ status: 'COMPLETED' });
    const waiting = (await store.create({ caller: 'hal', ids: [9] })).job;

    // Finished just now: a cut-off before that keeps it.
    await store.prune(new Date(Date.now() - 60_000));
    expect(await store.get(finishedJob.id)).toMatchObject({ status: 'COMPLETED' });

    // A cut-off after it deletes it and its items (and every other finished job of this file); the
    // queued job, however old, stays.
    expect(await store.prune(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    expect(await store.get(finishedJob.id)).toBeUndefined();
    expect(await store.results(finishedJob.id, { limit: 10 })).toEqual([]);
    expect(await store.get(waiting.id)).toMatchObject({ status: 'QUEUED' });
    expect(await store.list({ status: 'COMPLETED', limit: 10 })).toEqual([]);
    // The key starts a new job now.
    expect(await store.create({ caller: 'hal', idempotencyKey: 'kept-a-while', ids: [7, 8] })).toMatchObject({ kind: 'created' });
  });
});
