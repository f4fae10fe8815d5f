/** The engine's small pieces on their own, deterministic (fake timers where time matters). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fullJitterDelay, RATE_LIMITED_BACKOFF, TRANSIENT_BACKOFF } from '../../src/engine/backoff.js';
import { FairQueue } from '../../src/engine/fair-queue.js';
import { LocalSpacingLimiter, spacingMs } from '../../src/engine/limiter.js';
import { splitForIsolation } from '../../src/engine/split.js';
import { Ticket } from '../../src/engine/ticket.js';
import { failure } from '../../src/tencent/codes.js';

describe('LocalSpacingLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('spaces grants by the interval, so no 1 s window ever holds more than the limit', async () => {
    const interval = spacingMs(10);
    expect(interval).toBe(105);
    const limiter = new LocalSpacingLimiter(interval);
    const granted: number[] = [];
    for (let i = 0; i < 25; i++) {
      void limiter.acquire('key', Infinity).then(() => granted.push(Date.now()));
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(granted).toHaveLength(25);
    for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(interval);
    for (let i = 10; i < granted.length; i++) expect(granted[i]! - granted[i - 10]!).toBeGreaterThan(1_000);
  });

  it('grants at once when idle', async () => {
    const limiter = new LocalSpacingLimiter(105);
    const start = Date.now();
    expect(await limiter.acquire('key', Infinity)).toBe('granted');
    expect(Date.now()).toBe(start);
  });

  it('answers `deadline` without reserving when the slot would come too late', async () => {
    const limiter = new LocalSpacingLimiter(105);
    await limiter.acquire('key', Infinity);
    const late = await limiter.acquire('key', Date.now() + 50);
    expect(late).toBe('deadline');
    // Nothing was reserved: the next caller gets the slot 105 ms after the first grant.
    const next = limiter.acquire('key', Infinity);
    await vi.advanceTimersByTimeAsync(105);
    expect(await next).toBe('granted');
    expect(Date.now()).toBe(1_000_000 + 105);
  });

  it('keys are independent', async () => {
    const limiter = new LocalSpacingLimiter(105);
    await limiter.acquire('a', Infinity);
    const start = Date.now();
    await limiter.acquire('b', Infinity);
    expect(Date.now()).toBe(start);
  });
});

describe('FairQueue', () => {
  const drain = (queue: FairQueue, capacity: number): number[] => {
    const taken: number[] = [];
    queue.fill(capacity, (_ticket, id) => {
      taken.push(id);
      return true;
    });
    return taken;
  };

  it('fills a call from callers in turn, so a small caller behind a big one rides in the next call', () => {
    const queue = new FairQueue();
    queue.add(new Ticket(Array.from({ length: 5_000 }, (_, i) => i + 1), Infinity));
    queue.add(new Ticket([99_999], Infinity));
    const first = drain(queue, 100);
    expect(first).toHaveLength(100);
    expect(first).toContain(99_999);
  });

  it('rotates across calls and drops callers with nothing left', () => {
    const queue = new FairQueue();
    queue.add(new Ticket([1, 2, 3], Infinity));
    queue.add(new Ticket([10, 20, 30], Infinity));
    queue.add(new Ticket([100], Infinity));
    expect(drain(queue, 2)).toEqual([1, 10]);
    expect(drain(queue, 2)).toEqual([100, 2]);
    expect(drain(queue, 10)).toEqual([20, 3, 30]);
    expect(queue.isEmpty).toBe(true);
  });

  it('an ID that needs no slot of its own does not count toward the capacity', () => {
    const queue = new FairQueue();
    queue.add(new Ticket([1, 2, 3, 4], Infinity));
    const taken: number[] = [];
    queue.fill(2, (_ticket, id) => {
      taken.push(id);
      return id % 2 === 0;
    });
    expect(taken).toEqual([1, 2, 3, 4]);
  });
});

describe('splitForIsolation', () => {
  it('splits along callers first, balancing ID counts', () => {
    const owner = new Map<number, string>([
      [1, 'a'], [2, 'a'], [3, 'a'], [4, 'b'], [5, 'c'], [6, 'c'],
    ]);
    const [left, right] = splitForIsolation([1, 2, 3, 4, 5, 6], (id) => owner.get(id));
    expect(new Set([...left, ...right])).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    // No caller is cut in two.
    for (const side of [left, right]) {
      const owners = new Set(side.map((id) => owner.get(id)));
      for (const o of owners) expect(side.filter((id) => owner.get(id) === o)).toHaveLength([...owner.values()].filter((x) => x === o).length);
    }
    expect(left.length).toBeGreaterThan(0);
    expect(right.length).toBeGreaterThan(0);
  });

  it('bisects a single caller', () => {
    expect(splitForIsolation([1, 2, 3, 4, 5], () => 'only')).toEqual([[1, 2, 3], [4, 5]]);
  });
});

describe('backoff', () => {
  it('is full jitter under an exponentially growing, capped ceiling', () => {
    expect(fullJitterDelay(1, TRANSIENT_BACKOFF, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, TRANSIENT_BACKOFF, () => 0.5)).toBe(200);
    expect(fullJitterDelay(30, TRANSIENT_BACKOFF, () => 0.999)).toBeLessThan(TRANSIENT_BACKOFF.capMs);
    expect(fullJitterDelay(1, RATE_LIMITED_BACKOFF, () => 0)).toBe(0);
    expect(fullJitterDelay(2, RATE_LIMITED_BACKOFF, () => 0.5)).toBe(500);
  });
});

describe('Ticket', () => {
  it('resolves once every ID has exactly one outcome; later settlements are ignored', async () => {
    const ticket = new Ticket([1, 2, 3, 4], Infinity);
    const ids = [ticket.takeNext(), ticket.takeNext(), ticket.takeNext()];
    expect(ids).toEqual([1, 2, 3]);
    const rateLimited = failure('Gateway.DeadlineExceeded', 'late');
    expect(ticket.settle(1, { kind: 'deleted' })).toBe(true);
    expect(ticket.settle(1, { kind: 'notDeleted' })).toBe(false);
    expect(ticket.settle(2, { kind: 'unknown' })).toBe(true);
    expect(ticket.settle(9, { kind: 'deleted' })).toBe(false);
    expect(ticket.failUnsent(rateLimited)).toBe(1);
    let resolved = false;
    void ticket.done.then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    ticket.addRequestId('r1');
    ticket.settle(3, { kind: 'failed', failure: rateLimited });
    expect(await ticket.done).toEqual({
      deleted: [1],
      notDeleted: [],
      unknown: [2],
      failed: [{ failure: rateLimited, ids: [4, 3] }],
      requestIds: ['r1'],
    });
  });
});
