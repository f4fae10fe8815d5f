/**
 * The engine's exact behaviour, in memory: a recording client stands for Tencent (as DataLoader's own
 * tests record batches) and fake timers stand for the clock, so every count and every instant below
 * is exact and independent of how busy the machine is. The same promises over real HTTP, judged by a
 * simulator in its own process, are in test/process/.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchingEngine, RATE_LIMIT_COOL_DOWN_MS } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter, ruleWindowMs } from '../../../src/engine/limiter.js';
import { groupOutcome, type GroupedOutcome } from '../../../src/engine/outcome.js';
import type { RateLimiter } from '../../../src/engine/types.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';
import { range, RecordingClient } from './support/recording-client.js';

const LIMIT = { callsPerSecond: 10 };
const DEADLINE_MS = 30_000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { limiter?: RateLimiter; maxPendingIds?: number } = {}) {
  const client = new RecordingClient();
  let missed = 0;
  const engine = new BatchingEngine({
    client,
    limiter: options.limiter ?? new LocalSpacingLimiter(LIMIT),
    maxPendingIds: options.maxPendingIds ?? 1_000_000,
    random: () => 0.5,
    observer: { onSlotMissed: () => missed++ },
  });
  const submit = (ids: readonly number[], deadlineMs = DEADLINE_MS): Promise<GroupedOutcome> =>
    engine.submit(ids, { deadline: Date.now() + deadlineMs }).then(groupOutcome);
  return { client, engine, submit, missed: () => missed };
}

/** Runs the fake clock until `promise` settles (or `maxMs` passes), and returns its value. */
async function settle<T>(promise: Promise<T>, maxMs = 60_000): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let elapsed = 0; !done && elapsed < maxMs; elapsed += 10) await vi.advanceTimersByTimeAsync(10);
  return promise;
}

/** The limiter's promise on real send times: any 11 consecutive sends span at least the rule's window. */
function expectRuleKept(client: RecordingClient): void {
  const times = client.calls.map((call) => call.sentAt).sort((a, b) => a - b);
  for (let i = LIMIT.callsPerSecond; i < times.length; i++) {
    expect((times[i] as number) - (times[i - LIMIT.callsPerSecond] as number)).toBeGreaterThanOrEqual(ruleWindowMs(LIMIT));
  }
  expect(client.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT.callsPerSecond);
}

function expectPartition(outcome: GroupedOutcome, ids: readonly number[]): void {
  const accounted = [
    ...outcome.deleted,
    ...outcome.notDeleted,
    ...outcome.unknown,
    ...outcome.failed.flatMap((group) => group.ids),
  ].sort((a, b) => a - b);
  expect(accounted).toEqual([...new Set(ids)].sort((a, b) => a - b));
}

describe('coalescing', () => {
  it('1,000 one-ID submissions in one tick go out as exactly 10 calls of 100, each caller answered with its own ID', async () => {
    const { client, submit } = setup();
    const ids = range(1, 1_000);
    const outcomes = await settle(Promise.all(ids.map((id) => submit([id]))));

    expect(client.calls.map((call) => call.ids.length)).toEqual(Array(10).fill(100));
    outcomes.forEach((outcome, index) => expect(outcome.deleted).toEqual([ids[index]]));
    expectRuleKept(client);
  });

  it('a lone mutation at idle goes out at once', async () => {
    const { client, submit } = setup();
    const started = Date.now();
    const outcome = await settle(submit([7, 8]));
    expect(outcome.deleted).toEqual([7, 8]);
    expect(client.calls).toEqual([{ ids: [7, 8], sentAt: started }]);
  });

  it('a one-ID caller behind a 3,000-ID one rides in the very next call', async () => {
    const { client, submit } = setup();
    const big = submit(range(1, 3_000));
    await vi.advanceTimersByTimeAsync(50);
    const small = submit([5_000]);
    expect((await settle(small)).deleted).toEqual([5_000]);
    expect(client.calls[1]?.ids).toContain(5_000);
    expect(client.calls[1]?.ids).toHaveLength(100);
    expect((await settle(big)).deleted).toHaveLength(3_000);
  });

  it('the same ID asked by two callers at once takes one place, and both see it deleted', async () => {
    const { client, submit } = setup();
    const [first, second] = await settle(Promise.all([submit([5, 6]), submit([6, 7])]));
    expect(client.calls.map((call) => call.ids)).toEqual([[5, 6, 7]]);
    expect(first?.deleted).toEqual([5, 6]);
    expect(second?.deleted).toEqual([6, 7]);
  });

  it('an ID already in flight for one caller rides that call for the next caller', async () => {
    const { client, submit } = setup();
    client.latencyMs = 300;
    const first = submit([1]);
    await vi.advanceTimersByTimeAsync(150);
    const second = submit([1, 2]);
    const [a, b] = await settle(Promise.all([first, second]));
    expect(client.calls.map((call) => call.ids)).toEqual([[1], [2]]);
    expect(a?.deleted).toEqual([1]);
    expect(b?.deleted).toEqual([1, 2]);
  });
});

describe('the rate limit, on real send times', () => {
  it('sends that slip between the slot and the socket never put 11 calls in a window', async () => {
    const { client, submit, missed } = setup();
    // A seeded mix of stalls between a slot being granted and the bytes going (GC, a busy event loop).
    let seed = 42;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    client.sendLagMs = () => (random() < 0.3 ? Math.floor(random() * 250) : 0);
    const outcomes = await settle(Promise.all(range(1, 60).map((caller) => submit(range(caller * 100, caller * 100 + 49)))));

    outcomes.forEach((outcome) => expect(outcome.deleted).toHaveLength(50));
    expect(client.calls.length).toBeGreaterThanOrEqual(30);
    expectRuleKept(client);
    expect(missed()).toBeGreaterThan(0);
  });
});

describe('honest accounting', () => {
  const internalError = failure('InternalError', 'Internal error.', { requestId: 'req-x' });
  const timeout = failure(GatewayCode.UpstreamTimeout, 'Tencent Cloud did not answer in time', { delivery: 'unknown' });

  it('an answer lost after the delete, then transient failures until the deadline: unknown, never failed', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) =>
      index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'fail', failure: internalError };
    const ids = range(1, 20);
    const outcome = await settle(submit(ids, 3_000));

    expect(outcome.unknown.sort((a, b) => a - b)).toEqual(ids);
    expect(outcome.failed).toEqual([]);
    expect(ids.every((id) => !client.store.has(id))).toBe(true);
    expect(client.calls.length).toBeGreaterThan(2);
  });

  it('the deadline passes while a call is in flight, then its answer is lost: unknown', async () => {
    const { client, submit } = setup();
    client.latencyMs = 2_000;
    client.answers = () => ({ kind: 'fail', failure: timeout, applied: true });
    const started = Date.now();
    const outcome = await settle(submit([1, 2, 3], 1_000));
    expect(outcome.unknown).toEqual([1, 2, 3]);
    expect(outcome.failed).toEqual([]);
    // Answered when the call ended, not after a retry.
    expect(Date.now() - started).toBeLessThanOrEqual(2_010);
    expect(client.calls).toHaveLength(1);
  });

  it('a lost answer, then a definitive refusal: unknown, not the refusal', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) =>
      index === 0
        ? { kind: 'fail', failure: timeout, applied: true }
        : { kind: 'fail', failure: failure('FailedOperation', 'Operation failed.') };
    const outcome = await settle(submit([4, 5]));
    expect(outcome.unknown).toEqual([4, 5]);
    expect(outcome.failed).toEqual([]);
  });

  it('a lost answer, then an answer that lists the IDs: deleted', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: false } : { kind: 'normal' });
    const outcome = await settle(submit([4, 5]));
    expect(outcome.deleted).toEqual([4, 5]);
    expect(client.calls).toHaveLength(2);
  });

  it('a lost answer after the delete, then an answer that does not list them: unknown, never not-deleted', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const outcome = await settle(submit([4, 5]));
    expect(outcome.unknown).toEqual([4, 5]);
    expect(outcome.notDeleted).toEqual([]);
  });
});

describe('isolation, charged to the caller that owns the rejected IDs', () => {
  it('one bad ID among a caller\'s 100 costs exactly 15 calls (1 + 2 × 7 levels), and only it fails', async () => {
    const { client, submit } = setup();
    client.invalid.add(37);
    const ids = range(1, 100);
    const outcome = await settle(submit(ids));

    expect(client.calls).toHaveLength(15);
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]).toMatchObject({ failure: { code: 'InvalidParameter.InvalidCSRId' }, ids: [37] });
    expect(outcome.deleted.sort((a, b) => a - b)).toEqual(ids.filter((id) => id !== 37));
  });

  it('100 IDs that Tencent all rejects cost 15 calls, not 199; every one is reported with the rejecting error', async () => {
    const { client, submit } = setup();
    const ids = range(1, 100);
    for (const id of ids) client.invalid.add(id);
    const outcome = await settle(submit(ids));

    expect(client.calls).toHaveLength(15);
    expect(outcome.failed).toHaveLength(1);
    expect(outcome.failed[0]?.failure.code).toBe('InvalidParameter.InvalidCSRId');
    expect(outcome.failed[0]?.ids.sort((a, b) => a - b)).toEqual(ids);
  });

  it('a one-ID caller beside 100 rejected IDs is answered within two slots', async () => {
    const { client, submit } = setup();
    const bad = range(1, 100);
    for (const id of bad) client.invalid.add(id);
    const hog = submit(bad);
    await vi.advanceTimersByTimeAsync(50); // the hog's first call has been rejected
    const started = Date.now();
    const bystander = submit([5_000]);
    const outcome = await settle(bystander);

    expect(outcome.deleted).toEqual([5_000]);
    const bystanderCall = client.calls.findIndex((call) => call.ids.includes(5_000));
    expect(bystanderCall).toBeLessThanOrEqual(2); // the hog's first call, at most one part, then this
    expect(Date.now() - started).toBeLessThanOrEqual(2 * 103 + client.latencyMs);
    await settle(hog);
  });

  it('a one-ID caller beside 1,000 rejected IDs is answered within two slots too', async () => {
    const { client, submit } = setup();
    const bad = range(1, 1_000);
    for (const id of bad) client.invalid.add(id);
    const hog = submit(bad);
    await vi.advanceTimersByTimeAsync(250);
    const before = client.calls.length;
    const outcome = await settle(submit([5_000]));
    expect(outcome.deleted).toEqual([5_000]);
    expect(client.calls.findIndex((call) => call.ids.includes(5_000)) - before).toBeLessThanOrEqual(2);
    const hogOutcome = await settle(hog);
    expectPartition(hogOutcome, bad);
    expect(client.calls.length).toBeLessThanOrEqual(1 + 10 * 15);
  });

  it('callers sharing a rejected call are split apart first: the innocent caller\'s IDs are all deleted', async () => {
    const { client, submit } = setup();
    client.invalid.add(3);
    const [guilty, innocent] = await settle(Promise.all([submit(range(1, 50)), submit(range(101, 150))]));
    expect(innocent?.deleted).toHaveLength(50);
    expect(innocent?.failed).toEqual([]);
    expect(guilty?.failed).toEqual([expect.objectContaining({ ids: [3] })]);
    // The innocent caller's IDs were resent once, on their own.
    expect(client.calls.filter((call) => call.ids.includes(101))).toHaveLength(2);
  });
});

describe('retries', () => {
  it('after Tencent throttles the account, nothing is sent for a second, then the IDs are deleted', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) =>
      index === 0 ? { kind: 'fail', failure: failure('RequestLimitExceeded', 'Your current request times equals to 11 in a second') } : { kind: 'normal' };
    const outcome = await settle(submit([1, 2]));
    expect(outcome.deleted).toEqual([1, 2]);
    const [first, second] = client.calls;
    expect((second?.sentAt ?? 0) - (first?.sentAt ?? 0)).toBeGreaterThanOrEqual(RATE_LIMIT_COOL_DOWN_MS);
  });

  it('a retried call is topped up: its IDs go again with other callers\' IDs, in one call', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: failure('InternalError', 'x') } : { kind: 'normal' });
    const first = submit(range(1, 50));
    await vi.advanceTimersByTimeAsync(30);
    const second = submit(range(201, 250));
    const [a, b] = await settle(Promise.all([first, second]));
    expect(a?.deleted).toHaveLength(50);
    expect(b?.deleted).toHaveLength(50);
    expect(client.calls.map((call) => call.ids.length)).toEqual([50, 100]);
  });

  it('final codes are not retried', async () => {
    const { client, submit } = setup();
    client.answers = () => ({ kind: 'fail', failure: failure('AuthFailure.SignatureFailure', 'bad signature', { requestId: 'r1' }) });
    const outcome = await settle(submit([1, 2, 3]));
    expect(client.calls).toHaveLength(1);
    expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: 'AuthFailure.SignatureFailure' }), ids: [1, 2, 3] }]);
    expect(outcome.requestIds).toEqual(['r1']);
  });
});

describe('deadlines', () => {
  it('IDs still queued at the deadline fail with one DeadlineExceeded group; those sent are answered', async () => {
    const { client, submit } = setup();
    const ids = range(1, 2_000);
    const outcome = await settle(submit(ids, 450));
    expectPartition(outcome, ids);
    expect(client.calls).toHaveLength(5); // 0, 103, 206, 309, 412 ms
    expect(outcome.deleted).toHaveLength(500);
    expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: GatewayCode.DeadlineExceeded }), ids: expect.any(Array) }]);
    expect(outcome.failed[0]?.ids).toHaveLength(1_500);
    // Nothing the deadline answered was sent, and everything sent was deleted.
    expect(outcome.failed[0]?.ids.every((id) => client.store.has(id))).toBe(true);
  });

  it('a deadline already passed sends nothing', async () => {
    const { client, engine } = setup();
    const outcome = await settle(engine.submit([1], { deadline: Date.now() - 1 }).then(groupOutcome));
    expect(outcome.failed[0]?.failure.code).toBe(GatewayCode.DeadlineExceeded);
    expect(client.calls).toEqual([]);
  });

  it('IDs backing off when the deadline comes get the failure that kept them waiting, at the deadline', async () => {
    const { client, submit } = setup();
    client.answers = () => ({ kind: 'fail', failure: failure('InternalError', 'Internal error.') });
    const started = Date.now();
    const outcome = await settle(submit([1, 2], 1_000));
    expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: 'InternalError' }), ids: [1, 2] }]);
    expect(Date.now() - started).toBeLessThanOrEqual(1_010);
  });
});

describe('errors are grouped per code', () => {
  it('one group per code, in order of code, however many calls and deadlines produced them', async () => {
    const { client, submit } = setup();
    for (const id of [3, 17, 60]) client.invalid.add(id);
    const ids = range(1, 3_000);
    const outcome = await settle(submit(ids, 5_000));
    expectPartition(outcome, ids);
    expect(outcome.failed.map((group) => group.failure.code)).toEqual([GatewayCode.DeadlineExceeded, 'InvalidParameter.InvalidCSRId']);
    expect(outcome.failed[1]?.ids.sort((a, b) => a - b)).toEqual([3, 17, 60]);
  });
});

describe('the limiter failing, and drain', () => {
  it('a limiter that cannot answer fails the queued IDs at once with LimiterUnavailable, nothing sent', async () => {
    const broken: RateLimiter = { acquire: () => Promise.reject(new Error('Redis (REDIS_URL) has not answered for 2000 ms')) };
    const { client, submit } = setup({ limiter: broken });
    const outcome = await settle(submit([1, 2]));
    expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: GatewayCode.LimiterUnavailable }), ids: [1, 2] }]);
    expect(client.calls).toEqual([]);
  });

  it('drain answers every accepted caller in full, leaves no timer behind, then refuses new work', async () => {
    const { client, engine, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: failure('InternalError', 'x') } : { kind: 'normal' });
    const accepted = [submit(range(1, 150)), submit([500])];
    const drained = engine.drain();
    const outcomes = await settle(Promise.all(accepted));
    await settle(drained);
    expectPartition(outcomes[0] as GroupedOutcome, range(1, 150));
    expect(vi.getTimerCount()).toBe(0);
    const refused = await engine.submit([9], { deadline: Date.now() + 1_000 }).then(groupOutcome);
    expect(refused.failed[0]?.failure.code).toBe(GatewayCode.ShuttingDown);
  });

  it('past maxPendingIds a submission is refused at once, nothing sent for it', async () => {
    const { client, submit } = setup({ maxPendingIds: 150 });
    const first = submit(range(1, 100));
    const refused = await submit(range(201, 260));
    expect(refused.failed[0]?.failure.code).toBe(GatewayCode.Overloaded);
    await settle(first);
    expect(client.calls.flatMap((call) => call.ids).some((id) => id > 200)).toBe(false);
  });
});
