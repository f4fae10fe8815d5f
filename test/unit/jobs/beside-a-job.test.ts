/**
 * A one-ID mutation beside a running 100,000-ID job (issue 20: "waits at most one slot more than it
 * would alone"), counted in slots — the calls that went between its submission and the call that
 * carried it — not in milliseconds. In memory and exact: the real runner, deletion service and engine,
 * the job store on the embedded PGlite (in memory), the engine tests' recording Tencent, fake timers.
 *
 * Why it holds: the runner submits a job as submissions of 100 IDs, at most a window of them at once,
 * and the engine fills each call by taking one ID from each waiting caller in turn (fair-queue.ts); a
 * newcomer joins the rotation within one pass, so the one-ID caller rides the next call that goes.
 * Without the rotation it would wait behind the job's window: up to 15 calls at this limit.
 *
 * Cost: the PGlite start and the 100,000-item insert are most of this file's time (about 7 s of CPU,
 * 20-40 s of wall time on the loaded 2-core machine); the job's size changes nothing for the engine,
 * which only ever sees its window, but it is the size the issue names.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeletionService } from '../../../src/deletion/service.js';
import { BatchingEngine } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { JobRunner } from '../../../src/jobs/runner.js';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { createLogger } from '../../../src/logger.js';
import { range, RecordingClient } from '../engine/support/recording-client.js';

const CALLS_PER_SECOND = 10;
const JOB_IDS = range(100_001, 200_000);
const BYSTANDERS = 30;

let store: JobStore;
beforeAll(async () => {
  // Opening PGlite is seconds of WASM start-up on a loaded machine: once, on the real clock.
  ({ store } = await JobStore.open(await PGliteDriver.open(undefined)));
  return () => store.close();
}, 120_000);
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the fake clock (10 ms at a time, letting the store's promises settle between) until `done()`. */
async function runUntil(done: () => boolean, maxMs = 120_000): Promise<void> {
  for (let elapsed = 0; !done() && elapsed < maxMs; elapsed += 10) await vi.advanceTimersByTimeAsync(10);
  if (!done()) throw new Error(`not done after ${maxMs} ms of the fake clock`);
}

/**
 * One-ID mutations, one every 350 ms (off the 100 ms slot grid), through the deletion service as
 * GraphQL's would go; for each, the slots it waited: the calls that went after its submission before
 * the one that carried its ID. With `job`, a 100,000-ID job runs beside them, at full rate.
 */
async function bystanderSlots({ job }: { job: boolean }): Promise<{ slots: number[]; client: RecordingClient; runner?: JobRunner }> {
  const client = new RecordingClient(range(1, 200_000));
  const engine = new BatchingEngine({
    client,
    limiter: new LocalSpacingLimiter({ callsPerSecond: CALLS_PER_SECOND }),
    maxPendingIds: 1_000_000,
    random: () => 0.5,
  });
  const service = new DeletionService({ engine });
  let runner: JobRunner | undefined;
  if (job) {
    // Stored on the real clock (a 100,000-item insert), then everything runs on the fake one.
    await store.create({ caller: 'job-owner', ids: JOB_IDS });
    vi.useFakeTimers();
    runner = new JobRunner({
      store,
      service,
      owner: 'replica-1',
      leaseMs: 5_000,
      concurrency: 1,
      // As src/server.ts sizes it: 1.5 s of calls at the rate limit.
      window: Math.ceil(CALLS_PER_SECOND * 100 * 1.5),
      chunk: 100,
      submissionDeadlineMs: 30_000,
      pollMs: 1_000,
      logger: createLogger('silent'),
    });
    runner.start();
    // The job at full rate: its calls full, one every slot.
    await runUntil(() => client.calls.length >= 20);
  } else {
    vi.useFakeTimers();
  }
  const waits: Promise<number>[] = [];
  for (let index = 0; index < BYSTANDERS; index++) {
    const id = 1 + index;
    const before = client.calls.length;
    waits.push(
      service.submit([id], { deadline: Date.now() + 30_000, attribution: { caller: 'interactive', callerKind: 'graphql' } }).then((outcome) => {
        expect(outcome.settlements.get(id)).toMatchObject({ kind: 'deleted' });
        return client.calls.findIndex((call) => call.ids.includes(id)) - before;
      }),
    );
    await vi.advanceTimersByTimeAsync(350);
  }
  let slots: number[] | undefined;
  void Promise.all(waits).then((each) => (slots = each));
  await runUntil(() => slots !== undefined);
  return { slots: slots!, client, ...(runner ? { runner } : {}) };
}

describe('a one-ID mutation beside a running 100,000-ID job', () => {
  it('waits at most one slot more than it would alone', async () => {
    const alone = await bystanderSlots({ job: false });
    vi.useRealTimers();
    const beside = await bystanderSlots({ job: true });

    // Alone, at idle, it goes at once: no call before it.
    expect(Math.max(...alone.slots)).toBe(0);
    // Beside the job it rides the next call the limit allows: the one already on its way, if any, then its own.
    expect(Math.max(...beside.slots)).toBeLessThanOrEqual(Math.max(...alone.slots) + 1);

    // And the job really was running at full rate beside them: no slot of that stretch went unused
    // (consecutive calls one spacing apart, never two), and every call was full.
    const during = beside.client.calls.slice(20);
    const gaps = during.slice(1).map((call, index) => call.sentAt - during[index]!.sentAt);
    expect(Math.max(...gaps)).toBeLessThan(2 * (1_000 / CALLS_PER_SECOND));
    expect(during.every((call) => call.ids.length === 100)).toBe(true);
    expect(during.length).toBeGreaterThanOrEqual(BYSTANDERS);
    expect(beside.client.maxCallsInWindow(1_000)).toBeLessThanOrEqual(CALLS_PER_SECOND);
    // A graceful stop answers what the job has in flight (on the fake clock) and gives it back.
    let stopped = false;
    void beside.runner!.stop().then(() => (stopped = true));
    await runUntil(() => stopped);
  }, 240_000);
});
