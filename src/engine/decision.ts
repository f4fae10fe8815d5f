/**
 * What to do once a call has ended: one pure function of the answer and a few facts about the call,
 * with a table of cases as its test (test/unit/engine/decision.test.ts). Everything the engine does after
 * an answer follows from it; nothing else decides.
 *
 * And what each of the call's IDs ends as, when it ends: the honest-accounting rule
 * (docs/contract.md §4) lives in `answeredSettlement` and `finalSettlement`, and nowhere else.
 */
import type { BatchDeleteResult } from './client.js';
import { GatewayCode, type TencentFailure } from '../tencent/codes.js';
import { backoffPolicy, type BackoffPolicy } from './backoff.js';
import { DELETED, DELETED_BY_CHECK, failed, NOT_DELETED, UNKNOWN, type Settlement } from './outcome.js';

export type Decision =
  /** Tencent answered: each ID is deleted, or not (see `answeredSettlement`). */
  | { readonly kind: 'settle' }
  /** Nothing was sent (the slot came too late to use): back in line at once, no attempt spent. */
  | { readonly kind: 'resend' }
  /** Transient: back in line after a backoff; `coolDown` pauses all dispatch first (Tencent throttled us). */
  | { readonly kind: 'retry'; readonly backoff: BackoffPolicy; readonly coolDown: boolean }
  /** Tencent blames some of the IDs: split the call to find them (isolation.ts). */
  | { readonly kind: 'isolate' }
  /** Final: every ID ends with this failure (see `finalSettlement`). */
  | { readonly kind: 'fail'; readonly failure: TencentFailure };

export interface CallFacts {
  /** Distinct IDs the call carried. */
  readonly distinctIds: number;
  /** Whether isolation may split this call further (isolation.ts `maySplit`). */
  readonly maySplit: boolean;
}

export function decide(result: BatchDeleteResult, facts: CallFacts): Decision {
  if (result.ok) return { kind: 'settle' };
  const { failure } = result;
  if (failure.code === GatewayCode.SendSlotMissed) return { kind: 'resend' };
  // A lone ID that Tencent blames is the culprit: splitting cannot help, and neither can retrying.
  if (failure.blamesIds && facts.distinctIds > 1) return facts.maySplit ? { kind: 'isolate' } : { kind: 'fail', failure };
  if (failure.retryable) return { kind: 'retry', backoff: backoffPolicy(failure), coolDown: isThrottling(failure) };
  return { kind: 'fail', failure };
}

/**
 * Whether a call's answer was lost: Tencent may have applied it, but nothing says which of its IDs it
 * deleted — a timeout, a reset or a 5xx after the bytes went, a body that is not Tencent's JSON, or an
 * answer without a `Success` list (`null` or missing). These are the calls whose IDs an existence check
 * can settle (`reconcile`).
 */
export function lostAnswer(result: BatchDeleteResult): boolean {
  return result.ok ? result.deleted === undefined : result.failure.delivery === 'unknown';
}

/**
 * Whether a lost call has surely ended at Tencent, so that a check finding its IDs still there proves
 * it did not delete them: only when Tencent itself answered (without a `Success` list). After a
 * timeout, a reset, a 5xx from whatever stands in front, or a body that is not Tencent's, the request
 * may still be on its way or being applied (the simulator's `delay` fault applies it seconds after the
 * client gave up), and "still there" says only "not deleted yet".
 */
export function landedUpstream(result: BatchDeleteResult): boolean {
  return result.ok;
}

/**
 * What an existence check found for one ID of a call whose answer was lost: `absent` (gone),
 * `present` (still there), or `unchecked` (the check failed: nothing was learned).
 */
export type CheckFinding = 'absent' | 'present' | 'unchecked';

export type Reconciliation =
  /** The ID ends now with this settlement. */
  | { readonly kind: 'settle'; readonly settlement: Settlement }
  /** Known not deleted and its caller still has time: back in line to be deleted. */
  | { readonly kind: 'resend' }
  /** Nothing learned: the lost answer's own decision (`decide`), exactly as without a checker. */
  | { readonly kind: 'asAnswered' };

/**
 * One ID of a call whose answer was lost, once a check has looked for it — what resolves the ambiguity
 * the lost answer left (id-ledger.ts keeps it per ID, for every caller):
 *
 *   - gone: deleted, by that call or another before the check; either way the caller's wish holds,
 *     and the record says a check, not an answer, established it (`DELETED_BY_CHECK`);
 *   - still there: not deleted yet. With time left it goes around again (deleting is idempotent, and
 *     the next answer says what became of it). Past its caller's deadline: when the lost call has
 *     surely ended at Tencent (`landed`, see `landedUpstream`), nothing deleted it and it fails with
 *     `deadlineFailure` — honestly now; otherwise the lost call may still land, and it is `unknown`;
 *   - not looked at (the check failed): as before checks existed, `unknown` unless a later answer lists it.
 */
export function reconcile(
  finding: CheckFinding,
  facts: { readonly expired: boolean; readonly landed: boolean; readonly deadlineFailure: TencentFailure },
): Reconciliation {
  switch (finding) {
    case 'absent':
      return { kind: 'settle', settlement: DELETED_BY_CHECK };
    case 'present':
      if (!facts.expired) return { kind: 'resend' };
      return facts.landed ? { kind: 'settle', settlement: failed(facts.deadlineFailure) } : { kind: 'settle', settlement: UNKNOWN };
    case 'unchecked':
      return { kind: 'asAnswered' };
  }
}

/**
 * A check that failed, for the lost calls it was about: `recheck` — ask again at the next check — when
 * the failure was the check's time running out (the read limit's wait, a read that timed out) or a
 * read error worth retrying, and some caller of the IDs still has time; otherwise `asAnswered`, the
 * lost answer's own decision, as without a checker. Not resending meanwhile is the point: a resend's
 * answer cannot tell an ID the lost call deleted from one it could not delete, and so leaves it
 * `unknown`, where a check that gets through finds it gone. A read side that refuses outright (no
 * permission, say) is not asked again.
 */
export function afterFailedCheck(failure: TencentFailure, facts: { readonly timeLeft: boolean }): 'recheck' | 'asAnswered' {
  if (!facts.timeLeft) return 'asAnswered';
  const outOfTime = failure.code === GatewayCode.DeadlineExceeded || failure.code === GatewayCode.UpstreamTimeout;
  return outOfTime || failure.retryable ? 'recheck' : 'asAnswered';
}

/**
 * How long a check may take (epoch ms): until the latest deadline among the callers still waiting for
 * its IDs — the check is worth its answer for as long as one of them waits, and one that stops sooner
 * gives up what that deadline still allowed (as when it was bounded by UPSTREAM_TIMEOUT_MS alone, 1 s
 * in the bench: a check of 16 IDs, a `DescribeCSR` each at 10 a second, could never finish) — but never
 * less than `minimumMs` from `now` (UPSTREAM_TIMEOUT_MS): how long a caller whose deadline has come may
 * still wait for a lost answer's check (docs/contract.md §4, "Deadline"; the engine answers a caller
 * past its deadline after that long, whatever the check is still doing). `callersDeadline` undefined:
 * nobody is waiting.
 */
export function checkDeadline(now: number, callersDeadline: number | undefined, minimumMs: number): number {
  return Math.max(now + minimumMs, callersDeadline ?? 0);
}

/**
 * Tencent (or something in front of it) says the account is over its rate. We never exceed the limit
 * ourselves, so someone else is spending the account's quota (the console, a CLI, another tool), and
 * every call sent into the same second would be refused too.
 */
export function isThrottling(failure: TencentFailure): boolean {
  return failure.category === 'RateLimitExceeded' && failure.retryable;
}

/**
 * An ID of an answered call: deleted if the answer lists it; not deleted if the answer's list leaves
 * it out — unless some call that carried it lost its answer (`ambiguous`). An answer without a list
 * (`listed` undefined) is no evidence either way: unknown.
 */
export function answeredSettlement(listed: boolean | undefined, ambiguous: boolean): Settlement {
  if (listed) return DELETED;
  return ambiguous || listed === undefined ? UNKNOWN : NOT_DELETED;
}

/**
 * An ID whose work ended without an answer that lists it. If any attempt's answer was lost, that
 * attempt may have deleted it, and nothing that fails afterwards says otherwise: it is `unknown`.
 * Otherwise no attempt deleted it, and it fails with `failure`.
 */
export function finalSettlement(ambiguous: boolean, failure: TencentFailure): Settlement {
  return ambiguous ? UNKNOWN : failed(failure);
}

/**
 * Callers of one ID are told one story (docs/contract.md §4): when another caller's call establishes
 * more about an ID than a caller was told — Tencent deleted it, or a call that carried it lost its
 * answer — the caller's settlement moves up to it, while the caller is still waiting for its answer.
 * The order: `deleted` (an answer said so) over `unknown` (it may have been) over `notDeleted` and
 * `failed` (nothing deleted it, as far as that caller's calls knew). True when `next` says more.
 */
export function saysMore(next: Settlement, current: Settlement): boolean {
  return weight(next) > weight(current);
}

function weight(settlement: Settlement): number {
  return settlement.kind === 'deleted' ? 2 : settlement.kind === 'unknown' ? 1 : 0;
}
