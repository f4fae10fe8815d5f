/**
 * The deletion path end to end: GraphQL mutations over HTTP into the gateway, the engine, the real
 * undici client, the simulator. What is asserted here is behaviour (who gets which answer, what was
 * sent, what was deleted), never a count or a timing that depends on how busy the machine is: exact
 * counts are in test/unit/engine/ (in memory, fake clock), and the rate limit is judged by a simulator in
 * a process of its own (test/integration/process/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/simulator/simulator.js';
import { READ_ACTIONS } from '../../../src/tencent/read-client.js';
import { deleteCSRs, expectPartition, startRig, type ResultShape, type Rig } from '../../support/gateway.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('coalescing', () => {
  it('250 IDs in one mutation go out as calls of ≤ 100 distinct IDs; duplicates count once', async () => {
    rig = await startRig();
    const ids = range(1001, 250);
    const sent = [...ids, ...ids.slice(0, 40), 99_999];
    const result = await deleteCSRs(rig.url, sent);
    expectPartition(result, sent);
    expect(result.deletedIds).toHaveLength(250);
    expect(result.notDeletedIds).toEqual([99_999]);
    const calls = rig.simulator.log;
    expect(calls).toHaveLength(3);
    expect(calls.flatMap((call) => call.ids).sort((a, b) => a - b)).toEqual([...ids, 99_999]);
    for (const call of calls) expect(call.ids.length).toBeLessThanOrEqual(100);
    expect(result.requestIds).toHaveLength(3);
  });

  it('the same ID asked by two callers at once takes one slot, and both see it deleted', async () => {
    rig = await startRig();
    // Hold the first call upstream so that the second caller arrives while 6 is in flight.
    rig.simulator.inject({ kind: 'delay', ms: 300 }, { whenIds: [5] });
    const first = deleteCSRs(rig.url, [5, 6]);
    await until(() => rig!.simulator.log.length >= 1);
    const [a, b] = await Promise.all([first, deleteCSRs(rig.url, [6, 7])]);
    expect(a.deletedIds?.sort()).toEqual([5, 6]);
    expect(b.deletedIds?.sort()).toEqual([6, 7]);
    expect(rig.simulator.log.flatMap((call) => call.ids).filter((id) => id === 6)).toHaveLength(1);
  });

  it('a caller sees only its own IDs and RequestIds of calls that carried them', async () => {
    rig = await startRig();
    const [a, b] = await Promise.all([deleteCSRs(rig.url, [11, 12]), deleteCSRs(rig.url, [13, 99_998])]);
    expectPartition(a, [11, 12]);
    expectPartition(b, [13, 99_998]);
    expect(b.notDeletedIds).toEqual([99_998]);
    const carrying = (ids: number[]) =>
      rig!.simulator.log.filter((call) => call.ids.some((id) => ids.includes(id))).map((call) => call.requestId);
    expect(a.requestIds?.sort()).toEqual(carrying([11, 12]).sort());
    expect(b.requestIds?.sort()).toEqual(carrying([13, 99_998]).sort());
  });
});

describe('isolation', () => {
  it('a poison ID in one caller: only that ID fails, everyone else is deleted', async () => {
    rig = await startRig({ simulator: { invalidIds: [5_555] } });
    const callers = [range(5_000, 30), [5_100, 5_555, 5_101], range(5_200, 40), [5_300]];
    const results = await Promise.all(callers.map((ids) => deleteCSRs(rig!.url, ids)));
    results.forEach((result, index) => expectPartition(result, callers[index]!));
    const [first, poisoned, third, fourth] = results as [ResultShape, ResultShape, ResultShape, ResultShape];
    expect(poisoned).toMatchObject({
      __typename: 'BatchDeleteCSRsSuccess',
      deletedIds: [5_100, 5_101],
      errors: [{ __typename: 'InvalidCSRIdError', code: 'InvalidParameter.InvalidCSRId', csrIds: [5_555] }],
    });
    for (const result of [first, third, fourth]) {
      expect(result.errors).toEqual([]);
      expect(result.unknownIds).toEqual([]);
    }
    expect(first.deletedIds).toHaveLength(30);
    expect(third.deletedIds).toHaveLength(40);
    expect(fourth.deletedIds).toEqual([5_300]);
  });

  it('a caller whose every ID is invalid gets InvalidCSRIdError at the top level', async () => {
    rig = await startRig({ simulator: { invalidIds: [7_001, 7_002] } });
    const [bad, good] = await Promise.all([deleteCSRs(rig.url, [7_001, 7_002]), deleteCSRs(rig.url, [7_003])]);
    expect(bad).toMatchObject({ __typename: 'InvalidCSRIdError', code: 'InvalidParameter.InvalidCSRId' });
    expect(bad.csrIds?.sort()).toEqual([7_001, 7_002]);
    expect(good.deletedIds).toEqual([7_003]);
  });
});

describe('retries', () => {
  const transient: [string, Fault][] = [
    ['RequestLimitExceeded', { kind: 'error', code: 'RequestLimitExceeded' }],
    ['RequestLimitExceeded.UinLimitExceeded', { kind: 'error', code: 'RequestLimitExceeded.UinLimitExceeded' }],
    ['InternalError', { kind: 'error', code: 'InternalError' }],
    ['ServiceUnavailable', { kind: 'error', code: 'ServiceUnavailable' }],
    ['ResourceUnavailable', { kind: 'error', code: 'ResourceUnavailable' }],
    ['HTTP 502', { kind: 'http', status: 502 }],
    ['HTTP 500', { kind: 'http', status: 500 }],
    ['a non-JSON answer', { kind: 'nonJson' }],
    ['a reset before the delete', { kind: 'dropBeforeApply' }],
  ];
  it.each(transient)('%s twice, then success: every ID deleted, each attempt a call', async (_name, fault) => {
    // A small account, so that each lost answer's check is a short scan (a DescribeCSR per ID would
    // take 10 s of the read limit for 100 IDs: the checker chooses by calls).
    rig = await startRig({ simulator: { seed: { from: 8_000, to: 8_299 } } });
    rig.simulator.inject(fault, { times: 2 });
    const ids = range(8_000, 150);
    const result = await deleteCSRs(rig.url, ids);
    expectPartition(result, ids);
    expect(result.deletedIds?.sort((a, b) => a - b)).toEqual(ids);
    // 2 calls + 2 failed attempts (which chunk got the faults depends on timing) — each took a slot.
    expect(rig.simulator.log.filter((call) => call.action === 'BatchDeleteCSR')).toHaveLength(4);
  });

  it('after Tencent says RequestLimitExceeded, nothing is sent for a second (someone else is spending the quota)', async () => {
    rig = await startRig();
    rig.simulator.inject({ kind: 'error', code: 'RequestLimitExceeded' }, { times: 1 });
    const ids = range(8_200, 300);
    const result = await deleteCSRs(rig.url, ids);
    expect(result.deletedIds).toHaveLength(300);
    const [refused, ...later] = rig.simulator.log;
    expect(refused!.outcome).toBe('RequestLimitExceeded');
    for (const call of later) expect(call.arrivedAt - refused!.arrivedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('a timeout, then success: nothing is reported not-deleted', async () => {
    rig = await startRig({ env: { UPSTREAM_TIMEOUT_MS: '200' } });
    rig.simulator.inject({ kind: 'delay', ms: 600 }, { times: 1 });
    const ids = range(8_500, 20);
    const result = await deleteCSRs(rig.url, ids);
    expectPartition(result, ids);
    expect(result.notDeletedIds).toEqual([]);
    expect([...(result.deletedIds ?? []), ...(result.unknownIds ?? [])].sort((a, b) => a - b)).toEqual(ids);
  });

  it('a lost answer after the delete was applied, the read side failing (no check possible): the IDs come back unknown, never not-deleted', async () => {
    rig = await startRig();
    for (const action of READ_ACTIONS) rig.simulator.inject({ kind: 'error', code: 'UnauthorizedOperation' }, { times: Infinity, action });
    rig.simulator.inject({ kind: 'dropAfterApply' }, { times: 1 });
    const ids = range(9_000, 30);
    const result = await deleteCSRs(rig.url, [...ids, 99_997]);
    expectPartition(result, [...ids, 99_997]);
    expect(result.__typename).toBe('BatchDeleteCSRsSuccess');
    // The first call deleted them but its answer was lost; the retry's Success cannot list them.
    expect(result.unknownIds?.sort((a, b) => a - b)).toEqual([...ids, 99_997]);
    expect(result.notDeletedIds).toEqual([]);
    expect(ids.every((id) => !rig!.simulator.store.has(id))).toBe(true);
    expect(rig.simulator.log.filter((call) => call.action === 'BatchDeleteCSR')).toHaveLength(2);
    expect(result.requestIds).toHaveLength(1);
  });

  it('a lost answer before the delete: the retry deletes them and says so', async () => {
    rig = await startRig();
    rig.simulator.inject({ kind: 'dropBeforeApply' }, { times: 1 });
    const result = await deleteCSRs(rig.url, [9_500, 9_501]);
    expect(result).toMatchObject({ deletedIds: [9_500, 9_501], unknownIds: [], notDeletedIds: [] });
  });

  it('final codes are not retried', async () => {
    rig = await startRig();
    rig.simulator.inject({ kind: 'error', code: 'FailedOperation' }, { times: 1 });
    const result = await deleteCSRs(rig.url, [9_600]);
    expect(result).toMatchObject({ __typename: 'FailedOperationError', code: 'FailedOperation' });
    expect(rig.simulator.log).toHaveLength(1);
  });
});

describe('fairness, deadlines, back-pressure, drain', () => {
  it('a 5,000-ID mutation with a 1.5 s deadline: partition holds, rate-limited IDs still exist', async () => {
    rig = await startRig({ env: { MUTATION_DEADLINE_MS: '1500' } });
    const ids = range(1, 5_000);
    const result = await deleteCSRs(rig.url, ids);
    expectPartition(result, ids);
    expect(result.__typename).toBe('BatchDeleteCSRsSuccess');
    const limited = (result.errors ?? []).filter((error) => error.__typename === 'RateLimitExceededError');
    expect(limited).toHaveLength(1);
    expect(limited[0]!.code).toBe('Gateway.DeadlineExceeded');
    const limitedIds = limited[0]!.csrIds;
    expect(limitedIds.length).toBeGreaterThan(3_000);
    expect(limitedIds.every((id) => rig!.simulator.store.has(id))).toBe(true);
    expect(result.deletedIds!.every((id) => !rig!.simulator.store.has(id))).toBe(true);
    expect(result.deletedIds!.length + limitedIds.length).toBe(5_000);
  });

  it('past MAX_PENDING_IDS, a new mutation is refused at once with RateLimitExceededError, nothing sent for it', async () => {
    rig = await startRig({ env: { MAX_PENDING_IDS: '500', MAX_IDS_PER_MUTATION: '500' } });
    // Hold the first call upstream: its IDs stay pending (in flight or queued) while the second arrives.
    rig.simulator.inject({ kind: 'delay', ms: 300 }, { whenIds: [1] });
    const first = deleteCSRs(rig.url, range(1, 450));
    await until(() => rig!.simulator.log.length >= 1);
    const refused = await deleteCSRs(rig.url, range(2_000, 100));
    expect(refused).toMatchObject({ __typename: 'RateLimitExceededError', code: 'Gateway.Overloaded' });
    expect(refused.csrIds).toHaveLength(100);
    expect((await first).deletedIds).toHaveLength(450);
    expect(rig.simulator.log.flatMap((call) => call.ids).some((id) => id >= 2_000)).toBe(false);
  });

  it('drain answers every queued caller in full, then refuses new work', async () => {
    rig = await startRig();
    const callers = [range(1, 700), range(1_000, 300), [5_000]];
    const pending = callers.map((ids) => deleteCSRs(rig!.url, ids));
    await until(() => rig!.simulator.log.length >= 1);
    const drained = rig.gateway.engine.drain();
    const refused = await deleteCSRs(rig.url, [6_000]);
    expect(refused).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'Gateway.ShuttingDown' });
    await drained;
    const results = await Promise.all(pending);
    results.forEach((result, index) => {
      expectPartition(result, callers[index]!);
      expect(result.deletedIds).toHaveLength(callers[index]!.length);
    });
    expect(rig.gateway.engine.pendingIds).toBe(0);
  });
});

/** Waits for an observable condition (polled on the event loop; bounded by the test timeout). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
