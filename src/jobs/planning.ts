/**
 * A deletion plan's decisions, as pure functions (the planner, planner.ts, does the reading and the
 * storing around them): what a request asks for, how IDs are classified, what the deletion would
 * take, and whether a stored plan may start a job for a caller now.
 */
import { GatewayCode } from '../tencent/codes.js';
import type { PlanRecord } from './types.js';

/** The codes only planning meets (docs/contract.md §4); the list ones are the mutation's own. */
export const PlanCode = {
  IdsOrDomain: 'Gateway.IdsOrDomain',
  InvalidDomain: 'Gateway.InvalidDomain',
  EmptyIdList: GatewayCode.EmptyIdList,
  TooManyIds: GatewayCode.TooManyIds,
} as const;

/** The longest domain a plan accepts: a DNS name is at most 253 characters; a little room for a wildcard's. */
export const MAX_DOMAIN_LENGTH = 255;

export type PlanRequest = { readonly ids?: readonly number[] | null; readonly domain?: string | null };

export type PlanInput =
  /** `valid`: distinct positive IDs, ascending; `invalid`: distinct IDs ≤ 0, ascending. */
  | { readonly kind: 'ids'; readonly valid: readonly number[]; readonly invalid: readonly number[] }
  | { readonly kind: 'domain'; readonly domain: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

/**
 * What a request asks to plan, or why it is refused (nothing read, nothing stored). Exactly one of
 * `ids` and `domain`. Duplicates are not an error: an ID counts once (as `startCSRDeletion` and
 * `batchDeleteCSRs` count it), so the plan's three lists partition the distinct IDs asked for. An
 * ID ≤ 0 is one Tencent could never hold (its IDs are positive): `invalid`, never looked up. The
 * `MAX_IDS_PER_JOB` limit counts distinct IDs, invalid ones included (they are part of the answer).
 */
export function planInput(request: PlanRequest, maxIds: number): PlanInput {
  const { ids, domain } = request;
  if ((ids == null) === (domain == null)) {
    return refused(PlanCode.IdsOrDomain, 'Give exactly one of ids and domain; nothing was planned.');
  }
  if (domain != null) {
    // Control characters (U+0000 included) and blank names are never a CSR's domain; nor is whitespace around one.
    // eslint-disable-next-line no-control-regex
    if (domain.trim() === '' || domain !== domain.trim() || domain.length > MAX_DOMAIN_LENGTH || /[\u0000-\u001f\u007f]/.test(domain)) {
      return refused(
        PlanCode.InvalidDomain,
        `domain must be a CSR's domain as created (e.g. www.example.com): 1–${MAX_DOMAIN_LENGTH} characters, no surrounding ` +
          'whitespace or control characters; nothing was planned.',
      );
    }
    return { kind: 'domain', domain };
  }
  const distinct = [...new Set(ids)].sort((a, b) => a - b);
  if (distinct.length === 0) return refused(PlanCode.EmptyIdList, 'ids must contain at least one CSR ID; nothing was planned.');
  if (distinct.length > maxIds) {
    return refused(
      PlanCode.TooManyIds,
      `ids holds ${distinct.length} distinct IDs, more than the ${maxIds} one job may carry; nothing was planned. Split the list.`,
    );
  }
  return { kind: 'ids', valid: distinct.filter((id) => id > 0), invalid: distinct.filter((id) => id <= 0) };
}

function refused(code: string, message: string): PlanInput {
  return { kind: 'refused', code, message };
}

/**
 * What deleting `existing` IDs would take: one call per 100 IDs, and one rate-limit slot per call.
 * `slotMs` is the spacing of the deletion limiter's slots, as configured when the plan is made (the
 * in-process or shared schedule's `intervalMs`, a little over 1000 ms ÷ `TENCENTCLOUD_RATE_LIMIT`).
 * So `seconds` is the calls at the limit's pace, with the whole limit to themselves: other callers and
 * jobs sharing the limit, and retries, make a real deletion longer.
 */
export function estimate(existing: number, maxIdsPerCall: number, slotMs: number): { calls: number; seconds: number } {
  const calls = Math.ceil(existing / maxIdsPerCall);
  return { calls, seconds: (calls * slotMs) / 1000 };
}

export type PlanFate =
  | { readonly kind: 'ready'; readonly plan: PlanRecord }
  /** No such plan, or it is another caller's: told apart from nothing, so a plan's existence is not leaked. */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired'; readonly expiresAt: Date };

/** Whether `plan` (undefined: none stored) may start a job for `caller` at `now` (epoch ms). */
export function planFate(plan: PlanRecord | undefined, caller: string, now: number): PlanFate {
  if (!plan || plan.caller !== caller) return { kind: 'unknown' };
  if (plan.expiresAt.getTime() <= now) return { kind: 'expired', expiresAt: plan.expiresAt };
  return { kind: 'ready', plan };
}

/** The plan's existing and missing IDs, from the existence check's answer about `valid`. */
export function classify(valid: readonly number[], existing: ReadonlySet<number>): { existing: number[]; missing: number[] } {
  const found: number[] = [];
  const missing: number[] = [];
  for (const id of valid) (existing.has(id) ? found : missing).push(id);
  return { existing: found, missing };
}
