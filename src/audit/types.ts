/**
 * The audit trail's shapes: what is written (an intent before the first upstream call, an outcome
 * after), what is read back (one record per mutation and CSR ID), and the store both go through.
 *
 * A record exists from the moment its intent is durable; until its outcome is written it reads as
 * `UNKNOWN` with no `settledAt` — "sent, or about to be, outcome unknown" — which is exactly what a
 * crash between the two leaves behind.
 */

export const AUDIT_OUTCOMES = ['DELETED', 'NOT_DELETED', 'UNKNOWN', 'FAILED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * How the caller proved who it is: a JWT's `sub` and an API key's name are different namespaces (a
 * token for `svc` and the key named `svc` are two callers). Records written before this was kept have
 * none.
 */
export const CALLER_AUTHS = ['jwt', 'key', 'anonymous'] as const;
export type CallerAuth = (typeof CALLER_AUTHS)[number];

/**
 * What established an outcome other than the answer of the call that carried the ID: `CHECK`, an
 * existence check after that answer was lost (src/engine/existence.ts) found the CSR gone. Records
 * settled by an answer have none.
 */
export const AUDIT_CONFIRMATIONS = ['CHECK'] as const;
export type AuditConfirmation = (typeof AUDIT_CONFIRMATIONS)[number];

/** Who asked, when, in which trace: written, durably, before anything of the submission is sent. */
export interface AuditIntent {
  /** One per engine submission (one per GraphQL operation's batch of IDs); with the CSR ID, a record's key. */
  readonly submission: string;
  readonly csrIds: readonly number[];
  /** The JWT's `sub`, the API key's name (never the key), or `anonymous` with auth off. */
  readonly caller: string;
  /** Absent for a caller of unknown kind (a test's). */
  readonly callerAuth?: CallerAuth;
  readonly traceId?: string;
  readonly at: Date;
}

/** What came of one CSR ID of a submission. */
export interface AuditSettlement {
  readonly submission: string;
  readonly csrId: number;
  readonly outcome: AuditOutcome;
  /** The error code when `FAILED`. */
  readonly code?: string;
  /** Set when an existence check, not an answer, established the outcome. */
  readonly confirmedBy?: AuditConfirmation;
  /** Tencent RequestIds of the calls that carried this ID (and of the checks that looked for it). */
  readonly requestIds: readonly string[];
  readonly at: Date;
}

export interface AuditRecord {
  readonly submission: string;
  readonly csrId: number;
  readonly caller: string;
  /** Null for records written before the kind was kept. */
  readonly callerAuth: CallerAuth | null;
  readonly outcome: AuditOutcome;
  readonly code: string | null;
  /** `CHECK` when an existence check established the outcome; null when an answer did (or none yet). */
  readonly confirmedBy: AuditConfirmation | null;
  readonly requestIds: readonly string[];
  readonly traceId: string | null;
  /** When the mutation asked. */
  readonly at: Date;
  /** When the outcome was recorded; null while (or because) it never was. */
  readonly settledAt: Date | null;
}

export interface AuditQuery {
  readonly csrId: number;
  readonly caller?: string;
  /** Records asked for at or after this time. */
  readonly since?: Date;
  /** Records asked for before this time. */
  readonly until?: Date;
  /** Newest first: records after this position (see `AuditPosition`). */
  readonly after?: AuditPosition;
  readonly limit: number;
}

/** A record's place in the newest-first order, for cursors: its time, then its key. */
export interface AuditPosition {
  readonly at: Date;
  readonly submission: string;
}

/**
 * Where records live. Writes take whole batches (the trail batches per event-loop turn, so one round
 * trip carries every caller's rows of that turn) and resolve once durable; they reject when the store
 * cannot take them.
 */
export interface AuditStore {
  /** Where it is, for the start-up log line (never a password). */
  readonly description: string;
  recordIntents(intents: readonly AuditIntent[]): Promise<void>;
  recordSettlements(settlements: readonly AuditSettlement[]): Promise<void>;
  records(query: AuditQuery): Promise<AuditRecord[]>;
  /** Deletes records asked for before `before`; resolves with how many went (roughly, for the log). */
  prune(before: Date): Promise<number>;
  /** Resolves when the store can take writes now (readiness); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
