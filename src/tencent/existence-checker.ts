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
 * decide with the last total seen. A scan decides again after every page, with the pages left. The
 * choice is `planExistenceCheck`, a pure function.
 *
 * A scan must not let a CSR slip between two pages: pages are by offset, and a CSR deleted meanwhile
 * (by this gateway's own deletes, most likely — a check runs while they go on) shifts every CSR after
 * it one place towards the front. Tencent lists newest first, so a CSR created meanwhile lands before
 * every offset already read and shifts the rest one place back. Between two pages, then, no CSR moves
 * towards the front by more than the fall in `Total` (deletes minus creates, when positive). The scan
 * keeps a frontier — every CSR listed before it has been seen — moves it that much towards the front
 * at each page, and past the page when the page reaches back to it (`scanFrontier`); each page starts
 * a little before the frontier (by the listing's fall per page so far: a deletion tends to go on at
 * the pace it went), so that it does reach back. Earlier checks gave up on a listing whose `Total` changed and
 * asked for every unseen ID one by one: under a running deletion that was nearly every check, at one
 * `DescribeCSR` call per ID. Whenever asking the unseen IDs one by one costs fewer calls than the
 * pages left (at the pace the listing has been shrinking), or the scan has read twice the pages the listing
 * had, the rest are asked one by one.
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

/**
 * A scan's frontier after a page: every CSR listed before it has been seen. `frontier` is the one
 * before the page, which the listing's `fall` (in `Total` since the page before) may have moved that
 * much towards the front; the page of `read` CSRs at `offset` moves it past itself when it starts no
 * later than that, and leaves a gap, not crossed, when it starts after it.
 */
export function scanFrontier({ frontier, fall, offset, read }: { frontier: number; fall: number; offset: number; read: number }): number {
  const moved = Math.max(0, frontier - fall);
  return offset <= moved ? Math.max(moved, offset + read) : moved;
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
      const scanned = await this.#scan(wanted, existing, requestIds, options.deadline);
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
   * Lists the CSRs page by page, noting the wanted IDs seen, until all are seen or the frontier
   * reaches the end of the listing. `unseen`: what still needs asking one by one — none after a scan
   * that reached the end, else the IDs it did not see when asking them became the cheaper way (or the
   * listing shrank too fast to scan).
   */
  async #scan(
    wanted: ReadonlySet<number>,
    existing: Map<number, CsrRecord>,
    requestIds: string[],
    deadline: number,
  ): Promise<{ ok: true; unseen: number[] } | { ok: false; failure: TencentFailure }> {
    const unseen = (): number[] => [...wanted].filter((id) => !existing.has(id));
    let frontier = 0;
    let lastTotal: number | undefined;
    let fallen = 0;
    let pages = 0;
    // A listing that shrinks as fast as it is read would keep the scan going round: a bound, past which the rest are asked one by one.
    let pagesLeft: number | undefined;
    for (let offset = 0; ; ) {
      const page: ReadResult<CsrPage> = await this.#reads.describeCSRSet({ limit: MAX_CSR_PAGE, offset }, { deadline });
      if (!page.ok) return page;
      if (page.requestId) requestIds.push(page.requestId);
      const { total, items } = page.value;
      for (const item of items) if (wanted.has(item.id)) existing.set(item.id, item);
      this.#lastTotal = total;
      pagesLeft = (pagesLeft ?? 2 * scanCalls(total) + 2) - 1;
      const first = lastTotal === undefined;
      const fall = Math.max(0, (lastTotal ?? total) - total);
      lastTotal = total;
      frontier = scanFrontier({ frontier, fall, offset, read: items.length });
      const left = unseen();
      if (left.length === 0 || frontier >= total) return { ok: true, unseen: [] };
      // The next page starts before the frontier by as much as the listing fell with the last page, or
      // per page so far if more, so that it reaches back (a burst that falls further leaves a gap, read
      // again after). What is left to read is reckoned at the pace so far.
      if (!first) {
        fallen += fall;
        pages += 1;
      }
      const pace = pages > 0 ? fallen / pages : 0;
      const next = Math.max(0, frontier - Math.max(fall, Math.ceil(pace)));
      const pagesToGo = pace >= MAX_CSR_PAGE ? Infinity : Math.ceil((total - next) / (MAX_CSR_PAGE - pace));
      if (pagesLeft <= 0 || planExistenceCheck(left.length, pagesToGo) === 'describe') return { ok: true, unseen: left };
      offset = next;
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
