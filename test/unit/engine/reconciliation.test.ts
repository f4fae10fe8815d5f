/**
 * Reconciliation, in memory: when a call's answer is lost, the engine asks an existence checker
 * (a fake reading the recording client's store) which of its IDs are still there before it settles
 * them. Fake timers, so every count below is exact. The decision per ID is decision.ts `reconcile`
 * (its table is in decision.test.ts); these tests hold the engine to it, across callers and deadlines.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchingEngine, CHECK_DELAY_MS } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { groupOutcome, type DeletionOutcome, type GroupedOutcome } from '../../../src/engine/outcome.js';
import type { RateLimiter } from '../../../src/engine/types.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';
import { FakeChecker } from './support/fake-checker.js';
import { range, RecordingClient } from './support/recording-client.js';

const DEADLINE_MS = 30_000;
const timeout = failure(GatewayCode.UpstreamTimeout, 'Tencent Cloud did not answer in time', { delivery: 'unknown' });
const reset = failure(GatewayCode.UpstreamConnectionReset, 'reset', { delivery: 'unknown' });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup({ checker: withChecker = true, checkTimeoutMs }: { checker?: boolean; checkTimeoutMs?: number } = {}) {
  const client = new RecordingClient();
  const checker = new FakeChecker(client);
  const inner = new LocalSpacingLimiter({ callsPerSecond: 10 });
  let slots = 0;
  const limiter: RateLimiter = {
    acquire: (key, until) => {
      slots++;
      return inner.acquire(key, until);
    },
  };
  const engine = new BatchingEngine({
    client,
    limiter,
    maxPendingIds: 1_000_000,
    random: () => 0.5,
    ...(withChecker ? { checker } : {}),
    ...(checkTimeoutMs === undefined ? {} : { checkTimeoutMs }),
  });
  const submitRaw = (ids: readonly number[], deadlineMs = DEADLINE_MS): Promise<DeletionOutcome> =>
    engine.submit(ids, { deadline: Date.now() + deadlineMs });
  const submit = (ids: readonly number[], deadlineMs = DEADLINE_MS): Promise<GroupedOutcome> => submitRaw(ids, deadlineMs).then(groupOutcome);
  return { client, checker, engine, submit, submitRaw, slots: () => slots };
}

async function settle<T>(promise: Promise<T>, maxMs = 60_000): Promise<T> {
  let done = false;
  void promise.finally(() => (done = true));
  for (let elapsed = 0; !done && elapsed < maxMs; elapsed += 10) await vi.advanceTimersByTimeAsync(10);
  return promise;
}

describe('a lost answer is checked before its IDs are settled', () => {
  it('lost after the delete: deleted, confirmed by the check, whose RequestId is recorded; nothing sent again', async () => {
    const { client, checker, submitRaw } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const outcome = await settle(submitRaw([1, 2, 3]));

    expect(groupOutcome(outcome).deleted).toEqual([1, 2, 3]);
    for (const id of [1, 2, 3]) {
      expect(outcome.settlements.get(id)).toEqual({ kind: 'deleted', evidence: 'check' });
      expect(outcome.requestIds.get(id)).toEqual(['check-0']);
    }
    expect(client.calls).toHaveLength(1);
    expect(checker.checks.map((check) => check.ids)).toEqual([[1, 2, 3]]);
  });

  it('lost before the delete: still there, so it goes around again and a later call deletes it (with that answer as evidence)', async () => {
    const { client, checker, submitRaw } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: reset, applied: false } : { kind: 'normal' });
    const outcome = await settle(submitRaw([4, 5]));

    expect(groupOutcome(outcome).deleted).toEqual([4, 5]);
    expect(outcome.settlements.get(4)).toEqual({ kind: 'deleted' });
    expect(client.calls.map((call) => call.ids)).toEqual([[4, 5], [4, 5]]);
    expect(checker.checks).toHaveLength(1);
    expect(outcome.requestIds.get(4)).toEqual(['check-0', 'req-1']);
  });

  it('an answer without a Success list before the delete, then a not-listed answer: not deleted — the check took the ambiguity away', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => {
      if (index === 0) return { kind: 'unlisted', applied: false };
      client.store.delete(6); // someone else deleted it between the check and the resend
      return { kind: 'normal' };
    };
    const outcome = await settle(submit([6]));
    expect(outcome.notDeleted).toEqual([6]);
    expect(outcome.unknown).toEqual([]);
  });

  it('a timeout, then a not-listed answer: unknown — the timed-out call may have landed after the check', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => {
      if (index === 0) return { kind: 'fail', failure: timeout, applied: false };
      client.store.delete(6); // the timed-out call, applied late
      return { kind: 'normal' };
    };
    const outcome = await settle(submit([6]));
    expect(outcome.unknown).toEqual([6]);
    expect(outcome.notDeleted).toEqual([]);
  });

  it('still there after an answer without a Success list, the deadline passed while the call was out: failed with the deadline code (nothing deleted it), not unknown', async () => {
    const { client, submitRaw } = setup();
    client.latencyMs = 2_000;
    client.answers = () => ({ kind: 'unlisted', applied: false });
    const outcome = await settle(submitRaw([7, 8], 1_000));

    const grouped = groupOutcome(outcome);
    expect(grouped.unknown).toEqual([]);
    expect(grouped.failed.map((group) => [group.failure.code, group.ids])).toEqual([[GatewayCode.DeadlineExceeded, [7, 8]]]);
    expect(client.calls).toHaveLength(1);
  });

  it('a timeout, then an answer without a Success list, the ID still there past the deadline: unknown — the timed-out call may still land', async () => {
    const { client, submit } = setup();
    client.latencyOf = (_call, index) => (index === 0 ? 20 : 2_000);
    client.answers = (_call, index) =>
      index === 0 ? { kind: 'fail', failure: timeout, applied: false } : { kind: 'unlisted', applied: false };
    const outcome = await settle(submit([9], 1_000));
    expect(outcome.unknown).toEqual([9]);
    expect(outcome.failed).toEqual([]);
  });

  it('still there after a timeout, past the deadline: unknown (the request may still be applied)', async () => {
    const { client, submit } = setup();
    client.latencyMs = 2_000;
    client.answers = () => ({ kind: 'fail', failure: timeout, applied: false });
    const outcome = await settle(submit([7, 8], 1_000));
    expect(outcome.unknown).toEqual([7, 8]);
    expect(outcome.failed).toEqual([]);
  });

  it('the read side refuses outright (no permission): unknown, as without a checker — never asked again for that call', async () => {
    const { client, checker, submit } = setup();
    checker.fails = () => true;
    checker.failure = failure('UnauthorizedOperation', 'no permission to read');
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const outcome = await settle(submit([1, 2]));
    expect(outcome.unknown).toEqual([1, 2]);
    expect(outcome.deleted).toEqual([]);
    // As without a checker: the lost answer's own decision (retry), then every later call's check fails too.
    expect(client.calls.length).toBeGreaterThan(1);
    expect(checker.checks.length).toBe(client.calls.length - 1);
  });

  it('a check that throws or never answers is a failed check: unknown, and the caller is still answered', async () => {
    const { client, checker, submit } = setup();
    checker.check = () => new Promise(() => undefined);
    client.answers = () => ({ kind: 'fail', failure: timeout, applied: true });
    const outcome = await settle(submit([9], 5_000), 120_000);
    expect(outcome.unknown).toEqual([9]);
  });

  it('an answer without a Success list after the delete: deleted, confirmed by the check', async () => {
    const { client, submitRaw } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'unlisted', applied: true } : { kind: 'normal' });
    const outcome = await settle(submitRaw([1, 2]));
    expect(outcome.settlements.get(1)).toEqual({ kind: 'deleted', evidence: 'check' });
    expect(groupOutcome(outcome).deleted).toEqual([1, 2]);
    expect(client.calls).toHaveLength(1);
  });

  it('an answer without a Success list before the delete: still there, deleted by the next call', async () => {
    const { client, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'unlisted', applied: false } : { kind: 'normal' });
    const outcome = await settle(submit([1, 2]));
    expect(outcome.deleted).toEqual([1, 2]);
    expect(client.calls).toHaveLength(2);
  });

  it('partly applied: the gone IDs are deleted by the check, the others by a later call', async () => {
    const { client, submitRaw } = setup();
    client.answers = (call, index) => {
      if (index !== 0) return { kind: 'normal' };
      client.store.delete(call.ids[0] as number); // Tencent got as far as the first one
      return { kind: 'fail', failure: timeout };
    };
    const outcome = await settle(submitRaw([10, 11, 12]));
    expect(outcome.settlements.get(10)).toEqual({ kind: 'deleted', evidence: 'check' });
    expect(outcome.settlements.get(11)).toEqual({ kind: 'deleted' });
    expect(client.calls.map((call) => call.ids)).toEqual([[10, 11, 12], [11, 12]]);
  });
});

describe('checks are paced apart from deletes and shared', () => {
  it('the IDs of calls lost close together share one check, and no check takes a delete slot', async () => {
    const { client, checker, submit, slots } = setup();
    client.answers = (_call, index) => (index < 3 ? { kind: 'fail', failure: timeout, applied: index !== 1 } : { kind: 'normal' });
    // Three callers' calls go out in three slots ~103 ms apart, each lost: all within one check's gathering.
    const callers = [range(1, 100), range(101, 200), range(201, 300)];
    const outcomes = await settle(Promise.all(callers.map((ids) => submit(ids))));

    expect(checker.checks.length).toBeLessThanOrEqual(2);
    expect(new Set(checker.checks.flatMap((check) => check.ids)).size).toBe(300);
    expect(outcomes[0]?.deleted).toHaveLength(100);
    expect(outcomes[1]?.deleted).toHaveLength(100);
    expect(outcomes[2]?.deleted).toHaveLength(100);
    // Only the calls lost before their delete went again: 3 + 1 sends, 4 slots (none missed here).
    expect(client.calls).toHaveLength(4);
    expect(slots()).toBe(client.calls.length);
  });
});

describe('honest accounting per ID, with checks (id-ledger.ts)', () => {
  it("a second caller asking for an ID while it is being checked rides the check: it is never sent meanwhile, and both are told what the check found", async () => {
    const { client, checker, submit } = setup();
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const first = submit([1, 2]);
    await vi.advanceTimersByTimeAsync(20 + CHECK_DELAY_MS / 2); // the call is lost; the check is gathering
    const second = submit([2, 3]);
    const [a, b] = await settle(Promise.all([first, second]));
    expect(a?.deleted).toEqual([1, 2]);
    expect(b?.deleted.sort()).toEqual([2, 3]);
    expect(client.calls.filter((call) => call.ids.includes(2))).toHaveLength(1);
    expect(checker.checks).toHaveLength(1);
  });

  it('a caller past its deadline whose ID is found still there fails with the deadline, while another caller with time left gets it deleted', async () => {
    const { client, submit } = setup();
    client.latencyOf = (_call, index) => (index === 0 ? 1_500 : 20);
    client.answers = (_call, index) => (index === 0 ? { kind: 'unlisted', applied: false } : { kind: 'normal' });
    const short = submit([5], 1_000);
    await vi.advanceTimersByTimeAsync(500);
    const long = submit([5]); // rides the call in flight
    const [a, b] = await settle(Promise.all([short, long]));
    // Before the check took the ambiguity away, the ledger's "lost" made the first caller's failure unknown.
    expect(a?.unknown).toEqual([]);
    expect(a?.failed.map((group) => group.failure.code)).toEqual([GatewayCode.DeadlineExceeded]);
    expect(b?.deleted).toEqual([5]);
  });

  it('without a checker nothing changes: a lost answer after the delete ends unknown', async () => {
    const { client, submit } = setup({ checker: false });
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const outcome = await settle(submit([4, 5]));
    expect(outcome.unknown).toEqual([4, 5]);
  });
});

describe("a check has the caller's time, not just the upstream timeout (issue 21: the bench's unknown share grew with checks on)", () => {
  const UPSTREAM_TIMEOUT_MS = 1_000;

  it('a check that takes longer than UPSTREAM_TIMEOUT_MS (16 IDs, a DescribeCSR each at 10 a second) still answers within the deadline: deleted by the check, not unknown', async () => {
    const { client, checker, submitRaw } = setup({ checkTimeoutMs: UPSTREAM_TIMEOUT_MS });
    checker.perIdMs = 100;
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: reset, applied: true } : { kind: 'normal' });
    const ids = range(1, 16);
    const outcome = await settle(submitRaw(ids));

    expect(groupOutcome(outcome).unknown).toEqual([]);
    for (const id of ids) expect(outcome.settlements.get(id)).toEqual({ kind: 'deleted', evidence: 'check' });
    expect(checker.checks).toHaveLength(1);
    expect((checker.checks[0] as { deadline: number; at: number }).deadline - (checker.checks[0] as { at: number }).at).toBeGreaterThan(20_000);
    expect(client.calls).toHaveLength(1);
  });

  it('a check that ran out of time is asked again while the caller has time, instead of resending blind (whose answer could not tell)', async () => {
    const { client, checker, submitRaw } = setup({ checkTimeoutMs: UPSTREAM_TIMEOUT_MS });
    checker.fails = (index) => index === 0;
    checker.failure = failure(GatewayCode.DeadlineExceeded, 'No DescribeCSR slot came before the deadline; nothing was sent.');
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const outcome = await settle(submitRaw([1, 2, 3]));

    expect(groupOutcome(outcome).deleted).toEqual([1, 2, 3]);
    expect(outcome.settlements.get(1)).toEqual({ kind: 'deleted', evidence: 'check' });
    expect(checker.checks).toHaveLength(2);
    expect(client.calls).toHaveLength(1);
  });

  it('a transient read error is asked again too; the found-still-there IDs are then deleted by a later call', async () => {
    const { client, checker, submit } = setup({ checkTimeoutMs: UPSTREAM_TIMEOUT_MS });
    checker.fails = (index) => index < 2;
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: reset, applied: false } : { kind: 'normal' });
    const outcome = await settle(submit([4, 5]));
    expect(outcome.deleted).toEqual([4, 5]);
    expect(outcome.unknown).toEqual([]);
    expect(checker.checks).toHaveLength(3);
    expect(client.calls.map((call) => call.ids)).toEqual([[4, 5], [4, 5]]);
  });

  it('one check at a time: the calls lost while a check runs are checked together by the next one, never beside it', async () => {
    const { client, checker, submit } = setup({ checkTimeoutMs: UPSTREAM_TIMEOUT_MS });
    checker.latencyMs = 2_000;
    client.answers = (_call, index) => (index < 3 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const first = submit([1]);
    await vi.advanceTimersByTimeAsync(600); // lost, gathered, and its check is running
    const second = submit([2]);
    await vi.advanceTimersByTimeAsync(300);
    const third = submit([3]);
    const outcomes = await settle(Promise.all([first, second, third]));

    expect(outcomes.map((outcome) => outcome.deleted)).toEqual([[1], [2], [3]]);
    expect(checker.checks.map((check) => check.ids)).toEqual([[1], [2, 3]]);
    expect(checker.maxRunning).toBe(1);
  });

  it("a caller whose deadline passes while a longer-lived caller's check runs is answered UPSTREAM_TIMEOUT_MS after its deadline (unknown), not when the check ends", async () => {
    const { client, checker, engine } = setup({ checkTimeoutMs: UPSTREAM_TIMEOUT_MS });
    checker.latencyMs = 10_000;
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const start = Date.now();
    let shortAnsweredAt = 0;
    const short = engine.submit([1], { deadline: start + 2_000 }).then((outcome) => {
      shortAnsweredAt = Date.now();
      return groupOutcome(outcome);
    });
    const long = engine.submit([2], { deadline: start + 30_000 }).then(groupOutcome);
    const [a, b] = await settle(Promise.all([short, long]));

    expect(a?.unknown).toEqual([1]);
    expect(shortAnsweredAt - start).toBeLessThanOrEqual(2_000 + UPSTREAM_TIMEOUT_MS + 10);
    expect(b?.deleted).toEqual([2]);
    expect(checker.checks).toHaveLength(1);
  });
});
