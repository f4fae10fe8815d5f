/**
 * The audit trail around the engine: a `DeleteEngine` decorator, one per GraphQL operation (it knows
 * the operation's caller and trace). Deleting a CSR is irreversible, and once many callers' IDs share
 * one signed call Tencent's own audit sees only the gateway's key: this is the one place that knows
 * who asked for which deletion.
 *
 *   1. Before anything is submitted, the intent — caller, time, trace, every ID — is written and
 *      durable. So a call that carries an ID always has a record of who asked for it, and a crash at
 *      any later point leaves "sent (or about to be), outcome unknown", never nothing.
 *   2. The store could not take the intent (down, slow, full): the mutation fails closed. Every ID
 *      gets `Gateway.AuditUnavailable` and nothing is submitted.
 *   3. After the engine has answered, each ID's outcome (DELETED, NOT_DELETED, UNKNOWN, or FAILED with
 *      its code) and the RequestIds of the calls that carried it are written, and only then is the
 *      caller answered. If that write fails the caller is answered all the same (the deletions have
 *      happened whatever the store says) and the records keep reading UNKNOWN, unsettled — which is
 *      all the trail knows.
 *
 * Writes are batched across callers by the trail (one per event-loop turn), so the audit costs a
 * mutation two store round trips shared with everyone else in the same turns.
 */
import { randomUUID } from 'node:crypto';
import { withSubmit, type CallerOutcome, type DeleteEngine, type SubmitOptions } from '../engine/types.js';
import { failure, GatewayCode } from '../tencent/codes.js';
import type { AuditTrail } from './trail.js';
import type { AuditSettlement, CallerKind } from './types.js';

/** Who is asking, as the audit records it. */
export interface Attribution {
  /** The JWT's `sub` or the API key's name; `anonymous` with auth off. */
  readonly caller: string;
  readonly callerKind?: CallerKind;
  readonly traceId?: string;
}

/** `attribution` is asked at submission time, when the operation's caller and trace are known. */
export function auditedEngine(engine: DeleteEngine, trail: AuditTrail, attribution: () => Attribution): DeleteEngine {
  return withSubmit(engine, (ids, options) => trail.track(submitAudited(engine, trail, attribution(), ids, options)));
}

async function submitAudited(
  engine: DeleteEngine,
  trail: AuditTrail,
  { caller, callerKind, traceId }: Attribution,
  ids: readonly number[],
  options: SubmitOptions,
): Promise<CallerOutcome> {
  const csrIds = [...new Set(ids)];
  if (csrIds.length === 0) return engine.submit(csrIds, options);
  const submission = randomUUID();
  try {
    await trail.recordIntent({ submission, csrIds, caller, ...(callerKind ? { callerKind } : {}), ...(traceId ? { traceId } : {}), at: new Date() });
  } catch {
    const refused = failedClosed(csrIds);
    // The write may have reached the store with only its answer lost: settle those rows as failed
    // (nothing was sent). Best effort: with the store down this finds nothing to settle.
    void trail.recordSettlements(settlementsOf(submission, refused)).catch(() => undefined);
    return refused;
  }
  const outcome = await engine.submit(csrIds, options);
  // A failure is logged by the trail; the caller is answered regardless (see the top of the file).
  await trail.recordSettlements(settlementsOf(submission, outcome)).catch(() => undefined);
  return outcome;
}

function failedClosed(ids: number[]): CallerOutcome {
  const refusal = failure(
    GatewayCode.AuditUnavailable,
    'The audit trail could not record who asked for these deletions, so nothing was sent (the gateway fails closed). Try again.',
  );
  return { deleted: [], notDeleted: [], unknown: [], failed: [{ failure: refusal, ids }], requestIds: [], requestIdsById: new Map() };
}

function settlementsOf(submission: string, outcome: CallerOutcome): AuditSettlement[] {
  const at = new Date();
  const settled = (csrId: number, rest: Pick<AuditSettlement, 'outcome' | 'code'>): AuditSettlement => ({
    submission,
    csrId,
    ...rest,
    requestIds: outcome.requestIdsById.get(csrId) ?? [],
    at,
  });
  return [
    ...outcome.deleted.map((id) => settled(id, { outcome: 'DELETED' })),
    ...outcome.notDeleted.map((id) => settled(id, { outcome: 'NOT_DELETED' })),
    ...outcome.unknown.map((id) => settled(id, { outcome: 'UNKNOWN' })),
    ...outcome.failed.flatMap(({ failure: { code }, ids }) => ids.map((id) => settled(id, { outcome: 'FAILED', code }))),
  ];
}
