/**
 * What a submission's answer means for a job's items (src/jobs/settlement.ts): the one place that
 * decides whether an ID is settled, or goes back to be sent later — only when surely unsent.
 */
import { describe, expect, it } from 'vitest';
import { DELETED, DELETED_BY_CHECK, failed, NOT_DELETED, UNKNOWN, type Settlement } from '../../../src/engine/outcome.js';
import { settleInDoubt, settleLostSubmission, settleSubmission } from '../../../src/jobs/settlement.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';

const outcome = (entries: Array<[number, Settlement]>, requestIds: Array<[number, string[]]> = []) => ({
  settlements: new Map(entries),
  requestIds: new Map(requestIds),
});

describe('settling a job submission', () => {
  it.each([
    ['deleted', DELETED, { outcome: 'DELETED' }],
    ['deleted, as an existence check found after a lost answer', DELETED_BY_CHECK, { outcome: 'DELETED', confirmedBy: 'CHECK' }],
    ['not deleted', NOT_DELETED, { outcome: 'NOT_DELETED' }],
    ['unknown: never sent again', UNKNOWN, { outcome: 'UNKNOWN' }],
    ['a Tencent failure', failed(failure('FailedOperation.CertificateNotFound', 'x')), { outcome: 'FAILED', code: 'FailedOperation.CertificateNotFound' }],
    ['a lost answer that failed (the engine never reports a maybe-deleted ID as failed)', failed(failure(GatewayCode.UpstreamHttpRejected, 'x')), { outcome: 'FAILED', code: GatewayCode.UpstreamHttpRejected }],
  ])('%s is the item’s outcome, with its RequestIds', (_name, settlement, expected) => {
    const result = settleSubmission([7], outcome([[7, settlement]], [[7, ['req-1', 'req-2']]]));
    expect(result).toEqual({ settlements: [{ csrId: 7, ...expected, requestIds: ['req-1', 'req-2'] }], requeue: [] });
  });

  it.each([GatewayCode.DeadlineExceeded, GatewayCode.Overloaded, GatewayCode.ShuttingDown, GatewayCode.LimiterUnavailable, GatewayCode.AuditUnavailable])(
    '%s (nothing was sent) puts the item back to be sent later',
    (code) => {
      expect(settleSubmission([7], outcome([[7, failed(failure(code, 'x'))]]))).toEqual({ settlements: [], requeue: [7] });
    },
  );

  it('an ID the engine did not answer for, or a submission that threw, may have been sent: UNKNOWN', () => {
    expect(settleSubmission([1, 2], outcome([[1, DELETED]])).settlements).toEqual([
      { csrId: 1, outcome: 'DELETED', requestIds: [] },
      { csrId: 2, outcome: 'UNKNOWN', requestIds: [] },
    ]);
    expect(settleLostSubmission([3])).toEqual({ settlements: [{ csrId: 3, outcome: 'UNKNOWN', requestIds: [] }], requeue: [] });
  });
});

describe('settling the items a crashed holder left SENDING, once checked', () => {
  it('gone: DELETED with the check as its RequestIds; still there: back to PENDING (known not deleted)', () => {
    expect(settleInDoubt([1, 2, 3], { ok: true, existing: new Set([2]), requestIds: ['check-1'] })).toEqual({
      settlements: [
        { csrId: 1, outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: ['check-1'] },
        { csrId: 3, outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: ['check-1'] },
      ],
      requeue: [2],
    });
  });

  it('the check failed: nothing is known, UNKNOWN as before checks existed, never sent again', () => {
    expect(settleInDoubt([4, 5], { ok: false, failure: failure('ResourceUnavailable', 'x') })).toEqual({
      settlements: [
        { csrId: 4, outcome: 'UNKNOWN', requestIds: [] },
        { csrId: 5, outcome: 'UNKNOWN', requestIds: [] },
      ],
      requeue: [],
    });
  });
});
