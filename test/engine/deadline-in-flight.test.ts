/**
 * A caller's deadline passes while its IDs are in flight, and the answer then blames some IDs
 * (`InvalidParameter.InvalidCSRId`): the engine splits the call to isolate them, but the caller can
 * no longer wait for the halves. Found by the soak test (seed 4, about one run in twelve): the
 * halves waited for a rate-limit slot that no remaining deadline could use, and the caller was
 * never answered. Timing is made deterministic by holding the simulator's real answer until a timer
 * that fires after the caller's deadline timer.
 */
import { afterEach, expect, it } from 'vitest';
import { BatchingEngine } from '../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../src/engine/limiter.js';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
import { TencentSslClient, type BatchDeleteClient } from '../../src/tencent/client.js';
import { TEST_CREDENTIALS } from '../support/gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it('an in-flight call split after its caller’s deadline still answers the caller, with nothing lost', async () => {
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 100 },
    invalidIds: [66],
  });
  const url = await simulator.listen();
  const client = new TencentSslClient({ endpoint: new URL(url), credentials: TEST_CREDENTIALS, timeoutMs: 2_000 });
  cleanups.push(() => client.close(), () => simulator.close());

  const deadlineMs = 50;
  // The answer is Tencent's (the simulator's) own; it only arrives after the caller's deadline timer,
  // which Node fires first because it expires first.
  const slowClient: BatchDeleteClient = {
    secretId: client.secretId,
    close: () => client.close(),
    async batchDeleteCSR(ids) {
      const answer = await client.batchDeleteCSR(ids);
      await new Promise((resolve) => setTimeout(resolve, deadlineMs * 2));
      return answer;
    },
  };
  const engine = new BatchingEngine({ client: slowClient, limiter: new LocalSpacingLimiter(105), maxPendingIds: 1_000 });

  const outcome = await engine.submit([5, 66], { deadline: Date.now() + deadlineMs });

  expect(simulator.log).toHaveLength(1);
  expect(simulator.log[0]).toMatchObject({ outcome: 'InvalidParameter.InvalidCSRId', deleted: [] });
  expect(outcome).toMatchObject({ deleted: [], notDeleted: [], unknown: [] });
  expect(outcome.failed).toHaveLength(1);
  expect(outcome.failed[0]!.failure.code).toBe('Gateway.DeadlineExceeded');
  expect(outcome.failed[0]!.ids.sort((a, b) => a - b)).toEqual([5, 66]);
  expect(simulator.store.has(5)).toBe(true);
  expect(engine.pendingIds).toBe(0);
}, 5_000);
