/**
 * A shared call must not run in the async context of whichever caller woke the engine: no caller's
 * request ID, logger or abort signal may ride along into a call that carries other callers' IDs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { expect, it } from 'vitest';
import { BatchingEngine } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { range, RecordingClient } from './support/recording-client.js';
import { groupOutcome } from '../../../src/engine/outcome.js';

it('upstream calls run in the engine’s own context, not a caller’s', async () => {
  const client = new RecordingClient();
  client.latencyMs = 1;
  const requestContext = new AsyncLocalStorage<string>();
  const seenInCalls: (string | undefined)[] = [];
  const engine = new BatchingEngine({
    client,
    limiter: new LocalSpacingLimiter({ callsPerSecond: 1_000 }),
    maxPendingIds: 10_000,
    observer: { onCall: () => seenInCalls.push(requestContext.getStore()) },
  });

  const deadline = Date.now() + 10_000;
  const [a, b] = await Promise.all([
    requestContext.run('caller-a', () => engine.submit([1, 2, 3], { deadline }).then(groupOutcome)),
    requestContext.run('caller-b', () => engine.submit(range(100, 249), { deadline }).then(groupOutcome)),
  ]);
  expect(a.deleted).toEqual([1, 2, 3]);
  expect(b.deleted).toHaveLength(150);
  expect(seenInCalls.length).toBeGreaterThanOrEqual(2);
  expect(seenInCalls.every((store) => store === undefined)).toBe(true);
});
