/**
 * The typed errors of the result union (docs/contract.md §4): one GraphQL type per failure category, all
 * implementing `TencentCloudError`. Each is a class, so types resolve with `instanceof`, whether the
 * resolver returns one as the union's value or it sits in `BatchDeleteCSRsSuccess.errors`.
 *
 * They are deliberately not `Error` subclasses: graphql-js treats any `Error` value met in a list as a
 * field error, and these are data, not exceptions.
 */
import type { FailureCategory, TencentFailure } from '../tencent/codes.js';
import { builder } from './builder.js';

export abstract class TencentCloudErrorBase {
  readonly code: string;
  readonly message: string;
  readonly requestId: string | null;
  readonly csrIds: readonly number[];

  constructor(failure: Pick<TencentFailure, 'code' | 'message' | 'requestId'>, csrIds: readonly number[]) {
    this.code = failure.code;
    this.message = failure.message;
    this.requestId = failure.requestId ?? null;
    this.csrIds = csrIds;
  }
}

export class InvalidCSRIdError extends TencentCloudErrorBase {}
export class InvalidParameterError extends TencentCloudErrorBase {}
export class FailedOperationError extends TencentCloudErrorBase {}
export class RateLimitExceededError extends TencentCloudErrorBase {}
export class AuthFailureError extends TencentCloudErrorBase {}
export class UpstreamUnavailableError extends TencentCloudErrorBase {}

type ErrorClass = new (failure: TencentFailure, csrIds: readonly number[]) => TencentCloudErrorBase;

const errorClasses: Record<FailureCategory, ErrorClass> = {
  InvalidCSRId: InvalidCSRIdError,
  InvalidParameter: InvalidParameterError,
  FailedOperation: FailedOperationError,
  RateLimitExceeded: RateLimitExceededError,
  AuthFailure: AuthFailureError,
  UpstreamUnavailable: UpstreamUnavailableError,
};

/** The GraphQL error for a failure, concerning `csrIds`. */
export function errorFor(failure: TencentFailure, csrIds: readonly number[]): TencentCloudErrorBase {
  return new errorClasses[failure.category](failure, csrIds);
}

export const TencentCloudErrorRef = builder.interfaceRef<TencentCloudErrorBase>('TencentCloudError').implement({
  description:
    "An error concerning some of the caller's IDs (csrIds); every error type of BatchDeleteCSRsResult implements it. " +
    'Select `... on TencentCloudError { code message csrIds }` to handle every error type, including ones added later; ' +
    'each type says whether sending the IDs again can help.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        "The Tencent Cloud error code verbatim (e.g. InvalidParameter.InvalidCSRId), or the gateway's own code, which " +
        'starts with `Gateway.` (e.g. Gateway.DeadlineExceeded). Stable: match on it, not on message.',
    }),
    message: t.exposeString('message', {
      description: 'What went wrong, in words for a developer (Tencent may reword or localise its messages: match on `code`).',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description:
        "Tencent's RequestId, where the error came back from Tencent (quote it to Tencent support); null when it did " +
        'not (e.g. the `Gateway.` codes).',
    }),
    csrIds: t.intList({
      description: "The caller's IDs that this error concerns: all of them when the error is the mutation's result itself.",
      resolve: (error) => [...error.csrIds],
    }),
  }),
});

const errorTypes: ReadonlyArray<readonly [ErrorClass, string, string]> = [
  [
    InvalidCSRIdError,
    'InvalidCSRIdError',
    'Tencent rejected these IDs as malformed (InvalidParameter.InvalidCSRId), or they are ≤ 0 and were refused ' +
      'before sending (Gateway.InvalidCSRId). Nothing was deleted for them; sending them again will not help.',
  ],
  [
    InvalidParameterError,
    'InvalidParameterError',
    'The request itself was invalid: an empty list (Gateway.EmptyIdList), more distinct IDs than one mutation may ' +
      'carry (Gateway.TooManyIds: see csrDeletionLimits.maxIdsPerMutation, and split the list), or Tencent\'s ' +
      'InvalidParameter*, InvalidParameterValue, MissingParameter, UnknownParameter. Nothing was deleted for these IDs; ' +
      'fix the input before sending it again.',
  ],
  [
    FailedOperationError,
    'FailedOperationError',
    'Tencent refused the operation (FailedOperation*, or any code this gateway does not know), or an endpoint or proxy ' +
      'in front of it answered with an unexpected HTTP status (Gateway.UpstreamHttpRejected). Nothing was deleted for ' +
      'these IDs and sending them again usually does not help: the message says why. The one exception, ' +
      'Gateway.ClientError, is a gateway bug after which the outcome is unknown; report it.',
  ],
  [
    RateLimitExceededError,
    'RateLimitExceededError',
    "These IDs could not be sent within the mutation's deadline (Gateway.DeadlineExceeded: see " +
      "csrDeletionLimits.mutationDeadlineMs) because of the account's rate limit (10 calls/s by default, shared by all " +
      'callers), or Tencent kept answering with a throttling code (RequestLimitExceeded*, LimitExceeded.RateLimitExceeded), ' +
      'or a proxy kept answering HTTP 429 (Gateway.UpstreamThrottled), or the gateway already held too many IDs (Gateway.Overloaded) or could not reach ' +
      'its shared rate limiter (Gateway.LimiterUnavailable). Nothing was deleted for them: send them again after a ' +
      'pause, or in smaller lists.',
  ],
  [
    AuthFailureError,
    'AuthFailureError',
    "Tencent refused the gateway's own credentials or its address (AuthFailure.*, UnauthorizedOperation*, " +
      'IpInBlacklist, IpNotInWhitelist): an operator must fix the gateway configuration or the account. Nothing was ' +
      'deleted for these IDs.',
  ],
  [
    UpstreamUnavailableError,
    'UpstreamUnavailableError',
    'Tencent was unavailable (InternalError, ServiceUnavailable, ResourceUnavailable, HTTP 5xx, timeouts, resets, an ' +
      'answer that is not Tencent JSON) and retries did not succeed before the deadline; also the gateway shutting ' +
      'down, or its audit trail unable to record the request (Gateway.AuditUnavailable: nothing was sent). When the code is a lost answer (Gateway.UpstreamTimeout, Gateway.UpstreamConnectionReset, ' +
      'Gateway.UpstreamHttpError, Gateway.UpstreamInvalidResponse) Tencent may have deleted some of these IDs; ' +
      'otherwise nothing was deleted. Sending them again is safe either way: deleting is idempotent.',
  ],
];

/** The GraphQL type of an error value, for unions that resolve their members by hand. */
export function errorTypeName(error: TencentCloudErrorBase): string {
  const entry = errorTypes.find(([errorClass]) => error instanceof errorClass);
  if (!entry) throw new Error(`No GraphQL type for ${error.constructor.name}`);
  return entry[1];
}

export const errorTypeRefs = errorTypes.map(([errorClass, name, description]) =>
  builder.objectType(errorClass, {
    name,
    description,
    interfaces: [TencentCloudErrorRef],
    isTypeOf: (value) => value instanceof errorClass,
  }),
);
