/**
 * The second seam between the engine and Tencent, beside client.ts: asking which CSRs exist.
 *
 * A `BatchDeleteCSR` call whose answer was lost (a timeout or a reset after the bytes went, a 5xx, an
 * answer without a `Success` list) may or may not have deleted its IDs. Rather than settle them
 * `unknown`, the engine can ask: an ID that is gone was deleted (by that call, or by another — either
 * way the caller's wish holds), one that is still there was not, and may be sent again. Implemented by
 * the Tencent read client (`DescribeCSR` for a few IDs, a `DescribeCSRSet` scan for many), paced by a
 * limiter of its own so that a check never takes a delete's slot; engine tests implement it in memory.
 */
import type { TencentFailure } from '../tencent/codes.js';

/**
 * What a check found. On success every ID asked about was looked up: those in `existing` are there,
 * every other one is not. A failure (the read limit's wait, a read error, the deadline) means nothing
 * was learned, and the IDs stay as ambiguous as they were.
 */
export type ExistenceAnswer =
  | { readonly ok: true; readonly existing: ReadonlySet<number>; readonly requestIds: readonly string[] }
  | { readonly ok: false; readonly failure: TencentFailure };

export interface ExistenceChecker {
  /** Which of `ids` exist now; gives up (a failure) rather than answer after `deadline` (epoch ms). */
  check(ids: readonly number[], options: { readonly deadline: number }): Promise<ExistenceAnswer>;
}
