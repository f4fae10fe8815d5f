/**
 * Deletion plans in the job database (table `csr_deletion_plans`, migration 2), so that a plan made
 * on one replica starts a job on any other. A plan is written once and read whole; nothing updates it.
 *
 * Expired plans are deleted opportunistically: each new plan then deletes up to `SWEEP_LIMIT` plans
 * that expired more than `EXPIRED_PLAN_KEPT_MS` before it was made, oldest first, by the expiry index.
 * That is cheap (one bounded, indexed delete per plan made) and keeps up: each plan made removes up to
 * 100 stale ones, so they cannot pile up faster than plans are made. No timer, no leader to elect.
 * Until it is swept an expired plan answers "expired" rather than "unknown".
 */
import type { Sql, SqlDriver } from './sql.js';
import type { PlanRecord } from './types.js';

/** How long an expired plan is kept, so that starting it says "expired" rather than "unknown". */
export const EXPIRED_PLAN_KEPT_MS = 60 * 60 * 1000;
/** Expired plans deleted per plan made, at most. */
export const SWEEP_LIMIT = 100;

interface PlanRow {
  id: string;
  caller: string;
  domain: string | null;
  existing_ids: Array<string | number | bigint>;
  missing_ids: Array<string | number | bigint>;
  invalid_ids: Array<string | number | bigint>;
  request_ids: string[];
  estimated_calls: number;
  estimated_seconds: number | string;
  created_at: Date;
  expires_at: Date;
}

const numbers = (values: ReadonlyArray<string | number | bigint>): number[] => values.map(Number);

function planOf(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    caller: row.caller,
    domain: row.domain,
    existingIds: numbers(row.existing_ids),
    missingIds: numbers(row.missing_ids),
    invalidIds: numbers(row.invalid_ids),
    requestIds: row.request_ids,
    estimatedCalls: Number(row.estimated_calls),
    estimatedSeconds: Number(row.estimated_seconds),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export class PlanStore {
  readonly #sql: SqlDriver;

  constructor(driver: SqlDriver) {
    this.#sql = driver;
  }

  /**
   * Stores `plan`, then sweeps some long-expired ones (see the header). The sweep is its own statement
   * and best effort: it never fails the plan that triggered it, and concurrent sweeps on other
   * replicas skip each other's rows (`SKIP LOCKED`) rather than wait or deadlock.
   */
  async save(plan: PlanRecord): Promise<void> {
    await this.#sql.query(
      `INSERT INTO csr_deletion_plans (id, caller, domain, existing_ids, missing_ids, invalid_ids, request_ids,
         estimated_calls, estimated_seconds, created_at, expires_at)
       VALUES ($1, $2, $3, $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8, $9, $10, $11)`,
      [
        plan.id,
        plan.caller,
        plan.domain,
        plan.existingIds,
        plan.missingIds,
        plan.invalidIds,
        plan.requestIds,
        plan.estimatedCalls,
        plan.estimatedSeconds,
        plan.createdAt.toISOString(),
        plan.expiresAt.toISOString(),
      ],
    );
    await sweep(this.#sql, new Date(plan.createdAt.getTime() - EXPIRED_PLAN_KEPT_MS)).catch(() => undefined);
  }

  /** The plan with this ID, whoever's it is and whether expired or not (planning.ts' `planFate` decides). */
  async get(id: string): Promise<PlanRecord | undefined> {
    const { rows } = await this.#sql.query<PlanRow>(
      `SELECT id, caller, domain, existing_ids, missing_ids, invalid_ids, request_ids, estimated_calls, estimated_seconds,
         created_at, expires_at
       FROM csr_deletion_plans WHERE id = $1`,
      [id],
    );
    return rows[0] ? planOf(rows[0]) : undefined;
  }
}

/** Deletes up to `SWEEP_LIMIT` plans that expired before `before`, oldest first. */
function sweep(sql: Sql, before: Date): Promise<unknown> {
  return sql.query(
    `DELETE FROM csr_deletion_plans WHERE id IN (
       SELECT id FROM csr_deletion_plans WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [before.toISOString(), SWEEP_LIMIT],
  );
}
