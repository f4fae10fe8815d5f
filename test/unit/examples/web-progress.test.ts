/**
 * The example app's progress arithmetic (examples/web/src/progress.ts): what the bar and its words
 * say for a job's counts. 100 % only when every ID has its outcome (rounded down, never up).
 */
import { describe, expect, it } from 'vitest';
import { describeJob, newIdempotencyKey, progressOf } from '../../../examples/web/src/progress.js';

const counts = (pending: number, deleted = 0) => ({ deleted, notDeleted: 0, unknown: 0, failed: 0, pending });

describe('progressOf', () => {
  it.each([
    [3_000, counts(3_000), 0, 0, '0 of 3,000 IDs settled (0 %)'],
    [3_000, counts(1_500, 1_500), 1_500, 50, '1,500 of 3,000 IDs settled (50 %)'],
    [1_000, counts(1, 999), 999, 99, '999 of 1,000 IDs settled (99 %)'],
    [1_000_000, counts(1, 999_999), 999_999, 99, '999,999 of 1,000,000 IDs settled (99 %)'],
    [250, counts(0, 250), 250, 100, '250 of 250 IDs settled (100 %)'],
  ])('total %i with counts %o: %i settled, %i %%', (total, jobCounts, settled, percent, text) => {
    expect(progressOf({ total, counts: jobCounts })).toEqual({ total, settled, percent, text });
  });
});

describe('describeJob', () => {
  it.each([
    ['QUEUED', false, 'Queued: waiting for a gateway replica to take it.'],
    ['RUNNING', false, 'Running.'],
    ['RUNNING', true, 'Cancelling: waiting for the IDs in flight.'],
    ['COMPLETED', false, 'Completed: every ID has its outcome.'],
    ['CANCELLED', true, 'Cancelled: IDs not sent by then were not sent (failed, Gateway.Cancelled).'],
  ] as const)('%s (cancel asked: %s)', (status, cancelRequested, words) => {
    expect(describeJob({ id: 'j', status, cancelRequested })).toBe(`Job j: ${words}`);
  });
});

it('makes idempotency keys the gateway accepts (visible ASCII, at most 255), a new one each time', () => {
  const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
  expect(keys.size).toBe(100);
  for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
});
