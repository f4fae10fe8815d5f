/**
 * What the engine does after an answer, as a table: one row per kind of answer and call. The engine
 * follows `decide` and nothing else (engine.ts), so this table is its whole retry/split/settle policy.
 */
import { describe, expect, it } from 'vitest';
import { RATE_LIMITED_BACKOFF, TRANSIENT_BACKOFF } from '../../../src/engine/backoff.js';
import {
  afterFailedCheck,
  answeredSettlement,
  checkDeadline,
  decide,
  finalSettlement,
  landedUpstream,
  lostAnswer,
  reconcile,
  saysMore,
  type CheckFinding,
  type Decision,
} from '../../../src/engine/decision.js';
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
    ['an answer without a Success list', answeredSettlement(undefined, false), 'unknown'],
    ['a final failure', finalSettlement(false, refused), 'failed'],
    ['a final failure after a lost answer', finalSettlement(true, refused), 'unknown'],
  ])('%s: %s', (_name, settlement, kind) => {
    expect(settlement.kind).toBe(kind);
  });
});

describe('which settlement says more about an ID (callers of one ID are told one story)', () => {
  const refused = { kind: 'failed', failure: failure('FailedOperation', 'no') } as const;
  const deleted = { kind: 'deleted' } as const;
  const unknown = { kind: 'unknown' } as const;
  const notDeleted = { kind: 'notDeleted' } as const;
  it.each([
    ['deleted over unknown', deleted, unknown, true],
    ['deleted over not deleted', deleted, notDeleted, true],
    ['deleted over a failure', deleted, refused, true],
    ['unknown over not deleted', unknown, notDeleted, true],
    ['unknown over a failure', unknown, refused, true],
    ['not unknown over deleted', unknown, deleted, false],
    ['not a failure over not deleted', refused, notDeleted, false],
    ['not deleted over deleted', deleted, deleted, false],
  ] as const)('%s', (_name, next, current, more) => {
    expect(saysMore(next, current)).toBe(more);
  });
});

describe('which answers were lost (their IDs are checked, when there is a checker)', () => {
  it.each<[string, BatchDeleteResult, boolean]>([
    ['an answer with a Success list', ok, false],
    ['an answer with an empty Success list', { ok: true, deleted: [], requestId: 'r' }, false],
    ['an answer without a Success list (null or missing)', { ok: true, deleted: undefined, requestId: 'r' }, true],
    ['a timeout', failed(GatewayCode.UpstreamTimeout, 'unknown'), true],
    ['a reset', failed(GatewayCode.UpstreamConnectionReset, 'unknown'), true],
    ['HTTP 5xx', failed(GatewayCode.UpstreamHttpError, 'unknown'), true],
    ['a body that is not Tencent JSON', failed(GatewayCode.UpstreamInvalidResponse, 'unknown'), true],
    ['a client bug', failed(GatewayCode.ClientError, 'unknown'), true],
    ['a refused connection (nothing sent)', failed(GatewayCode.UpstreamConnectFailed), false],
    ['a slot missed (nothing sent)', SLOT_MISSED, false],
    ["Tencent's InternalError (an answer)", failed('InternalError'), false],
  ])('%s: %s', (_name, result, lost) => {
    expect(lostAnswer(result)).toBe(lost);
  });
});

describe('what a check makes of an ID whose answer was lost', () => {
  const deadlineFailure = failure(GatewayCode.DeadlineExceeded, 'deadline');
  const deleted = { kind: 'settle', settlement: { kind: 'deleted', evidence: 'check' } };
  it.each<[string, CheckFinding, boolean, boolean, unknown]>([
    ['gone: deleted, the check its evidence', 'absent', false, true, deleted],
    ['gone, after a call that may still land: deleted all the same', 'absent', false, false, deleted],
    ['gone, past the deadline: deleted all the same', 'absent', true, false, deleted],
    ['still there, with time left: sent again', 'present', false, true, { kind: 'resend' }],
    ['still there after a call that may still land, with time left: sent again', 'present', false, false, { kind: 'resend' }],
    ['still there, past the deadline, the lost call over: failed with the deadline (nothing deleted it)', 'present', true, true, { kind: 'settle', settlement: { kind: 'failed', failure: deadlineFailure } }],
    ['still there, past the deadline, the lost call may still land: unknown', 'present', true, false, { kind: 'settle', settlement: { kind: 'unknown' } }],
    ['the check failed: as the lost answer decides without a checker', 'unchecked', false, true, { kind: 'asAnswered' }],
    ['the check failed, past the deadline: the same', 'unchecked', true, false, { kind: 'asAnswered' }],
  ])('%s', (_name, finding, expired, landed, expected) => {
    expect(reconcile(finding, { expired, landed, deadlineFailure })).toEqual(expected);
  });

  it.each<[string, BatchDeleteResult, boolean]>([
    ['an answer without a Success list: Tencent is done with the call', { ok: true, deleted: undefined, requestId: 'r' }, true],
    ['a timeout: the request may still be applied', failed(GatewayCode.UpstreamTimeout, 'unknown'), false],
    ['a reset', failed(GatewayCode.UpstreamConnectionReset, 'unknown'), false],
    ['HTTP 5xx from whatever stands in front', failed(GatewayCode.UpstreamHttpError, 'unknown'), false],
    ['a body that is not Tencent JSON', failed(GatewayCode.UpstreamInvalidResponse, 'unknown'), false],
  ])('whether the lost call has surely ended upstream — %s: %s', (_name, result, landed) => {
    expect(landedUpstream(result)).toBe(landed);
  });
});

describe('a check that failed: asked again while a caller has time, unless the read side refuses outright', () => {
  it.each<[string, string, boolean, 'recheck' | 'asAnswered']>([
    ["the read limit's wait ran past the check's deadline", GatewayCode.DeadlineExceeded, true, 'recheck'],
    ['the check did not answer in time', GatewayCode.UpstreamTimeout, true, 'recheck'],
    ['Tencent throttled the reads', 'RequestLimitExceeded', true, 'recheck'],
    ['a read error worth retrying', 'InternalError', true, 'recheck'],
    ['ResourceUnavailable', 'ResourceUnavailable', true, 'recheck'],
    ['no permission to read: never asked again', 'UnauthorizedOperation', true, 'asAnswered'],
    ['a signature failure: never asked again', 'AuthFailure.SignatureFailure', true, 'asAnswered'],
    ['out of time, but every caller is past its deadline', GatewayCode.DeadlineExceeded, false, 'asAnswered'],
    ['a transient error, every caller past its deadline', 'InternalError', false, 'asAnswered'],
  ])('%s', (_name, code, timeLeft, expected) => {
    expect(afterFailedCheck(failure(code, code), { timeLeft })).toBe(expected);
  });
});

describe("a check's time: until the waiting callers' deadline, and at least the upstream timeout", () => {
  it.each<[string, number, number | undefined, number, number]>([
    ['a mutation with 25 s left, UPSTREAM_TIMEOUT_MS 1 s: the 25 s', 1_000, 26_000, 1_000, 26_000],
    ['a caller with 300 ms left: still the 1 s a lost answer may take', 1_000, 1_300, 1_000, 2_000],
    ['nobody waiting (all answered meanwhile): the 1 s', 1_000, undefined, 1_000, 2_000],
    ['a job submission with minutes left: those minutes', 0, 600_000, 10_000, 600_000],
  ])('%s', (_name, now, callers, minimumMs, expected) => {
    expect(checkDeadline(now, callers, minimumMs)).toBe(expected);
  });
});
