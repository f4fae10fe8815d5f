/**
 * Exponential backoff with full jitter (Brooker, "Exponential Backoff And Jitter", AWS 2015): the
 * delay before attempt n+1 is uniform in [0, min(cap, base·2^(n-1))]. Full jitter spreads the retries
 * of many chunks that failed together, so they do not collide again. One formula, so written here
 * rather than pulled in with a retry framework that would also want to own the loop (the engine's
 * loop is the rate-limited dispatcher, and every retry must take a slot there).
 */
import type { TencentFailure } from '../tencent/codes.js';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Transient server or transport trouble: try again soon. */
export const TRANSIENT_BACKOFF: BackoffPolicy = { baseMs: 100, capMs: 2_000 };
/**
 * Tencent says we (or someone sharing the account: console, CLI) exceeded the limit: its window is a
 * second, so back off on that scale.
 */
export const RATE_LIMITED_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 4_000 };

export function backoffPolicy(failure: TencentFailure): BackoffPolicy {
  return failure.category === 'RateLimitExceeded' ? RATE_LIMITED_BACKOFF : TRANSIENT_BACKOFF;
}

/** `attempt` is the number of attempts made so far (≥ 1). */
export function fullJitterDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
