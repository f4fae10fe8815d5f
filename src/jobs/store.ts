/**
 * Deletion jobs and their items in SQL: one implementation over either driver (sql.ts). Every
 * statement that moves a job on is fenced by the lease (`lease_owner`), so a replica that lost its
 * job — paused past its lease, then taken over — cannot write over what the new holder decided.
 *
 * Each transaction that changes a job NOTIFYs `JOB_CHANGES_CHANNEL` with its ID (delivered at
 * commit), which is how progress reaches subscribers on every replica (progress.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { migrateJobs } from './migrations.js';
import { PlanStore } from './plan-store.js';
import type { Sql, SqlDriver } from './sql.js';
import {
  JOB_CHANGES_CHANNEL,
  type CreateResult,
  type ItemOutcome,
  type ItemSettlement,
  type ItemState,
  type JobItem,
  type JobRecord,
  type JobStatus,
  type NewJob,
} from './types.js';

/** Items go in slices, so that a million-ID job is a few dozen statements of bounded size. */
const INSERT_SLICE = 20_000;

/** `Gateway.Cancelled`: the job was cancelled before this ID was sent; nothing was sent for it. */
export const CANCELLED_CODE = 'Gateway.Cancelled';

interface JobRow {
  id: string;
  caller: string;
  status: JobStatus;
  total: number;
  deleted: number;
  not_deleted: number;
  unknown: number;
  failed: number;
  cancel_requested: boolean;
  idempotency_key: string | null;
  plan_id: string | null;
  ids_digest: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

interface ItemRow {
  csr_id: string | number | bigint;
  state: ItemState;
  code: string | null;
  confirmed_by: 'CHECK' | null;
  request_ids: string[];
  settled_at: Date | null;
}

const JOB_COLUMNS = `id, caller, status, total, deleted, not_deleted, unknown, failed, cancel_requested, idempotency_key, plan_id,
  ids_digest, created_at, started_at, finished_at`;

function jobOf(row: JobRow): JobRecord {
  const deleted = Number(row.deleted);
  const notDeleted = Number(row.not_deleted);
  const unknown = Number(row.unknown);
  const failed = Number(row.failed);
  const total = Number(row.total);
  return {
    id: row.id,
    caller: row.caller,
    status: row.status,
    total,
    counts: { deleted, notDeleted, unknown, failed, pending: total - deleted - notDeleted - unknown - failed },
    cancelRequested: row.cancel_requested,
    idempotencyKey: row.idempotency_key,
    planId: row.plan_id,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** What a replay must match: the sorted distinct IDs (or the plan), hashed. */
export function idsDigest(job: Pick<NewJob, 'ids' | 'planId'>): string {
  const hash = createHash('sha256');
  if (job.planId !== undefined) hash.update(`plan:${job.planId}`);
  else hash.update([...job.ids].sort((a, b) => a - b).join(','));
  return hash.digest('hex');
}

/** Counter column per outcome. */
const COUNTER: Record<ItemOutcome, string> = { DELETED: 'deleted', NOT_DELETED: 'not_deleted', UNKNOWN: 'unknown', FAILED: 'failed' };

export interface ListQuery {
  /** Only this caller's jobs; undefined: everyone's. */
  readonly caller?: string;
  readonly status?: JobStatus;
  readonly limit: number;
  readonly after?: { readonly createdAt: Date; readonly id: string };
}

export interface ResultsQuery {
  readonly limit: number;
  /** Items with a larger CSR ID than this. */
  readonly afterCsrId?: number;
  /** Only settled items of this outcome; undefined: every item, pending ones included. */
  readonly outcome?: ItemOutcome;
}

/** A claim or a settlement found the job no longer this replica's (taken over, cancelled, finished). */
export const LOST = Symbol('lost');

/** Finished jobs deleted by one statement of `prune`. */
const PRUNE_SLICE = 10;

export class JobStore {
  readonly #sql: SqlDriver;
  /** Deletion plans, in the same database (plan-store.ts). */
  readonly plans: PlanStore;

  private constructor(driver: SqlDriver) {
    this.#sql = driver;
    this.plans = new PlanStore(driver);
  }

  get description(): string {
    return this.#sql.description;
  }

  static async open(driver: SqlDriver): Promise<{ store: JobStore; migrated: number[] }> {
    const migrated = await migrateJobs(driver);
    return { store: new JobStore(driver), migrated };
  }

  /**
   * Stores a job and its items in one transaction (so it exists, whole, before anyone is told its
   * ID), or finds the job an earlier start made: with the same caller and key, or of the same plan
   * (a plan starts one job).
   */
  async create(job: NewJob): Promise<CreateResult> {
    const digest = idsDigest(job);
    const id = randomUUID();
    for (;;) {
      const result = await this.#sql.transaction(async (sql): Promise<CreateResult | undefined> => {
        const earlier = await this.#earlier(sql, job, digest);
        if (earlier) return earlier;
        // No target: a conflict on the key's index or on the plan's (csr_deletion_jobs_plan) does nothing.
        const inserted = await sql.query<JobRow>(
          `INSERT INTO csr_deletion_jobs (id, caller, trace_id, idempotency_key, ids_digest, plan_id, total)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT DO NOTHING
           RETURNING ${JOB_COLUMNS}`,
          [id, job.caller, job.traceId ?? null, job.idempotencyKey ?? null, digest, job.planId ?? null, job.ids.length],
        );
        const row = inserted.rows[0];
        // A concurrent start with the same key, or of the same plan, won the race: look again (outside this transaction).
        if (!row) return undefined;
        for (let start = 0; start < job.ids.length; start += INSERT_SLICE) {
          await sql.query(
            `INSERT INTO csr_deletion_job_items (job, csr_id) SELECT $1, unnest($2::bigint[])`,
            [id, job.ids.slice(start, start + INSERT_SLICE)],
          );
        }
        await notify(sql, id);
        return { kind: 'created', job: jobOf(row) };
      });
      if (result) return result;
    }
  }

  /**
   * What `create` answers without storing anything, when an earlier start decides it: the job of the
   * same key (replayed when it was for the same IDs or plan, a mismatch otherwise), else the job the
   * same plan started. Undefined when `create` would store a new job. The schema asks before reading
   * the plan, so that a retried start of a plan that has expired since still finds its job.
   */
  earlier(job: Pick<NewJob, 'caller' | 'idempotencyKey' | 'planId' | 'ids'>): Promise<CreateResult | undefined> {
    return this.#earlier(this.#sql, job, idsDigest(job));
  }

  async #earlier(sql: Sql, job: Pick<NewJob, 'caller' | 'idempotencyKey' | 'planId'>, digest: string): Promise<CreateResult | undefined> {
    if (job.idempotencyKey !== undefined) {
      const { rows } = await sql.query<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM csr_deletion_jobs WHERE caller = $1 AND idempotency_key = $2`,
        [job.caller, job.idempotencyKey],
      );
      const existing = rows[0];
      if (existing) return { kind: existing.ids_digest === digest ? 'replayed' : 'mismatch', job: jobOf(existing) };
    }
    if (job.planId !== undefined) {
      const { rows } = await sql.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM csr_deletion_jobs WHERE caller = $1 AND plan_id = $2`, [
        job.caller,
        job.planId,
      ]);
      if (rows[0]) return { kind: 'replayed', job: jobOf(rows[0]) };
    }
    return undefined;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.#sql.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM csr_deletion_jobs WHERE id = $1`, [id]);
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  async list(query: ListQuery): Promise<JobRecord[]> {
    const { rows } = await this.#sql.query<JobRow>(
      `SELECT ${JOB_COLUMNS} FROM csr_deletion_jobs
       WHERE ($1::text IS NULL OR caller = $1)
         AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
       ORDER BY created_at DESC, id DESC
       LIMIT $5`,
      [query.caller ?? null, query.status ?? null, query.after?.createdAt.toISOString() ?? null, query.after?.id ?? null, query.limit],
    );
    return rows.map(jobOf);
  }

  async results(jobId: string, query: ResultsQuery): Promise<JobItem[]> {
    const { rows } = await this.#sql.query<ItemRow>(
      `SELECT csr_id, state, code, confirmed_by, request_ids, settled_at FROM csr_deletion_job_items
       WHERE job = $1 AND csr_id > $2 AND ($3::text IS NULL OR state = $3)
       ORDER BY csr_id
       LIMIT $4`,
      [jobId, query.afterCsrId ?? 0, query.outcome ?? null, query.limit],
    );
    return rows.map((row) => ({
      csrId: Number(row.csr_id),
      state: row.state,
      code: row.code,
      confirmedBy: row.confirmed_by,
      requestIds: row.request_ids,
      settledAt: row.settled_at,
    }));
  }

  /**
   * Cancels a job that has not finished: every PENDING item becomes FAILED (`Gateway.Cancelled`) in
   * this transaction, so no ID that was not yet marked SENDING is ever sent (a claim racing with it
   * either took the item first — it is then in flight and settles honestly — or finds it FAILED). A
   * job with nothing in flight is CANCELLED at once; otherwise its holder finishes it as CANCELLED
   * once its submissions are answered. Resolves with the job as it now is (undefined: no such job).
   */
  async cancel(id: string): Promise<JobRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return this.#sql.transaction(async (sql) => {
      const locked = await sql.query<JobRow>(
        `UPDATE csr_deletion_jobs SET cancel_requested = true
         WHERE id = $1 AND status IN ('QUEUED', 'RUNNING') RETURNING ${JOB_COLUMNS}`,
        [id],
      );
      if (!locked.rows[0]) {
        const { rows } = await sql.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM csr_deletion_jobs WHERE id = $1`, [id]);
        return rows[0] ? jobOf(rows[0]) : undefined;
      }
      const cancelled = await sql.query(
        `UPDATE csr_deletion_job_items SET state = 'FAILED', code = $2, settled_at = now()
         WHERE job = $1 AND state = 'PENDING'`,
        [id, CANCELLED_CODE],
      );
      const { rows } = await sql.query<JobRow>(
        `UPDATE csr_deletion_jobs SET failed = failed + $2,
           status = CASE WHEN EXISTS (SELECT 1 FROM csr_deletion_job_items WHERE job = $1 AND state = 'SENDING')
                         THEN status ELSE 'CANCELLED' END,
           finished_at = CASE WHEN EXISTS (SELECT 1 FROM csr_deletion_job_items WHERE job = $1 AND state = 'SENDING')
                              THEN NULL ELSE now() END,
           lease_owner = CASE WHEN EXISTS (SELECT 1 FROM csr_deletion_job_items WHERE job = $1 AND state = 'SENDING')
                              THEN lease_owner ELSE NULL END,
           lease_until = CASE WHEN EXISTS (SELECT 1 FROM csr_deletion_job_items WHERE job = $1 AND state = 'SENDING')
                              THEN lease_until ELSE NULL END
         WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
        [id, cancelled.rowCount],
      );
      await notify(sql, id);
      return rows[0] ? jobOf(rows[0]) : undefined;
    });
  }

  /**
   * Takes the oldest unfinished job nobody holds (never held, released, or whose holder's lease ran
   * out) for `owner`, for `leaseMs`. Items a previous holder had marked SENDING may have been sent:
   * they become UNKNOWN here, in the same transaction, and are never sent again — unless the taker
   * can check them (`keepInDoubt`): then they stay SENDING, now in the taker's name, for it to find
   * (`inDoubt`) and settle after a check (runner.ts): gone DELETED, still there back to PENDING.
   */
  async acquire(owner: string, leaseMs: number, { keepInDoubt = false }: { keepInDoubt?: boolean } = {}): Promise<JobRecord | undefined> {
    return this.#sql.transaction(async (sql) => {
      const { rows } = await sql.query<JobRow>(
        `UPDATE csr_deletion_jobs AS j
         SET status = 'RUNNING', lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond',
             started_at = coalesce(j.started_at, now()), holders = j.holders + 1
         FROM (SELECT id FROM csr_deletion_jobs
               WHERE status IN ('QUEUED', 'RUNNING') AND (lease_until IS NULL OR lease_until < now())
                 -- Never its own job back: a holder whose renewal ran late still holds it (renewing
                 -- checks only the owner), and taking it again would make its own in-flight items UNKNOWN.
                 AND lease_owner IS DISTINCT FROM $1
               ORDER BY created_at, id
               LIMIT 1
               FOR UPDATE SKIP LOCKED) AS candidate
         WHERE j.id = candidate.id
         RETURNING ${JOB_COLUMNS.split(',').map((column) => `j.${column.trim()}`).join(', ')}`,
        [owner, leaseMs],
      );
      const row = rows[0];
      if (!row) return undefined;
      if (keepInDoubt) {
        await notify(sql, row.id);
        return jobOf(row);
      }
      const ambiguous = await sql.query(
        `UPDATE csr_deletion_job_items SET state = 'UNKNOWN', settled_at = now() WHERE job = $1 AND state = 'SENDING'`,
        [row.id],
      );
      let job = row;
      if (ambiguous.rowCount > 0) {
        const updated = await sql.query<JobRow>(
          `UPDATE csr_deletion_jobs SET unknown = unknown + $2 WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
          [row.id, ambiguous.rowCount],
        );
        job = updated.rows[0] ?? row;
      }
      await notify(sql, row.id);
      return jobOf(job);
    });
  }

  /** The items of `owner`'s job marked SENDING (after a takeover with `keepInDoubt`: the ones in doubt), lowest first. */
  async inDoubt(jobId: string, owner: string): Promise<number[] | typeof LOST> {
    const held = await this.#sql.query(`SELECT 1 FROM csr_deletion_jobs WHERE id = $1 AND lease_owner = $2`, [jobId, owner]);
    if (held.rowCount === 0) return LOST;
    const { rows } = await this.#sql.query<{ csr_id: string | number | bigint }>(
      `SELECT csr_id FROM csr_deletion_job_items WHERE job = $1 AND state = 'SENDING' ORDER BY csr_id`,
      [jobId],
    );
    return rows.map((row) => Number(row.csr_id));
  }

  /** Extends `owner`'s lease; LOST when the job is no longer its to run (taken over, cancelled, finished). */
  async renew(jobId: string, owner: string, leaseMs: number): Promise<{ cancelRequested: boolean } | typeof LOST> {
    const { rows } = await this.#sql.query<{ cancel_requested: boolean }>(
      `UPDATE csr_deletion_jobs SET lease_until = now() + $3 * interval '1 millisecond'
       WHERE id = $1 AND lease_owner = $2 AND status = 'RUNNING'
       RETURNING cancel_requested`,
      [jobId, owner, leaseMs],
    );
    return rows[0] ? { cancelRequested: rows[0].cancel_requested } : LOST;
  }

  /**
   * Marks up to `limit` PENDING items SENDING, lowest IDs first, and resolves with their IDs — durably,
   * before the submission that may send them — while `owner` holds the job, its lease has not run
   * out and it is not being cancelled; LOST otherwise.
   */
  async claim(jobId: string, owner: string, limit: number): Promise<number[] | typeof LOST> {
    return this.#sql.transaction(async (sql) => {
      const held = await sql.query(
        `SELECT 1 FROM csr_deletion_jobs
         WHERE id = $1 AND lease_owner = $2 AND lease_until > now() AND status = 'RUNNING' AND NOT cancel_requested`,
        [jobId, owner],
      );
      if (held.rowCount === 0) return LOST;
      const { rows } = await sql.query<{ csr_id: string | number | bigint }>(
        `UPDATE csr_deletion_job_items SET state = 'SENDING'
         WHERE job = $1 AND csr_id IN (
           SELECT csr_id FROM csr_deletion_job_items WHERE job = $1 AND state = 'PENDING'
           ORDER BY csr_id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING csr_id`,
        [jobId, limit],
      );
      return rows.map((row) => Number(row.csr_id)).sort((a, b) => a - b);
    });
  }

  /**
   * Writes the outcomes of a submission's items, and puts back to PENDING those it surely did not
   * send (`requeue`), while `owner` still holds the job; LOST (nothing written) otherwise — then the
   * new holder has already made those items UNKNOWN.
   */
  async settle(jobId: string, owner: string, settlements: readonly ItemSettlement[], requeue: readonly number[]): Promise<void | typeof LOST> {
    return this.#sql.transaction(async (sql) => {
      const held = await sql.query(`SELECT 1 FROM csr_deletion_jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE`, [jobId, owner]);
      if (held.rowCount === 0) return LOST;
      if (settlements.length > 0) {
        const batch = settlements.map((settlement) => ({
          csr_id: settlement.csrId,
          state: settlement.outcome,
          code: settlement.code ?? null,
          confirmed_by: settlement.confirmedBy ?? null,
          request_ids: settlement.requestIds,
        }));
        const { rows } = await sql.query<{ state: ItemOutcome; n: string | number }>(
          `WITH updated AS (
             UPDATE csr_deletion_job_items AS i
             SET state = s.state, code = s.code, confirmed_by = s.confirmed_by, request_ids = s.request_ids, settled_at = now()
             FROM jsonb_to_recordset($2::jsonb) AS s(csr_id bigint, state text, code text, confirmed_by text, request_ids text[])
             WHERE i.job = $1 AND i.csr_id = s.csr_id AND i.state = 'SENDING'
             RETURNING i.state)
           SELECT state, count(*) AS n FROM updated GROUP BY state`,
          [jobId, JSON.stringify(batch)],
        );
        const add = Object.fromEntries(rows.map((row) => [COUNTER[row.state], Number(row.n)]));
        await sql.query(
          `UPDATE csr_deletion_jobs SET deleted = deleted + $2, not_deleted = not_deleted + $3, unknown = unknown + $4, failed = failed + $5
           WHERE id = $1`,
          [jobId, add['deleted'] ?? 0, add['not_deleted'] ?? 0, add['unknown'] ?? 0, add['failed'] ?? 0],
        );
      }
      if (requeue.length > 0) {
        await sql.query(
          `UPDATE csr_deletion_job_items SET state = 'PENDING' WHERE job = $1 AND csr_id = ANY($2::bigint[]) AND state = 'SENDING'`,
          [jobId, requeue],
        );
      }
      await notify(sql, jobId);
      return undefined;
    });
  }

  /**
   * Finishes `owner`'s job if nothing of it is left (no PENDING or SENDING item): COMPLETED, or
   * CANCELLED if cancelling was asked. Resolves with the job when it finished, undefined when items
   * are left, LOST when the job is not `owner`'s any more.
   */
  async finish(jobId: string, owner: string): Promise<JobRecord | undefined | typeof LOST> {
    return this.#sql.transaction(async (sql) => {
      const held = await sql.query(`SELECT 1 FROM csr_deletion_jobs WHERE id = $1 AND lease_owner = $2 FOR UPDATE`, [jobId, owner]);
      if (held.rowCount === 0) return LOST;
      const left = await sql.query(
        `SELECT 1 FROM csr_deletion_job_items WHERE job = $1 AND state IN ('PENDING', 'SENDING') LIMIT 1`,
        [jobId],
      );
      if (left.rowCount > 0) return undefined;
      const { rows } = await sql.query<JobRow>(
        `UPDATE csr_deletion_jobs
         SET status = CASE WHEN cancel_requested THEN 'CANCELLED' ELSE 'COMPLETED' END,
             finished_at = now(), lease_owner = NULL, lease_until = NULL
         WHERE id = $1 RETURNING ${JOB_COLUMNS}`,
        [jobId],
      );
      await notify(sql, jobId);
      return rows[0] ? jobOf(rows[0]) : undefined;
    });
  }

  /** Gives a job back (a graceful stop, with nothing in flight): another replica may take it at once. */
  async release(jobId: string, owner: string): Promise<void> {
    await this.#sql.query(
      `UPDATE csr_deletion_jobs SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`,
      [jobId, owner],
    );
  }

  /**
   * Deletes the finished jobs (COMPLETED or CANCELLED) that finished before `before`, with their items
   * (the foreign key cascades), a few jobs a statement so that one statement never holds up the
   * runners for long: a job may carry a million items. Unfinished jobs are never touched, however old.
   * Resolves with the number of jobs deleted. Their idempotency keys are free again afterwards.
   */
  async prune(before: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const { rowCount } = await this.#sql.query(
        `DELETE FROM csr_deletion_jobs WHERE id IN (
           SELECT id FROM csr_deletion_jobs
           WHERE status IN ('COMPLETED', 'CANCELLED') AND finished_at < $1
           ORDER BY finished_at LIMIT ${PRUNE_SLICE})`,
        [before.toISOString()],
      );
      removed += rowCount;
      if (rowCount < PRUNE_SLICE) return removed;
    }
  }

  /** Calls `listener` with the ID of every job changed by any replica sharing the database. */
  onChange(listener: (jobId: string) => void): Promise<() => Promise<void>> {
    return this.#sql.listen(JOB_CHANGES_CHANNEL, listener);
  }

  async ping(): Promise<void> {
    await this.#sql.query('SELECT 1');
  }

  close(): Promise<void> {
    return this.#sql.close();
  }
}

function notify(sql: Sql, jobId: string): Promise<unknown> {
  return sql.query('SELECT pg_notify($1, $2)', [JOB_CHANGES_CHANNEL, jobId]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
