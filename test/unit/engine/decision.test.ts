/**
 * What the engine does after an answer, as a table: one row per kind of answer and call. The engine
 * follows `decide` and nothing else (engine.ts), so this table is its whole retry/split/settle policy.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMITED_BACKOFF, TRANSIENT_BACKOFF } from '../../../src/engine/backoff.js';
import { answeredSettlement, decide, finalSettlement, type Decision } from '../../../src/engine/decision.js';
import type { BatchDeleteResult } from '../../../src/engine/client.js';
import { SLOT_MISSED } from '../../../src/tencent/client.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';

const ok: BatchDeleteResult = { ok: true, deleted: [1], requestId: 'r' };
const failed = (code: string, delivery: 'rejected' | 'unknown' = 'rejected'): BatchDeleteResult => ({
  ok: false,
  failure: failure(code, code, { delivery }),
});
const shared = { distinctIds: 100, maySplit: true };
const lone = { distinctIds: 1, maySplit: true };
const spent = { distinctIds: 50, maySplit: false };

const cases: [string, BatchDeleteResult, typeof shared, Decision['kind'], Partial<Record<string, unknown>>?][] = [
  ['an answer settles', ok, shared, 'settle'],
  ['a slot missed resends at once', SLOT_MISSED, shared, 'resend'],
  ['InvalidCSRId on many IDs isolates', failed('InvalidParameter.InvalidCSRId'), shared, 'isolate'],
  ['InvalidParameter.WithDetailReason on many IDs isolates', failed('InvalidParameter.WithDetailReason'), shared, 'isolate'],
  ['InvalidParameterValue on many IDs isolates', failed('InvalidParameterValue'), shared, 'isolate'],
  ['InvalidCSRId on one ID fails it', failed('InvalidParameter.InvalidCSRId'), lone, 'fail'],
  ['InvalidCSRId with the isolation budget spent fails them', failed('InvalidParameter.InvalidCSRId'), spent, 'fail'],
  ['RequestLimitExceeded retries after a cool-down', failed('RequestLimitExceeded'), shared, 'retry', { coolDown: true, backoff: RATE_LIMITED_BACKOFF }],
  ['RequestLimitExceeded.UinLimitExceeded retries after a cool-down', failed('RequestLimitExceeded.UinLimitExceeded'), shared, 'retry', { coolDown: true }],
  ['HTTP 429 retries after a cool-down', failed(GatewayCode.UpstreamThrottled), shared, 'retry', { coolDown: true }],
  ['InternalError retries', failed('InternalError'), shared, 'retry', { coolDown: false, backoff: TRANSIENT_BACKOFF }],
  ['ServiceUnavailable retries', failed('ServiceUnavailable'), shared, 'retry', { coolDown: false }],
  ['a timeout retries', failed(GatewayCode.UpstreamTimeout, 'unknown'), shared, 'retry', { coolDown: false }],
  ['a reset retries', failed(GatewayCode.UpstreamConnectionReset, 'unknown'), shared, 'retry'],
  ['HTTP 5xx retries', failed(GatewayCode.UpstreamHttpError, 'unknown'), shared, 'retry'],
  ['a non-JSON answer retries', failed(GatewayCode.UpstreamInvalidResponse, 'unknown'), shared, 'retry'],
  ['a refused connection retries', failed(GatewayCode.UpstreamConnectFailed), shared, 'retry'],
  ['AuthFailure fails', failed('AuthFailure.SignatureFailure'), shared, 'fail'],
  ['UnauthorizedOperation fails', failed('UnauthorizedOperation'), shared, 'fail'],
  ['FailedOperation fails', failed('FailedOperation'), shared, 'fail'],
  ['an unknown code fails', failed('SomethingNew.Entirely'), shared, 'fail'],
  ['another HTTP status fails', failed(GatewayCode.UpstreamHttpRejected), shared, 'fail'],
  ['a client bug fails', failed(GatewayCode.ClientError, 'unknown'), shared, 'fail'],
];

describe('decide', () => {
  it.each(cases)('%s', (_name, result, facts, kind, details) => {
    const decision = decide(result, facts);
    expect(decision.kind).toBe(kind);
    if (details) expect(decision).toMatchObject(details);
  });
});

describe('what an ID ends as', () => {
  const refused = failure('FailedOperation', 'no');
  it.each([
    ['listed in the answer', answeredSettlement(true, false), 'deleted'],
    ['listed, after a lost answer', answeredSettlement(true, true), 'deleted'],
    ['not listed', answeredSettlement(false, false), 'notDeleted'],
    ['not listed, but an earlier answer was lost', answeredSettlement(false, true), 'unknown'],
    ['a final failure', finalSettlement(false, refused), 'failed'],
    ['a final failure after a lost answer', finalSettlement(true, refused), 'unknown'],
  ])('%s: %s', (_name, settlement, kind) => {
    expect(settlement.kind).toBe(kind);
  });
});
