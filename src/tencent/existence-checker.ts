/**
 * The engine's `ExistenceChecker` (engine/existence.ts) over Tencent's read actions: which of N IDs
 * exist, asked one `DescribeCSR` per ID, or found by listing every CSR with `DescribeCSRSet`, pages of
 * 100 — whichever costs fewer calls. `find` answers the same question with the CSRs' records, for the
 * schema's batched CSR lookups (`_entities`, schema/csr-reads.ts).
 *
 * Why calls are the measure: each action has its own budget of 10 calls a second, and a call of one
 * costs as much of its budget as a call of the other; an answer's size (a page of 100 items is some
 * 30 KB, one CSR under 2 KB) and Tencent's latency (one round trip either way) are small beside the
 * 100 ms a call's slot takes at 10 a second. So N IDs cost N `DescribeCSR` calls, and a scan
 * ⌈Total/100⌉ `DescribeCSRSet` calls: for 1 000 CSRs a scan (10 calls, about a second) wins from 11
 * IDs on; for 100 000 CSRs (1 000 calls, 100 s) only from 1 001 IDs.
 *
 * The total is not known until a page is read, so the first check of many IDs reads one page (the
 * `probe`: it costs a call, and may find some of the IDs), then decides for the rest; later checks
 * decide with the last total seen. The choice is `planExistenceCheck`, a pure function.
 *
 * A scan proves absence only if the listing held still while it was read: pages are by offset, and a
 * CSR deleted (or created) meanwhile shifts the CSRs after it, so one could fall between two pages
 * unseen. A scan whose pages do not all answer the same `Total` proves only what it saw; the IDs it did
 * not see are then asked one by one. (A delete and a create between two pages keep `Total` and can
 * still shift the listing; Tencent lists newest first, so a create lands before every offset already
 * read and the delete's shift is undone: no ID is skipped.)
 *
 * Any failure — the read limit's wait past the deadline, a read error — answers `{ ok: false }`: the
 * IDs stay as ambiguous as they were. `InvalidParameter.InvalidCSRId` from `DescribeCSR` is Tencent's
 * "no such CSR" (read-client.ts), and so an answer: absent.
 */
import type { ExistenceAnswer, ExistenceChecker } from '../engine/existence.js';
import type { TencentFailure } from './codes.js';
import { MAX_CSR_PAGE, type CsrPage, type CsrRecord, type ReadResult, type TencentReadClient } from './read-client.js';

/** How to learn which of `unresolved` IDs exist, by the calls each way costs. */
export type ExistencePlan = 'describe' | 'scan' | 'probe';

/**
 * `unresolved`: the IDs not yet known to exist; `scanCalls`: the `DescribeCSRSet` calls a scan would
 * take (⌈Total/100⌉ for the total last seen), undefined when no total is known. Ties go to
 * `describe`: its answers are per ID, and cannot be misled by a listing that moves.
 */
export function planExistenceCheck(unresolved: number, scanCalls: number | undefined): ExistencePlan {
  if (unresolved <= 1) return 'describe';
  if (scanCalls === undefined) return 'probe';
  return scanCalls < unresolved ? 'scan' : 'describe';
}

/** The pages a listing of `total` CSRs takes. */
export function scanCalls(total: number): number {
  return Math.ceil(total / MAX_CSR_PAGE);
}

export type ReadSide = Pick<TencentReadClient, 'describeCSR' | 'describeCSRSet'>;

/** The CSRs found among the IDs asked for (every other one does not exist), or nothing learned. */
export type FindAnswer =
  | { readonly ok: true; readonly found: ReadonlyMap<number, CsrRecord>; readonly requestIds: readonly string[] }
  | { readonly ok: false; readonly failure: TencentFailure };

export class TencentExistenceChecker implements ExistenceChecker {
  readonly #reads: ReadSide;
  /** The account's number of CSRs at the last scan: what the next plan costs a scan at. */
  #lastTotal: number | undefined;

  constructor(reads: ReadSide) {
    this.#reads = reads;
  }

  async check(ids: readonly number[], options: { readonly deadline: number }): Promise<ExistenceAnswer> {
    const answer = await this.find(ids, options);
    return answer.ok ? { ok: true, existing: new Set(answer.found.keys()), requestIds: answer.requestIds } : answer;
  }

  /** The records of those of `ids` that exist. */
  async find(ids: readonly number[], options: { readonly deadline: number }): Promise<FindAnswer> {
    const wanted = new Set(ids);
    const existing = new Map<number, CsrRecord>();
    const requestIds: string[] = [];
    const plan = planExistenceCheck(wanted.size, this.#lastTotal === undefined ? undefined : scanCalls(this.#lastTotal));
    let unseen: number[] = [...wanted];
    if (plan !== 'describe') {
      const scanned = await this.#scan(wanted, plan === 'probe', existing, requestIds, options.deadline);
      if (!scanned.ok) return scanned;
      unseen = scanned.unseen;
    }
    if (unseen.length > 0) {
      const described = await this.#describeEach(unseen, existing, requestIds, options.deadline);
      if (described) return { ok: false, failure: described };
    }
    return { ok: true, found: existing, requestIds };
  }

  /**
   * Lists the CSRs page by page, noting the wanted IDs seen, until all are seen or the listing ends.
   * `unseen`: what still needs asking one by one — none after a scan that held still, else the IDs it
   * did not see (or, after a probe that found a scan too dear, the IDs its first page did not have).
   */
  async #scan(
    wanted: ReadonlySet<number>,
    probe: boolean,
    existing: Map<number, CsrRecord>,
    requestIds: string[],
    deadline: number,
  ): Promise<{ ok: true; unseen: number[] } | { ok: false; failure: TencentFailure }> {
    const unseen = (): number[] => [...wanted].filter((id) => !existing.has(id));
    let firstTotal: number | undefined;
    for (let offset = 0; ; offset += MAX_CSR_PAGE) {
      const page: ReadResult<CsrPage> = await this.#reads.describeCSRSet({ limit: MAX_CSR_PAGE, offset }, { deadline });
      if (!page.ok) return page;
      if (page.requestId) requestIds.push(page.requestId);
      const { total, items } = page.value;
      for (const item of items) if (wanted.has(item.id)) existing.set(item.id, item);
      firstTotal ??= total;
      this.#lastTotal = total;
      const left = unseen();
      if (left.length === 0) return { ok: true, unseen: [] };
      if (total !== firstTotal) return { ok: true, unseen: left };
      if (offset + MAX_CSR_PAGE >= total || items.length === 0) return { ok: true, unseen: [] };
      if (probe && offset === 0) {
        const rest = planExistenceCheck(left.length, scanCalls(total) - 1);
        if (rest === 'describe') return { ok: true, unseen: left };
      }
    }
  }

  /** Asks for each ID; the first failure, if any, is the answer. */
  async #describeEach(
    ids: readonly number[],
    existing: Map<number, CsrRecord>,
    requestIds: string[],
    deadline: number,
  ): Promise<TencentFailure | undefined> {
    // All at once: the limiter spaces them.
    const answers = await Promise.all(ids.map((id) => this.#reads.describeCSR(id, { deadline })));
    for (const answer of answers) {
      if (!answer.ok) return answer.failure;
      if (answer.requestId) requestIds.push(answer.requestId);
      if (answer.value) existing.set(answer.value.id, answer.value);
    }
    return undefined;
  }
}
