/**
 * Every CSR of one domain, for a deletion plan by domain (jobs/planner.ts): a `DescribeCSRSet` scan
 * filtered by `Domain`, pages of 100, paced by that action's own limiter (read-client.ts).
 *
 * Tencent does not document how `Domain` filters (exactly, by prefix, by substring?), so the scan keeps
 * only the items whose domain is exactly the one asked for: a plan deletes what it names, never a
 * neighbour a loose filter let in. For the same reason `Total` bounds the pages to read, not the count
 * of matches: the scan stops early only once it has seen more exact matches than `limit`.
 *
 * Pages are by offset over a listing that may move while it is read (a CSR created or deleted between
 * two pages shifts the rest); a CSR may then be missed or seen twice. Seen twice counts once; missed
 * means not in the plan, and so not deleted by it: the plan's `existingIds` are what the scan saw, as
 * docs/contract.md §4 says.
 */
import type { TencentFailure } from './codes.js';
import { MAX_CSR_PAGE, type TencentReadClient } from './read-client.js';

/** What listing a domain's CSRs found. */
export type DomainListing =
  /** `ids`: the CSRs whose domain is exactly the one asked for, at most `limit`; `complete`: there are no more. */
  | { readonly ok: true; readonly ids: readonly number[]; readonly complete: boolean; readonly requestIds: readonly string[] }
  | { readonly ok: false; readonly failure: TencentFailure };

/** Lists the CSRs of a domain. */
export interface CsrLister {
  /** Gives up (a failure) rather than answer after `deadline` (epoch ms); stops after `limit` IDs. */
  idsOfDomain(domain: string, options: { readonly deadline: number; readonly limit: number }): Promise<DomainListing>;
}

export class TencentDomainLister implements CsrLister {
  readonly #reads: Pick<TencentReadClient, 'describeCSRSet'>;

  constructor(reads: Pick<TencentReadClient, 'describeCSRSet'>) {
    this.#reads = reads;
  }

  async idsOfDomain(domain: string, options: { readonly deadline: number; readonly limit: number }): Promise<DomainListing> {
    const ids = new Set<number>();
    const requestIds: string[] = [];
    for (let offset = 0; ; offset += MAX_CSR_PAGE) {
      const page = await this.#reads.describeCSRSet({ limit: MAX_CSR_PAGE, offset, domain }, { deadline: options.deadline });
      if (!page.ok) return page;
      if (page.requestId) requestIds.push(page.requestId);
      for (const item of page.value.items) if (item.domain === domain) ids.add(item.id);
      if (ids.size > options.limit) return { ok: true, ids: [...ids].slice(0, options.limit), complete: false, requestIds };
      if (page.value.items.length === 0 || offset + MAX_CSR_PAGE >= page.value.total) return { ok: true, ids: [...ids], complete: true, requestIds };
    }
  }
}
