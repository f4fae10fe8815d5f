/**
 * What one submission's answer means for a job's items — a pure function, table-tested.
 *
 * The engine reports every ID it was given in exactly one outcome, honestly: an ID any attempt may
 * have deleted is only ever `deleted` or `unknown`. So an ID in `failed` was surely not deleted by this
 * submission, and for the engine's own "nothing was sent" codes — the gateway was busy, shutting
 * down, short of time, or could not reach its rate limiter or audit trail — it goes back to PENDING
 * and a later submission sends it. Every other failure is the ID's outcome, as the synchronous
 * mutation would report it. An `unknown` ID is never sent again: it ends UNKNOWN.
 */
import type { ExistenceAnswer } from '../engine/existence.js';
import type { DeletionOutcome } from '../engine/outcome.js';
import { GatewayCode } from '../tencent/codes.js';
import type { ItemOutcome, ItemSettlement } from './types.js';

/** Failures after which nothing was sent: the job tries the IDs again later. */
export const REQUEUED_CODES: ReadonlySet<string> = new Set([
  GatewayCode.DeadlineExceeded,
  GatewayCode.Overloaded,
  GatewayCode.ShuttingDown,
  GatewayCode.LimiterUnavailable,
  GatewayCode.AuditUnavailable,
]);

export interface SubmissionResult {
  readonly settlements: ItemSettlement[];
  /** IDs to put back to PENDING: surely not sent. */
  readonly requeue: number[];
}

const OUTCOME: Record<'deleted' | 'notDeleted' | 'unknown', ItemOutcome> = { deleted: 'DELETED', notDeleted: 'NOT_DELETED', unknown: 'UNKNOWN' };

export function settleSubmission(ids: readonly number[], outcome: DeletionOutcome): SubmissionResult {
  const settlements: ItemSettlement[] = [];
  const requeue: number[] = [];
  for (const id of ids) {
    const settlement = outcome.settlements.get(id);
    const requestIds = outcome.requestIds.get(id) ?? [];
    if (!settlement) {
      // The engine answers every ID; one it did not would be a bug. It may have been sent: UNKNOWN.
      settlements.push({ csrId: id, outcome: 'UNKNOWN', requestIds });
    } else if (settlement.kind !== 'failed') {
      const confirmed = settlement.kind === 'deleted' && settlement.evidence === 'check';
      settlements.push({ csrId: id, outcome: OUTCOME[settlement.kind], ...(confirmed ? { confirmedBy: 'CHECK' as const } : {}), requestIds });
    } else if (REQUEUED_CODES.has(settlement.failure.code)) {
      requeue.push(id);
    } else {
      settlements.push({ csrId: id, outcome: 'FAILED', code: settlement.failure.code, requestIds });
    }
  }
  return { settlements, requeue };
}

/**
 * Items a crashed holder left SENDING, once the taker has checked them (runner.ts): gone is DELETED
 * (the check's RequestIds its evidence), still there was not deleted by any send and goes back to
 * PENDING to be sent in the ordinary way; when the check failed, nothing is known and they are
 * UNKNOWN, as they were before checks existed.
 */
export function settleInDoubt(ids: readonly number[], answer: ExistenceAnswer): SubmissionResult {
  if (!answer.ok) return settleLostSubmission(ids);
  const settlements: ItemSettlement[] = [];
  const requeue: number[] = [];
  for (const csrId of ids) {
    if (answer.existing.has(csrId)) requeue.push(csrId);
    else settlements.push({ csrId, outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: answer.requestIds });
  }
  return { settlements, requeue };
}

/** When the submission itself failed (a bug): any of its IDs may have been sent. */
export function settleLostSubmission(ids: readonly number[]): SubmissionResult {
  return { settlements: ids.map((csrId) => ({ csrId, outcome: 'UNKNOWN', requestIds: [] })), requeue: [] };
}
