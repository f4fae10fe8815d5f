/**
 * The existence checker (src/tencent/existence-checker.ts): its choice between DescribeCSR per ID and a
 * DescribeCSRSet scan as a table of costs, then the checker over an in-memory read side that counts
 * the calls of each action and can move the listing under a scan.
 */
import { describe, expect, it } from 'vitest';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';
import { planExistenceCheck, scanCalls, scanFrontier, TencentExistenceChecker, type ReadSide } from '../../../src/tencent/existence-checker.js';
import type { CsrPage, CsrRecord, CsrSetQuery, ReadResult } from '../../../src/tencent/read-client.js';

describe('planExistenceCheck: the cheaper way, in calls', () => {
  it.each<[string, number, number | undefined, string]>([
    ['one ID: one DescribeCSR, whatever the total', 1, 1_000, 'describe'],
    ['one ID, total unknown: still one DescribeCSR', 1, undefined, 'describe'],
    ['many IDs, total unknown: read a page to learn it', 5, undefined, 'probe'],
    ['5 IDs among 100 000 CSRs (1 000 pages): 5 calls', 5, scanCalls(100_000), 'describe'],
    ['50 IDs among 1 000 CSRs (10 pages): 10 calls', 50, scanCalls(1_000), 'scan'],
    ['10 IDs, 10 pages: a tie goes to DescribeCSR (exact per ID)', 10, 10, 'describe'],
    ['11 IDs, 10 pages: the scan', 11, 10, 'scan'],
    ['2 000 IDs among 100 000 CSRs: the scan (1 000 calls)', 2_000, scanCalls(100_000), 'scan'],
    ['no CSRs at all: one empty page', 3, scanCalls(0), 'scan'],
  ])('%s', (_name, unresolved, calls, plan) => {
    expect(planExistenceCheck(unresolved, calls)).toBe(plan);
  });
});

describe('scanFrontier: every CSR listed before it has been seen', () => {
  it.each<[string, { frontier: number; fall: number; offset: number; read: number }, number]>([
    ['the first page', { frontier: 0, fall: 0, offset: 0, read: 100 }, 100],
    ['a listing that held still: past the next page', { frontier: 100, fall: 0, offset: 100, read: 100 }, 200],
    ['20 deleted meanwhile, the page started 20 early: it reaches back', { frontier: 200, fall: 20, offset: 180, read: 100 }, 280],
    ['50 deleted meanwhile, the page started 20 early: a gap of 30, the frontier only moves with the listing', { frontier: 200, fall: 50, offset: 180, read: 100 }, 150],
    ['created meanwhile (Total rose): no fall, nothing slipped', { frontier: 200, fall: 0, offset: 200, read: 100 }, 300],
    ['the last, short page', { frontier: 900, fall: 0, offset: 900, read: 37 }, 937],
    ['a fall larger than the frontier', { frontier: 100, fall: 300, offset: 0, read: 100 }, 100],
  ])('%s', (_name, input, expected) => {
    expect(scanFrontier(input)).toBe(expected);
  });
});

/** An account's CSRs in memory, listed newest first, counting each action's calls. */
class FakeReads implements ReadSide {
  calls = { set: 0, one: 0 };
  /** Run before answering each page (to delete CSRs mid-scan). */
  beforePage: ((offset: number) => void) | undefined;
  failOn: 'set' | 'one' | undefined;

  constructor(readonly ids: Set<number>) {}

  describeCSRSet(query: CsrSetQuery): Promise<ReadResult<CsrPage>> {
    this.calls.set += 1;
    if (this.failOn === 'set') return Promise.resolve({ ok: false, failure: failure('FailedOperation.SystemError', 'x') });
    this.beforePage?.(query.offset);
    const sorted = [...this.ids].sort((a, b) => b - a);
    const items = sorted.slice(query.offset, query.offset + query.limit).map(record);
    return Promise.resolve({ ok: true, value: { total: sorted.length, items }, requestId: `set-${this.calls.set}` });
  }

  describeCSR(id: number): Promise<ReadResult<CsrRecord | null>> {
    this.calls.one += 1;
    if (this.failOn === 'one') return Promise.resolve({ ok: false, failure: failure(GatewayCode.UpstreamTimeout, 'x', { delivery: 'unknown' }) });
    return Promise.resolve({ ok: true, value: this.ids.has(id) ? record(id) : null, requestId: `one-${id}` });
  }
}

function record(id: number): CsrRecord {
  const none = null;
  return { id, ownerUin: none, domain: none, organization: none, department: none, email: none, province: none, city: none, country: none, remarks: none, status: none, createTime: none, encryptAlgo: none, keyParameter: none };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const options = { deadline: Date.now() + 60_000 };

describe('TencentExistenceChecker', () => {
  it('asks DescribeCSR for one ID', async () => {
    const reads = new FakeReads(new Set(range(1, 1_000)));
    const answer = await new TencentExistenceChecker(reads).check([5], options);
    expect(answer).toEqual({ ok: true, existing: new Set([5]), requestIds: ['one-5'] });
    expect(reads.calls).toEqual({ set: 0, one: 1 });
  });

  it('many IDs among few CSRs: scans (10 pages for 1 000), and absence is proven by a listing that held still', async () => {
    const reads = new FakeReads(new Set(range(1, 1_000)));
    const wanted = [...range(1, 40), 5_000, 6_000];
    const answer = await new TencentExistenceChecker(reads).check(wanted, options);
    expect(answer.ok && [...answer.existing].sort((a, b) => a - b)).toEqual(range(1, 40));
    expect(reads.calls).toEqual({ set: 10, one: 0 });
  });

  it('many IDs among many CSRs: the first page tells the total, then DescribeCSR for those it did not have; the next check knows the total', async () => {
    const reads = new FakeReads(new Set(range(1, 100_000)));
    const checker = new TencentExistenceChecker(reads);
    const answer = await checker.check([99_950, 3, 4, 200_000], options);
    expect(answer.ok && [...answer.existing].sort((a, b) => a - b)).toEqual([3, 4, 99_950]);
    expect(reads.calls).toEqual({ set: 1, one: 3 });
    reads.calls = { set: 0, one: 0 };
    await checker.check([1, 2, 3], options);
    expect(reads.calls).toEqual({ set: 0, one: 3 });
  });

  it('a listing that moved under the scan: the gap it opened is read again, and absence is still proven without DescribeCSR', async () => {
    const ids = new Set(range(1, 1_000));
    const reads = new FakeReads(ids);
    // Between pages, the 50 newest CSRs are deleted: every later page starts 50 further on, and 50 CSRs would never be listed.
    reads.beforePage = (offset) => {
      if (offset === 100) for (const id of range(951, 1_000)) ids.delete(id);
    };
    const wanted = range(1, 40).concat(range(801, 860));
    const answer = await new TencentExistenceChecker(reads).check(wanted, options);
    expect(answer.ok && [...answer.existing].sort((a, b) => a - b)).toEqual(wanted);
    expect(reads.calls.one).toBe(0);
  });

  it('a listing shrinking under the whole scan (a deletion running meanwhile): every page reaches back, nothing is skipped, no DescribeCSR', async () => {
    const ids = new Set(range(1, 3_000));
    const reads = new FakeReads(ids);
    // 20 CSRs deleted before each page, oldest first among those not yet listed — each shifts the rest towards the front.
    let victim = 1_500;
    reads.beforePage = () => {
      for (let k = 0; k < 20; k++) ids.delete(victim++);
    };
    const wanted = range(1, 40).concat(range(1_490, 1_530), range(2_950, 2_960));
    const answer = await new TencentExistenceChecker(reads).check(wanted, options);
    // 1 500–1 539 were deleted before the scan got that far down the listing: absent; the rest present.
    expect(answer.ok && [...answer.existing].sort((a, b) => a - b)).toEqual(wanted.filter((id) => id < 1_500 || id >= 1_540));
    expect(reads.calls.one).toBe(0);
    expect(reads.calls.set).toBeLessThan(45);
  });

  it('a listing shrinking faster than the scan reads it: the unseen IDs are asked one by one', async () => {
    const ids = new Set(range(1, 3_000));
    const reads = new FakeReads(ids);
    // 250 of the newest deleted before each of the next pages: more than a page, so no page reaches back to the frontier.
    let victim = 3_000;
    reads.beforePage = (offset) => {
      if (offset > 0 && victim > 1_000) for (let k = 0; k < 250; k++) ids.delete(victim--);
    };
    const wanted = range(1, 50);
    const answer = await new TencentExistenceChecker(reads).check(wanted, options);
    expect(answer.ok && [...answer.existing].sort((a, b) => a - b)).toEqual(wanted);
    expect(reads.calls.one).toBe(50);
  });

  it('any failure is { ok: false }: nothing learned', async () => {
    const reads = new FakeReads(new Set(range(1, 1_000)));
    reads.failOn = 'one';
    expect(await new TencentExistenceChecker(reads).check([1], options)).toMatchObject({ ok: false, failure: { code: GatewayCode.UpstreamTimeout } });
    reads.failOn = 'set';
    expect(await new TencentExistenceChecker(reads).check([1, 2, 3], options)).toMatchObject({ ok: false, failure: { code: 'FailedOperation.SystemError' } });
  });

  it('no IDs: no calls', async () => {
    const reads = new FakeReads(new Set());
    expect(await new TencentExistenceChecker(reads).check([], options)).toEqual({ ok: true, existing: new Set(), requestIds: [] });
    expect(reads.calls).toEqual({ set: 0, one: 0 });
  });
});
