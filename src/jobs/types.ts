/**
 * A deletion job's shapes, as the store keeps them and the schema and the runner read them.
 */
import type { AuditConfirmation } from '../audit/types.js';

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** An item's final outcome: the audit trail's four, as the synchronous mutation reports them. */
export type ItemOutcome = 'DELETED' | 'NOT_DELETED' | 'UNKNOWN' | 'FAILED';
/** Where an item is: waiting, marked as maybe sent (a submission holds it), or settled. */
export type ItemState = 'PENDING' | 'SENDING' | ItemOutcome;

export interface JobCounts {
  readonly deleted: number;
  readonly notDeleted: number;
  readonly unknown: number;
  readonly failed: number;
  /** Not settled yet: waiting, or in a submission. */
  readonly pending: number;
}

export interface JobRecord {
  readonly id: string;
  readonly caller: string;
  readonly status: JobStatus;
  readonly total: number;
  readonly counts: JobCounts;
  readonly cancelRequested: boolean;
  readonly idempotencyKey: string | null;
  readonly planId: string | null;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
}

export interface JobItem {
  readonly csrId: number;
  readonly state: ItemState;
  readonly code: string | null;
  /** `CHECK` when an existence check, not an answer, established the outcome (as in the audit). */
  readonly confirmedBy: AuditConfirmation | null;
  readonly requestIds: readonly string[];
  readonly settledAt: Date | null;
}

export interface NewJob {
  readonly caller: string;
  readonly traceId?: string;
  readonly idempotencyKey?: string;
  readonly planId?: string;
  /** Distinct positive IDs. */
  readonly ids: readonly number[];
}

export type CreateResult =
  | { readonly kind: 'created' | 'replayed'; readonly job: JobRecord }
  /** The key was used before, by the same caller, for other IDs (or another plan). */
  | { readonly kind: 'mismatch'; readonly job: JobRecord };

export interface ItemSettlement {
  readonly csrId: number;
  readonly outcome: ItemOutcome;
  readonly code?: string;
  /** Set when an existence check, not an answer, established the outcome. */
  readonly confirmedBy?: AuditConfirmation;
  readonly requestIds: readonly string[];
}

/** NOTIFY channel: the payload is a job's ID, sent in the transaction that changed it. */
export const JOB_CHANGES_CHANNEL = 'csr_deletion_job_changes';

/**
 * A dry run of a deletion (planCSRDeletion): which of the asked-for IDs exist, which do not, which
 * Tencent could never hold, and what deleting the existing ones would take. Immutable once stored.
 */
export interface PlanRecord {
  /** A UUID. */
  readonly id: string;
  readonly caller: string;
  /** The domain whose CSRs were listed; null for a plan of given IDs. */
  readonly domain: string | null;
  /** Ascending, distinct: what a job started from this plan deletes, exactly. */
  readonly existingIds: readonly number[];
  readonly missingIds: readonly number[];
  /** IDs ≤ 0: never sent anywhere. */
  readonly invalidIds: readonly number[];
  /** RequestIds of the reads that found them. */
  readonly requestIds: readonly string[];
  readonly estimatedCalls: number;
  readonly estimatedSeconds: number;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}
