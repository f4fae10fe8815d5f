/**
 * The table of Tencent Cloud error codes, as the gateway needs to know them: which caller-facing
 * category each falls in (docs/contract.md §4's mapping), whether trying again can help, and whether the
 * code blames some of the call's IDs (so that splitting the call isolates them).
 *
 * It works on Tencent's code families (`AuthFailure` covers `AuthFailure.*`), so a code Tencent adds
 * to a family later is handled like its siblings. Every code Tencent documents for this API is listed,
 * with its kind and sources, in code-catalogue.ts and docs/tencent-error-codes.md.
 *
 * Throttling is every code with `category: 'RateLimitExceeded'` and `retryable: true`: the engine
 * cools dispatch down and retries it through the rate limiter. Tencent has two families of them here:
 * the common `RequestLimitExceeded[.*]` (the API gateway's per-API, per-account and per-IP limits)
 * and the SSL API's own `LimitExceeded.RateLimitExceeded`. A bare `LimitExceeded` is a quota, not a
 * rate: retrying does not help.
 *
 * Match on `Code` only: Tencent localises and rewords messages.
 */

/** The caller-facing categories; the schema turns each into the GraphQL type `<category>Error`. */
export type FailureCategory =
  | 'InvalidCSRId'
  | 'InvalidParameter'
  | 'FailedOperation'
  | 'RateLimitExceeded'
  | 'AuthFailure'
  | 'UpstreamUnavailable';

export interface CodeTraits {
  readonly category: FailureCategory;
  /** A later identical call may succeed (rate limit, transient server or transport trouble). */
  readonly retryable: boolean;
  /** Tencent rejected the call because of some of its IDs: splitting the call finds them. */
  readonly blamesIds: boolean;
}

/**
 * The gateway's own codes, for failures that did not come from Tencent's envelope. They share the
 * `code` field with Tencent's codes; the `Gateway.` prefix keeps them apart.
 */
export const GatewayCode = {
  /** An ID ≤ 0 or beyond Tencent's integer range: refused before anything is sent. */
  InvalidCSRId: 'Gateway.InvalidCSRId',
  EmptyIdList: 'Gateway.EmptyIdList',
  TooManyIds: 'Gateway.TooManyIds',
  /** The mutation's deadline passed while its IDs were still queued: nothing was sent for them. */
  DeadlineExceeded: 'Gateway.DeadlineExceeded',
  /** Too many IDs already pending: the mutation was refused at once, nothing sent. */
  Overloaded: 'Gateway.Overloaded',
  /** The gateway is draining for shutdown and takes no new work. */
  ShuttingDown: 'Gateway.ShuttingDown',
  /** The shared rate limiter (Redis) could not be reached and no safe local share was available. */
  LimiterUnavailable: 'Gateway.LimiterUnavailable',
  UpstreamTimeout: 'Gateway.UpstreamTimeout',
  UpstreamConnectFailed: 'Gateway.UpstreamConnectFailed',
  /** The endpoint failed to connect several times in a row: refused at once, nothing sent (tencent/circuit-breaker.ts). */
  UpstreamCircuitOpen: 'Gateway.UpstreamCircuitOpen',
  UpstreamConnectionReset: 'Gateway.UpstreamConnectionReset',
  /** HTTP 5xx: a proxy or Tencent's front end failed; the call may have been applied. */
  UpstreamHttpError: 'Gateway.UpstreamHttpError',
  /** HTTP 429 from something in front of Tencent. */
  UpstreamThrottled: 'Gateway.UpstreamThrottled',
  /** Another HTTP status that is not 200: a misconfigured endpoint or proxy; retrying will not help. */
  UpstreamHttpRejected: 'Gateway.UpstreamHttpRejected',
  UpstreamInvalidResponse: 'Gateway.UpstreamInvalidResponse',
  /** The client itself failed (a bug): the call may or may not have gone out. */
  ClientError: 'Gateway.ClientError',
  /**
   * The audit trail could not record who asked for these deletions (src/audit/): the mutation fails
   * closed, nothing sent. Never seen by the engine.
   */
  AuditUnavailable: 'Gateway.AuditUnavailable',
  /**
   * Not sent: its rate-limit slot came too late to use safely (see engine/limiter.ts). The engine asks
   * for another slot; callers never see this code.
   */
  SendSlotMissed: 'Gateway.SendSlotMissed',
} as const;

const traits = (category: FailureCategory, retryable = false, blamesIds = false): CodeTraits => ({
  category,
  retryable,
  blamesIds,
});

const exact: Readonly<Record<string, CodeTraits>> = {
  'InvalidParameter.InvalidCSRId': traits('InvalidCSRId', false, true),
  [GatewayCode.InvalidCSRId]: traits('InvalidCSRId'),
  [GatewayCode.EmptyIdList]: traits('InvalidParameter'),
  [GatewayCode.TooManyIds]: traits('InvalidParameter'),
  // The SSL API's own rate limit, beside the common RequestLimitExceeded family.
  'LimitExceeded.RateLimitExceeded': traits('RateLimitExceeded', true),
  // The account's IP allow-list or block-list refused the gateway's address: an operator must act.
  IpInBlacklist: traits('AuthFailure'),
  IpNotInWhitelist: traits('AuthFailure'),
  [GatewayCode.DeadlineExceeded]: traits('RateLimitExceeded'),
  [GatewayCode.Overloaded]: traits('RateLimitExceeded'),
  [GatewayCode.LimiterUnavailable]: traits('RateLimitExceeded'),
  [GatewayCode.ShuttingDown]: traits('UpstreamUnavailable'),
  [GatewayCode.AuditUnavailable]: traits('UpstreamUnavailable'),
  [GatewayCode.UpstreamTimeout]: traits('UpstreamUnavailable', true),
  [GatewayCode.UpstreamConnectFailed]: traits('UpstreamUnavailable', true),
  // Not retried: answering at once, instead of after retries until the deadline, is its point.
  [GatewayCode.UpstreamCircuitOpen]: traits('UpstreamUnavailable'),
  [GatewayCode.UpstreamConnectionReset]: traits('UpstreamUnavailable', true),
  [GatewayCode.UpstreamHttpError]: traits('UpstreamUnavailable', true),
  [GatewayCode.UpstreamInvalidResponse]: traits('UpstreamUnavailable', true),
  [GatewayCode.UpstreamThrottled]: traits('RateLimitExceeded', true),
  [GatewayCode.UpstreamHttpRejected]: traits('FailedOperation'),
  [GatewayCode.SendSlotMissed]: traits('RateLimitExceeded', true),
};

/** Families matched on the code itself or the code followed by `.`: `AuthFailure` covers `AuthFailure.*`. */
const families: ReadonlyArray<readonly [string, CodeTraits]> = [
  ['InvalidParameter', traits('InvalidParameter', false, true)],
  ['InvalidParameterValue', traits('InvalidParameter', false, true)],
  ['MissingParameter', traits('InvalidParameter')],
  ['UnknownParameter', traits('InvalidParameter')],
  ['FailedOperation', traits('FailedOperation')],
  ['RequestLimitExceeded', traits('RateLimitExceeded', true)],
  ['AuthFailure', traits('AuthFailure')],
  ['UnauthorizedOperation', traits('AuthFailure')],
  ['InternalError', traits('UpstreamUnavailable', true)],
  ['ServiceUnavailable', traits('UpstreamUnavailable', true)],
  ['ResourceUnavailable', traits('UpstreamUnavailable', true)],
];

/** Any code not listed is a `FailedOperation`, final. */
const fallback = traits('FailedOperation');

export function classify(code: string): CodeTraits {
  const known = exact[code];
  if (known) return known;
  for (const [family, familyTraits] of families) {
    if (code === family || code.startsWith(`${family}.`)) return familyTraits;
  }
  return fallback;
}

/**
 * Why a call failed, as the engine and the schema see it. `delivery` is what the engine needs for
 * the one hard question of retrying deletes: may this call have deleted anything?
 */
export interface TencentFailure extends CodeTraits {
  readonly code: string;
  readonly message: string;
  /** Tencent's RequestId, when the answer came from Tencent. */
  readonly requestId?: string;
  /**
   * `rejected`: surely not applied (Tencent answered with an error, or the request never left).
   * `unknown`: it may have been applied, but the answer was lost (timeout, reset, 5xx, garbage).
   */
  readonly delivery: 'rejected' | 'unknown';
}

export function failure(
  code: string,
  message: string,
  options: { requestId?: string; delivery?: TencentFailure['delivery'] } = {},
): TencentFailure {
  return {
    ...classify(code),
    code,
    message,
    delivery: options.delivery ?? 'rejected',
    ...(options.requestId ? { requestId: options.requestId } : {}),
  };
}
