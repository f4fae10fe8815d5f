/**
 * A caller's deadline passes while its IDs are in flight, and the answer then blames some IDs
 * (`InvalidParameter.InvalidCSRId`): the engine splits the call to isolate them, but the caller can
 * no longer wait for the halves. Found by the soak test (seed 4, about one run in twenty): the
 * halves waited for a rate-limit slot that no remaining deadline could use, and the caller was
 * never answered. Timing is made deterministic by holding the simulator's real answer until a timer
 * that fires after the caller's deadline timer.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { BatchingEngine } from '../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../src/engine/limiter.js';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
import { TencentSslClient, type BatchDeleteClient } from '../../src/tencent/client.js';
import { TEST_CREDENTIALS } from '../support/gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const DEADLINE_MS = 50;

/**
 * The engine over a real client and simulator, except that the simulator's answer is handed back
 * only once `performance.now()` reaches the time the test sets (a slow network, in effect).
 */
async function engineWithLateAnswers() {
  let answerAt = 0;
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 100 },
    invalidIds: [66],
  });
  const url = await simulator.listen();
  const client = new TencentSslClient({ endpoint: new URL(url), credentials: TEST_CREDENTIALS, timeoutMs: 2_000 });
  cleanups.push(() => client.close(), () => simulator.close());
  const lateClient: BatchDeleteClient = {
    secretId: client.secretId,
    close: () => client.close(),
    async batchDeleteCSR(ids) {
      const answer = await client.batchDeleteCSR(ids);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, answerAt - performance.now())));
      return answer;
    },
  };
  const engine = new BatchingEngine({ client: lateClient, limiter: new LocalSpacingLimiter(105), maxPendingIds: 1_000 });
  return {
    simulator,
    engine,
    answerAfter: (ms: number) => {
      answerAt = performance.now() + ms;
    },
  };
}

it('an in-flight call split after its caller’s deadline still answers the caller, with nothing lost', async () => {
  const { simulator, engine, answerAfter } = await engineWithLateAnswers();
  // The deadline timer expires first, so Node fires it first; the answer comes after.
  answerAfter(DEADLINE_MS * 2);
  const outcome = await engine.submit([5, 66], { deadline: Date.now() + DEADLINE_MS });

  expect(simulator.log).toHaveLength(1);
  expect(simulator.log[0]).toMatchObject({ outcome: 'InvalidParameter.InvalidCSRId', deleted: [] });
  expect(outcome).toMatchObject({ deleted: [], notDeleted: [], unknown: [] });
  expect(outcome.failed).toHaveLength(1);
  expect(outcome.failed[0]!.failure.code).toBe('Gateway.DeadlineExceeded');
  expect(outcome.failed[0]!.ids.sort((a, b) => a - b)).toEqual([5, 66]);
  expect(simulator.store.has(5)).toBe(true);
  expect(engine.pendingIds).toBe(0);
}, 5_000);

it('…also when the deadline timer fires before the wall clock reaches the deadline', async () => {
  // Node's timers run on the event loop's cached monotonic clock and now and then fire a millisecond
  // before Date.now() reaches their due time (the soak test's second hang, about one run in twenty).
  // Here the wall clock is made to lag the timers by 30 ms, so the window is wide enough to hit on
  // purpose: the deadline timer fires at +50 ms while Date.now() reads +20 ms, and the answer
  // arrives at +60 ms, when Date.now() still reads before the deadline.
  const { simulator, engine, answerAfter } = await engineWithLateAnswers();
  answerAfter(DEADLINE_MS + 10);
  const pending = engine.submit([5, 66], { deadline: Date.now() + DEADLINE_MS });
  const wallClock = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => wallClock() - 30);

  const outcome = await pending;

  expect(simulator.log).toHaveLength(1);
  expect(outcome).toMatchObject({ deleted: [], notDeleted: [], unknown: [] });
  // One group: the caller sees one error for the IDs that one reason kept from Tencent.
  expect(outcome.failed.map((group) => group.failure.code)).toEqual(['Gateway.DeadlineExceeded']);
  expect(outcome.failed[0]!.ids.sort((a, b) => a - b)).toEqual([5, 66]);
  expect(engine.pendingIds).toBe(0);
}, 5_000);
