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
import type { CallerOutcome } from '../engine/types.js';
import { GatewayCode } from '../tencent/codes.js';
import type { ItemSettlement } from './types.js';

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

export function settleSubmission(ids: readonly number[], outcome: CallerOutcome): SubmissionResult {
  const settlements: ItemSettlement[] = [];
  const requeue: number[] = [];
  const seen = new Set<number>();
  const requestIds = (id: number): readonly string[] => outcome.requestIdsById.get(id) ?? [];
  const settle = (id: number, settlement: Omit<ItemSettlement, 'csrId' | 'requestIds'>): void => {
    seen.add(id);
    settlements.push({ csrId: id, ...settlement, requestIds: requestIds(id) });
  };
  for (const id of outcome.deleted) settle(id, { outcome: 'DELETED' });
  for (const id of outcome.notDeleted) settle(id, { outcome: 'NOT_DELETED' });
  for (const id of outcome.unknown) settle(id, { outcome: 'UNKNOWN' });
  for (const { failure, ids: failedIds } of outcome.failed) {
    for (const id of failedIds) {
      if (REQUEUED_CODES.has(failure.code)) {
        seen.add(id);
        requeue.push(id);
      } else {
        settle(id, { outcome: 'FAILED', code: failure.code });
      }
    }
  }
  // The engine answers every ID; one it did not would be a bug. It may have been sent: UNKNOWN.
  for (const id of ids) if (!seen.has(id)) settle(id, { outcome: 'UNKNOWN' });
  return { settlements, requeue };
}

/** When the submission itself failed (a bug): any of its IDs may have been sent. */
export function settleLostSubmission(ids: readonly number[]): SubmissionResult {
  return { settlements: ids.map((csrId) => ({ csrId, outcome: 'UNKNOWN', requestIds: [] })), requeue: [] };
}
