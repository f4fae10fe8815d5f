/**
 * The job store's schema, as numbered migrations applied at start-up — the same SQL on PostgreSQL
 * (`DATABASE_URL`) and on the embedded PGlite (sql.ts says why one dialect serves both).
 *
 * Applied by the runner the audit trail's migrations share (src/migrations/runner.ts says its rules:
 * append only, each in the transaction that records it, under an advisory lock).
 */
import { applyMigrations, type Migration } from '../migrations/runner.js';
import type { SqlDriver } from './sql.js';

export const JOB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'csr_deletion_jobs',
    sql: `
      CREATE TABLE csr_deletion_jobs (
        id               uuid        PRIMARY KEY,
        caller           text        NOT NULL,
        trace_id         text,
        -- With the caller, identifies a start for replays (the Idempotency-Key); ids_digest says
        -- whether a replay asks for the same IDs.
        idempotency_key  text,
        ids_digest       text        NOT NULL,
        plan_id          text,
        status           text        NOT NULL DEFAULT 'QUEUED'
                         CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'CANCELLED')),
        total            integer     NOT NULL,
        deleted          integer     NOT NULL DEFAULT 0,
        not_deleted      integer     NOT NULL DEFAULT 0,
        unknown          integer     NOT NULL DEFAULT 0,
        failed           integer     NOT NULL DEFAULT 0,
        cancel_requested boolean     NOT NULL DEFAULT false,
        -- The replica holding the job, until lease_until (the database's clock, not the replicas').
        lease_owner      text,
        lease_until      timestamptz,
        holders          integer     NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        finished_at      timestamptz
      );
      CREATE UNIQUE INDEX csr_deletion_jobs_idempotency ON csr_deletion_jobs (caller, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      -- What runners poll: the unfinished jobs, oldest first.
      CREATE INDEX csr_deletion_jobs_unfinished ON csr_deletion_jobs (created_at, id)
        WHERE status IN ('QUEUED', 'RUNNING');
      -- csrDeletionJobs: newest first, a caller's own or everyone's.
      CREATE INDEX csr_deletion_jobs_by_caller ON csr_deletion_jobs (caller, created_at DESC, id DESC);
      CREATE INDEX csr_deletion_jobs_by_age ON csr_deletion_jobs (created_at DESC, id DESC);

      -- One row per job and CSR ID. PENDING → SENDING (durably, before the submission that may send
      -- it) → DELETED | NOT_DELETED | UNKNOWN | FAILED; SENDING → PENDING only for a submission that
      -- surely sent nothing for it (the engine's "nothing was sent" codes).
      CREATE TABLE csr_deletion_job_items (
        job         uuid        NOT NULL REFERENCES csr_deletion_jobs (id) ON DELETE CASCADE,
        csr_id      bigint      NOT NULL,
        state       text        NOT NULL DEFAULT 'PENDING'
                    CHECK (state IN ('PENDING', 'SENDING', 'DELETED', 'NOT_DELETED', 'UNKNOWN', 'FAILED')),
        code        text,
        request_ids text[]      NOT NULL DEFAULT '{}',
        settled_at  timestamptz,
        PRIMARY KEY (job, csr_id)
      );
      -- Claiming the next PENDING items in order, finding SENDING ones after a takeover, and the
      -- results filtered by outcome.
      CREATE INDEX csr_deletion_job_items_by_state ON csr_deletion_job_items (job, state, csr_id);
    `,
  },
  {
    version: 2,
    name: 'csr_deletion_plans',
    sql: `
      -- Dry runs (planCSRDeletion): what a deletion would do, kept so that any replica can start a
      -- job from a plan another made. The lists are arrays: a plan is written once, read whole, never
      -- updated, and deleted an hour after it expires (plan-store.ts).
      CREATE TABLE csr_deletion_plans (
        id                uuid             PRIMARY KEY,
        caller            text             NOT NULL,
        domain            text,
        existing_ids      bigint[]         NOT NULL,
        missing_ids       bigint[]         NOT NULL,
        invalid_ids       bigint[]         NOT NULL,
        request_ids       text[]           NOT NULL DEFAULT '{}',
        estimated_calls   integer          NOT NULL,
        estimated_seconds double precision NOT NULL,
        -- The planning replica's clock (planner.ts says why not the database's).
        created_at        timestamptz      NOT NULL,
        expires_at        timestamptz      NOT NULL
      );
      -- The sweep of expired plans, oldest first.
      CREATE INDEX csr_deletion_plans_by_expiry ON csr_deletion_plans (expires_at);
      -- A plan starts one job: a second start of it (a retry, another replica) finds that job.
      CREATE UNIQUE INDEX csr_deletion_jobs_plan ON csr_deletion_jobs (caller, plan_id) WHERE plan_id IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'csr_deletion_job_items_confirmed_by',
    sql: `
      -- CHECK: the outcome was established by an existence check (a lost answer's, or a takeover's of
      -- an item left SENDING), not by an answer; as the audit's confirmed_by.
      ALTER TABLE csr_deletion_job_items ADD COLUMN confirmed_by text CHECK (confirmed_by IN ('CHECK'));
    `,
  },
];

/** Any constant that nothing else in the database uses as an advisory lock ("CSRJ"). */
const MIGRATION_LOCK = 0x43_53_52_4a;

export function migrateJobs(driver: SqlDriver, migrations: readonly Migration[] = JOB_MIGRATIONS): Promise<number[]> {
  return driver.transaction((sql) => applyMigrations(sql, { table: 'csr_deletion_jobs_migrations', lock: MIGRATION_LOCK, migrations }));
}
