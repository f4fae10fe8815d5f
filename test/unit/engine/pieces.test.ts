/** The engine's small pieces on their own, deterministic (fake timers where time matters). */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fullJitterDelay, RATE_LIMITED_BACKOFF, TRANSIENT_BACKOFF } from '../../../src/engine/backoff.js';
import { FairQueue } from '../../../src/engine/fair-queue.js';
import { isolationBudget, leadOf, maySplit, splitForIsolation } from '../../../src/engine/isolation.js';
import { LocalSpacingLimiter, ruleWindowMs, SendLog, spacingMs } from '../../../src/engine/limiter.js';
import { Entry, Ticket } from '../../../src/engine/ticket.js';
import type { SlotGrant } from '../../../src/engine/types.js';
import { failure } from '../../../src/tencent/codes.js';
import { groupOutcome } from '../../../src/engine/outcome.js';

const ticket = (ids: number[], isolation = 14): Ticket => new Ticket(ids, { deadline: Infinity, isolationBudget: isolation });

describe('SendLog: no window holds more than N sends', () => {
  it('allows N sends at once, then the next only a window after the oldest', () => {
    const log = new SendLog(3, 1_025);
    for (const at of [0, 10, 20]) {
      expect(log.earliest()).toBeLessThanOrEqual(at);
      log.record(at);
    }
    expect(log.earliest()).toBe(1_025);
    log.record(1_025);
    expect(log.earliest()).toBe(1_035);
  });

  it('a send that went later than recorded moves its record, keeping the log in order', () => {
    const log = new SendLog(3, 1_000);
    log.record(0);
    log.record(100);
    log.record(200);
    log.moveLater(0, 250);
    expect(log.earliest()).toBe(1_100);
  });
});

describe('LocalSpacingLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const limit = { callsPerSecond: 10 };

  it('spaces slots a little wider than the rule needs: 103 ms for 10 calls a second and a 20 ms margin', () => {
    expect(ruleWindowMs(limit)).toBe(1_020);
    expect(spacingMs(limit)).toBe(103);
    expect(spacingMs({ callsPerSecond: 10, jitterMarginMs: 0 })).toBe(101);
    // Shared through Redis, the allowed lateness takes the slack's place: 20 ms → 104 ms.
    expect(spacingMs(limit, 20)).toBe(104);
  });

  it('grants evenly spaced slots, and claims sent on time keep the rule', async () => {
    const limiter = new LocalSpacingLimiter(limit);
    const sent: number[] = [];
    const take = async (): Promise<void> => {
      const grant = (await limiter.acquire('key', Infinity)) as SlotGrant;
      expect(grant.claim()).toBe(true);
      grant.sent();
      sent.push(Date.now());
    };
    const all = Promise.all(Array.from({ length: 25 }, take));
    await vi.advanceTimersByTimeAsync(5_000);
    await all;
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBe(103);
  });

  it('a grant whose send comes too late for the rule refuses it, and is refused only once', async () => {
    const limiter = new LocalSpacingLimiter(limit);
    const grants: SlotGrant[] = [];
    for (let i = 0; i < 11; i++) {
      const next = limiter.acquire('key', Infinity);
      await vi.advanceTimersByTimeAsync(103);
      grants.push((await next) as SlotGrant);
    }
    // Slots 1–10 were granted 103 ms apart but nothing was sent; then they all try to go at once.
    expect(grants.slice(0, 10).every((grant) => grant.claim())).toBe(true);
    expect(grants[10]?.claim()).toBe(false);
    expect(grants[0]?.claim()).toBe(false); // a grant is good for one send
    // The next slot waits for the rule: a window after the oldest of the ten.
    const start = Date.now();
    const later = limiter.acquire('key', Infinity);
    await vi.advanceTimersByTimeAsync(1_020);
    expect(((await later) as SlotGrant).claim()).toBe(true);
    expect(Date.now() - start).toBeLessThanOrEqual(1_020);
  });

  it('grants at once when idle, and keys are independent', async () => {
    const limiter = new LocalSpacingLimiter(limit);
    const start = Date.now();
    await limiter.acquire('a', Infinity);
    await limiter.acquire('b', Infinity);
    expect(Date.now()).toBe(start);
  });

  it('answers `deadline` without reserving when the slot would come too late', async () => {
    const limiter = new LocalSpacingLimiter(limit);
    await limiter.acquire('key', Infinity);
    expect(await limiter.acquire('key', Date.now() + 50)).toBe('deadline');
    const next = limiter.acquire('key', Infinity);
    await vi.advanceTimersByTimeAsync(103);
    expect(await next).not.toBe('deadline');
    expect(Date.now()).toBe(1_000_000 + 103);
  });
});

describe('FairQueue', () => {
  const fill = (queue: FairQueue, capacity: number): number[] => {
    const taken: number[] = [];
    queue.fill(capacity, (entry) => {
      taken.push(entry.id);
      return true;
    });
    return taken;
  };

  it('fills a call from callers in turn, so a small caller behind a big one rides in the next call', () => {
    const queue = new FairQueue();
    queue.add(ticket(Array.from({ length: 5_000 }, (_, i) => i + 1)));
    queue.add(ticket([99_999]));
    const first = fill(queue, 100);
    expect(first).toHaveLength(100);
    expect(first).toContain(99_999);
  });

  it('rotates across calls and drops callers with nothing left', () => {
    const queue = new FairQueue();
    queue.add(ticket([1, 2, 3]));
    queue.add(ticket([10, 20, 30]));
    queue.add(ticket([100]));
    expect(fill(queue, 2)).toEqual([1, 10]);
    expect(fill(queue, 2)).toEqual([100, 2]);
    expect(fill(queue, 10)).toEqual([20, 3, 30]);
    expect(queue.hasWork).toBe(false);
  });

  it('an entry that needs no place of its own does not count toward the capacity', () => {
    const queue = new FairQueue();
    queue.add(ticket([1, 2, 3, 4]));
    const taken: number[] = [];
    queue.fill(2, (entry) => {
      taken.push(entry.id);
      return entry.id % 2 === 0;
    });
    expect(taken).toEqual([1, 2, 3, 4]);
  });

  it('a caller with an isolation part gives no ID when the rotation reaches it: it becomes due for the next slot', () => {
    const queue = new FairQueue();
    const isolating = ticket([1, 2, 3]);
    const other = ticket([10, 20, 30]);
    isolating.addPart([isolating.takeEntry() as Entry]);
    queue.add(isolating);
    queue.add(other);
    expect(fill(queue, 100)).toEqual([10, 20, 30]);
    expect(queue.takeDue()).toBe(isolating);
    expect(queue.takeDue()).toBeUndefined();
  });
});

describe('isolation', () => {
  it('splits along callers first, largest groups balanced, no caller cut in two', () => {
    const [a, b, c] = [ticket([1, 2, 3]), ticket([4]), ticket([5, 6])];
    const entries = [...[1, 2, 3].map((id) => new Entry(id, a)), new Entry(4, b), ...[5, 6].map((id) => new Entry(id, c))];
    const [left, right] = splitForIsolation(entries);
    expect(left.map((entry) => entry.id)).toEqual([1, 2, 3]);
    expect(right.map((entry) => entry.id)).toEqual([5, 6, 4]);
    expect(leadOf(right)).toBe(c);
  });

  it('bisects a single caller while its budget lasts', () => {
    const only = ticket([1, 2, 3, 4, 5], 2);
    const entries = [1, 2, 3, 4, 5].map((id) => new Entry(id, only));
    expect(splitForIsolation(entries).map((side) => side.map((entry) => entry.id))).toEqual([[1, 2, 3], [4, 5]]);
    expect(maySplit(entries)).toBe(true);
    only.isolationBudget = 1;
    expect(maySplit(entries)).toBe(false);
  });

  it('budgets 14 calls per 100 IDs: what finding one bad ID among 100 costs', () => {
    expect(isolationBudget(1)).toBe(14);
    expect(isolationBudget(100)).toBe(14);
    expect(isolationBudget(101)).toBe(28);
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
  it('resolves once every ID has exactly one outcome, errors one group per code; later settlements are ignored', async () => {
    const subject = ticket([1, 2, 3, 4, 5]);
    const [e1, e2, e3, e4] = [subject.takeEntry(), subject.takeEntry(), subject.takeEntry(), subject.takeEntry()] as Entry[];
    const late = failure('Gateway.DeadlineExceeded', 'late');
    const alsoLate = failure('Gateway.DeadlineExceeded', 'late, said differently');
    const auth = failure('AuthFailure.SignatureFailure', 'bad signature');
    expect(subject.settle(e1!, { kind: 'deleted' })).toBe(true);
    expect(subject.settle(e1!, { kind: 'notDeleted' })).toBe(false);
    expect(subject.settle(e2!, { kind: 'unknown' })).toBe(true);
    expect(subject.failUnsent(late)).toBe(1);
    let resolved = false;
    void subject.done.then(() => (resolved = true));
    await Promise.resolve();
    expect(resolved).toBe(false);
    subject.noteRequestId(3, 'r1');
    subject.settle(e3!, { kind: 'failed', failure: auth });
    subject.settle(e4!, { kind: 'failed', failure: alsoLate });
    const settled = await subject.done;
    const outcome = groupOutcome(settled);
    expect(outcome).toMatchObject({
      deleted: [1],
      notDeleted: [],
      unknown: [2],
      failed: [
        { failure: auth, ids: [3] },
        { failure: late, ids: [5, 4] },
      ],
      requestIds: ['r1'],
    });
    expect(settled.requestIds.get(3)).toEqual(['r1']);
  });
});
