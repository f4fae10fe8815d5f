/**
 * The typed errors of the result union (CONTRACT §4): one GraphQL type per failure category, all
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
  description: 'Implemented by every error type above.',
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        "The Tencent Cloud error code verbatim (e.g. InvalidParameter.InvalidCSRId), or the gateway's own code.",
    }),
    message: t.exposeString('message', {
      description: 'What went wrong, in words for a developer (Tencent may reword or localise its messages: match on `code`).',
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: "Tencent's RequestId, where the error came back from Tencent.",
    }),
    csrIds: t.intList({
      description: "The caller's IDs that this error concerns.",
      resolve: (error) => [...error.csrIds],
    }),
  }),
});

const errorTypes: ReadonlyArray<readonly [ErrorClass, string, string]> = [
  [
    InvalidCSRIdError,
    'InvalidCSRIdError',
    'Tencent rejected these IDs as malformed (InvalidParameter.InvalidCSRId), or they are ≤ 0 and were refused ' +
      'before sending (Gateway.InvalidCSRId). Nothing was deleted for them; retrying will not help.',
  ],
  [
    InvalidParameterError,
    'InvalidParameterError',
    'The request itself was invalid: an empty list, more IDs than one mutation may carry (see MAX_IDS_PER_MUTATION), ' +
      "or Tencent's InvalidParameter*, InvalidParameterValue, MissingParameter, UnknownParameter. Nothing was deleted " +
      'for these IDs; fix the input before trying again.',
  ],
  [
    FailedOperationError,
    'FailedOperationError',
    "Tencent refused the operation (FailedOperation*, or any code this gateway does not know). Nothing was deleted for " +
      'these IDs; the message says why, and retrying usually does not help.',
  ],
  [
    RateLimitExceededError,
    'RateLimitExceededError',
    "These IDs could not be sent within the mutation's deadline because of Tencent's rate limit (10 calls/s per " +
      'account), or Tencent kept answering RequestLimitExceeded, or the gateway was too busy to queue them. Nothing was ' +
      'deleted for them: it is safe to send them again later.',
  ],
  [
    AuthFailureError,
    'AuthFailureError',
    "Tencent refused the gateway's own credentials (AuthFailure.*, UnauthorizedOperation*): an operator must fix the " +
      'gateway configuration. Nothing was deleted for these IDs.',
  ],
  [
    UpstreamUnavailableError,
    'UpstreamUnavailableError',
    'Tencent was unavailable (InternalError, ServiceUnavailable, ResourceUnavailable, HTTP 5xx, timeouts, resets, an ' +
      'answer that is not Tencent JSON) and retries did not succeed before the deadline; also the gateway shutting ' +
      'down. When the code is a lost answer (Gateway.UpstreamTimeout, Gateway.UpstreamConnectionReset, ' +
      'Gateway.UpstreamHttpError, Gateway.UpstreamInvalidResponse) Tencent may have deleted some of these IDs; ' +
      'otherwise nothing was deleted. Sending them again is safe either way: deleting is idempotent.',
  ],
];

export const errorTypeRefs = errorTypes.map(([errorClass, name, description]) =>
  builder.objectType(errorClass, {
    name,
    description,
    interfaces: [TencentCloudErrorRef],
    isTypeOf: (value) => value instanceof errorClass,
  }),
);
