/**
 * A shared call must not run in the async context of whichever caller woke the engine: no caller's
 * request ID, logger or abort signal may ride along into a call that carries other callers' IDs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, expect, it } from 'vitest';
import { BatchingEngine } from '../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../src/engine/limiter.js';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
import { TencentSslClient } from '../../src/tencent/client.js';
import { TEST_CREDENTIALS } from '../support/gateway.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

it('upstream calls run in the engine’s own context, not a caller’s', async () => {
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 1_000 },
  });
  const url = await simulator.listen();
  const client = new TencentSslClient({ endpoint: new URL(url), credentials: TEST_CREDENTIALS, timeoutMs: 2_000 });
  cleanups.push(() => client.close(), () => simulator.close());

  const requestContext = new AsyncLocalStorage<string>();
  const seenInCalls: (string | undefined)[] = [];
  const engine = new BatchingEngine({
    client,
    limiter: new LocalSpacingLimiter({ callsPerSecond: 10 }),
    maxPendingIds: 10_000,
    observer: { onCall: () => seenInCalls.push(requestContext.getStore()) },
  });

  const deadline = Date.now() + 10_000;
  const [a, b] = await Promise.all([
    requestContext.run('caller-a', () => engine.submit([1, 2, 3], { deadline })),
    requestContext.run('caller-b', () => engine.submit(Array.from({ length: 150 }, (_, i) => 100 + i), { deadline })),
  ]);
  expect(a.deleted).toEqual([1, 2, 3]);
  expect(b.deleted).toHaveLength(150);
  expect(seenInCalls.length).toBeGreaterThanOrEqual(2);
  expect(seenInCalls.every((store) => store === undefined)).toBe(true);
});
