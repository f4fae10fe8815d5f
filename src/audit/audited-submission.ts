/**
 * The audit trail around one submission to the engine: the deletion service's step between tracing
 * and pacing (src/deletion/service.ts), given the submission's attribution (caller, trace). Deleting a CSR is irreversible, and once many callers' IDs share
 * one signed call Tencent's own audit sees only the gateway's key: this is the one place that knows
 * who asked for which deletion.
 *
 *   1. Before anything is submitted, the intent — caller, time, trace, every ID — is written and
 *      durable. So a call that carries an ID always has a record of who asked for it, and a crash at
 *      any later point leaves "sent (or about to be), outcome unknown", never nothing.
 *   2. The store could not take the intent (down, slow, full): the mutation fails closed. Every ID
 *      gets `Gateway.AuditUnavailable` and nothing is submitted.
 *   3. After the engine has answered, each ID's outcome (DELETED, NOT_DELETED, UNKNOWN, or FAILED with
 *      its code; DELETED `confirmedBy: CHECK` when an existence check, not an answer, found it gone)
 *      and the RequestIds of the calls that carried it (and of the checks that looked for it) are written — while the caller is
 *      answered, not before: the answer does not wait for the settlement to be durable. A crash in
 *      between leaves what a crash before the settlement always left, records reading UNKNOWN with
 *      `settledAt` null; if the write fails the records keep reading so (the deletions have happened
 *      whatever the store says), which is all the trail knows. Shutdown waits for it (trail.ts), and
 *      an audit read in this process waits for it, so a caller reads its own outcome.
 *
 * Writes are batched across callers by the trail (one per event-loop turn) and grouped by the store
 * (group-commit.ts), so the audit costs a mutation one durable write on its way, shared with everyone
 * else's, and one more after its answer.
 */
import { randomUUID } from 'node:crypto';
import { allFailed, type DeletionOutcome, type OutcomeKind } from '../engine/outcome.js';
import { failure, GatewayCode } from '../tencent/codes.js';
import type { AuditTrail } from './trail.js';
import type { AuditOutcome, AuditSettlement, CallerAuth } from './types.js';

/** Who is asking, as the audit records it. */
export interface AuditedBy {
  /** The JWT's `sub` or the API key's name; `anonymous` with auth off. */
  readonly caller: string;
  /** How the caller authenticated (a JWT's sub and an API key's name can be the same text). */
  readonly callerAuth?: CallerAuth;
  readonly traceId?: string;
}

/** Each outcome kind's name in the trail (docs/contract.md §4). */
const AUDIT_OUTCOME: { readonly [K in OutcomeKind]: AuditOutcome } = {
  deleted: 'DELETED',
  notDeleted: 'NOT_DELETED',
  unknown: 'UNKNOWN',
  failed: 'FAILED',
};

/**
 * Submits the distinct `csrIds` through `submit` between an intent and its settlements (see the top
 * of the file); `submit` is not called when the intent cannot be written.
 */
export function auditedSubmission(
  trail: AuditTrail,
  { caller, callerAuth, traceId }: AuditedBy,
  csrIds: readonly number[],
  submit: () => Promise<DeletionOutcome>,
): Promise<DeletionOutcome> {
  if (csrIds.length === 0) return submit();
  return trail.track(
    (async () => {
      const submission = randomUUID();
      try {
        await trail.recordIntent({ submission, csrIds, caller, ...(callerAuth ? { callerAuth } : {}), ...(traceId ? { traceId } : {}), at: new Date() });
      } catch {
        const refused = allFailed(
          csrIds,
          failure(
            GatewayCode.AuditUnavailable,
            'The audit trail could not record who asked for these deletions, so nothing was sent (the gateway fails closed). Try again.',
          ),
        );
        // The write may have reached the store with only its answer lost: settle those rows as failed
        // (nothing was sent). Best effort: with the store down this finds nothing to settle.
        void trail.recordSettlements(settlementsOf(submission, refused)).catch(() => undefined);
        return refused;
      }
      const outcome = await submit();
      // Not awaited: the caller's answer does not wait for it (see the top of the file). A failure is logged by the trail.
      void trail.recordSettlements(settlementsOf(submission, outcome)).catch(() => undefined);
      return outcome;
    })(),
  );
}

/** One settlement record per ID, with the RequestIds of the calls that carried it. */
function settlementsOf(submission: string, outcome: DeletionOutcome): AuditSettlement[] {
  const at = new Date();
  return Array.from(outcome.settlements, ([csrId, settlement]) => ({
    submission,
    csrId,
    outcome: AUDIT_OUTCOME[settlement.kind],
    ...(settlement.kind === 'failed' ? { code: settlement.failure.code } : {}),
    ...(settlement.kind === 'deleted' && settlement.evidence === 'check' ? { confirmedBy: 'CHECK' as const } : {}),
    requestIds: outcome.requestIds.get(csrId) ?? [],
    at,
  }));
}
