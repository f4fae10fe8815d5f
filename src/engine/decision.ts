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
import { DELETED, failed, NOT_DELETED, UNKNOWN, type Settlement } from './outcome.js';

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
 * Tencent (or something in front of it) says the account is over its rate. We never exceed the limit
 * ourselves, so someone else is spending the account's quota (the console, a CLI, another tool), and
 * every call sent into the same second would be refused too.
 */
export function isThrottling(failure: TencentFailure): boolean {
  return failure.category === 'RateLimitExceeded' && failure.retryable;
}

/** An ID of an answered call: deleted if the answer lists it; otherwise not deleted — unless an earlier attempt may have. */
export function answeredSettlement(deleted: boolean, ambiguous: boolean): Settlement {
  if (deleted) return DELETED;
  return ambiguous ? UNKNOWN : NOT_DELETED;
}

/**
 * An ID whose work ended without an answer that lists it. If any attempt's answer was lost, that
 * attempt may have deleted it, and nothing that fails afterwards says otherwise: it is `unknown`.
 * Otherwise no attempt deleted it, and it fails with `failure`.
 */
export function finalSettlement(ambiguous: boolean, failure: TencentFailure): Settlement {
  return ambiguous ? UNKNOWN : failed(failure);
}
