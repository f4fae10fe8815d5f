/**
 * The deletion service (src/deletion/service.ts) in memory, around the real engine and the recording
 * Tencent of the engine tests: IDs are de-duplicated once, at its entry; the outcome is the engine's
 * per-ID shape; a submitter learns, per ID, when a call carrying it goes.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DeletionService } from '../../../src/deletion/service.js';
import { BatchingEngine } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { DELETED } from '../../../src/engine/outcome.js';
import { RecordingClient } from '../engine/support/recording-client.js';

let client: RecordingClient;
let engine: BatchingEngine;
let deletion: DeletionService;

beforeEach(() => {
  client = new RecordingClient();
  engine = new BatchingEngine({ client, limiter: new LocalSpacingLimiter({ callsPerSecond: 1_000 }), maxPendingIds: 100_000 });
  deletion = new DeletionService({ engine });
});
afterEach(() => deletion.drain());

const request = { deadline: Date.now() + 10_000, attribution: { caller: 'alice', callerKind: 'job' } };

it('counts a duplicate once: one settlement per distinct ID, each ID sent once', async () => {
  const outcome = await deletion.submit([4, 5, 4, 5, 6], request);
  expect([...outcome.settlements]).toEqual([
    [4, DELETED],
    [5, DELETED],
    [6, DELETED],
  ]);
  expect(client.calls.map((call) => call.ids)).toEqual([[4, 5, 6]]);
  expect(outcome.requestIds.get(5)).toEqual(['req-0']);
  expect(deletion.pendingIds).toBe(0);
});

it('tells each submitter which of its IDs a call carries as it goes, and a rider when it joins a call in flight', async () => {
  // Long enough that the second submission arrives while the first call is in flight, however busy the machine.
  client.latencyMs = 1_000;
  const told: Record<string, number[][]> = { first: [], second: [] };
  const first = deletion.submit([1, 2], { ...request, onSending: (ids) => told.first?.push([...ids]) });
  await expect.poll(() => told.first).toEqual([[1, 2]]);
  const second = deletion.submit([2, 3], { ...request, onSending: (ids) => told.second?.push([...ids]) });
  await Promise.all([first, second]);
  // 2 rode the first call (already in flight); 3 went in a call of its own.
  expect(client.calls.map((call) => call.ids)).toEqual([[1, 2], [3]]);
  expect(told.second?.flat().sort()).toEqual([2, 3]);
});

it('a hook that throws changes nothing for the call', async () => {
  const outcome = await deletion.submit([8], {
    ...request,
    onSending: () => {
      throw new Error('the hook is broken');
    },
  });
  expect(outcome.settlements.get(8)).toBe(DELETED);
});
