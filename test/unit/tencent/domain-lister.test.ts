/**
 * The domain listing behind a plan by domain (src/tencent/domain-lister.ts), over a recording read
 * client: pages of 100 until the listing ends, exact domains only (Tencent does not document how its
 * `Domain` filter matches), a stop once more than the limit matched, and the first failure as the answer.
 */
import { describe, expect, it } from 'vitest';
import { failure } from '../../../src/tencent/codes.js';
import { TencentDomainLister } from '../../../src/tencent/domain-lister.js';
import type { CsrPage, CsrRecord, CsrSetQuery, ReadResult } from '../../../src/tencent/read-client.js';

function record(id: number, domain: string): CsrRecord {
  return {
    id, domain, ownerUin: null, organization: null, department: null, email: null, province: null, city: null,
    country: null, remarks: null, status: null, createTime: null, encryptAlgo: null, keyParameter: null,
  };
}

/** A listing that matches `Domain` loosely (by substring), as Tencent might; newest first. */
function listing(records: readonly CsrRecord[], fail?: { atOffset: number }) {
  const asked: CsrSetQuery[] = [];
  return {
    asked,
    describeCSRSet(query: CsrSetQuery): Promise<ReadResult<CsrPage>> {
      asked.push(query);
      if (fail && query.offset === fail.atOffset) return Promise.resolve({ ok: false, failure: failure('InternalError', 'Try later.') });
      const matching = records.filter((item) => query.domain === undefined || (item.domain ?? '').includes(query.domain));
      return Promise.resolve({
        ok: true,
        value: { total: matching.length, items: matching.slice(query.offset, query.offset + query.limit) },
        requestId: `rq-${query.offset}`,
      });
    },
  };
}

const options = { deadline: Date.now() + 60_000, limit: 1_000 };

describe('TencentDomainLister', () => {
  it('pages through the listing and keeps the CSRs of exactly that domain', async () => {
    const records = Array.from({ length: 250 }, (_, index) => record(1_000 - index, index % 2 === 0 ? 'a.example.com' : 'www.a.example.com'));
    const reads = listing(records);
    const answer = await new TencentDomainLister(reads).idsOfDomain('a.example.com', options);
    expect(answer).toEqual({
      ok: true,
      ids: records.filter((item) => item.domain === 'a.example.com').map((item) => item.id),
      complete: true,
      requestIds: ['rq-0', 'rq-100', 'rq-200'],
    });
    expect(reads.asked.map((query) => [query.offset, query.limit, query.domain])).toEqual([
      [0, 100, 'a.example.com'],
      [100, 100, 'a.example.com'],
      [200, 100, 'a.example.com'],
    ]);
  });

  it('stops once more CSRs than the limit matched, saying the list is not complete', async () => {
    const reads = listing(Array.from({ length: 500 }, (_, index) => record(index + 1, 'a.example.com')));
    const answer = await new TencentDomainLister(reads).idsOfDomain('a.example.com', { ...options, limit: 150 });
    expect(answer).toMatchObject({ ok: true, complete: false });
    expect(answer.ok && answer.ids).toHaveLength(150);
    expect(reads.asked).toHaveLength(2);
  });

  it('answers one read, with nothing in it, for a domain without CSRs', async () => {
    const reads = listing([record(1, 'b.example.com')]);
    expect(await new TencentDomainLister(reads).idsOfDomain('a.example.com', options)).toEqual({ ok: true, ids: [], complete: true, requestIds: ['rq-0'] });
    expect(reads.asked).toHaveLength(1);
  });

  it("answers a page's failure, and nothing of what it had listed", async () => {
    const reads = listing(Array.from({ length: 250 }, (_, index) => record(index + 1, 'a.example.com')), { atOffset: 100 });
    expect(await new TencentDomainLister(reads).idsOfDomain('a.example.com', options)).toMatchObject({ ok: false, failure: { code: 'InternalError' } });
  });
});
