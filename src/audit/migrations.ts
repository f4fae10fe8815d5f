/**
 * The audit trail's PostgreSQL schema, as numbered migrations applied at start-up.
 *
 * Applied by the runner the job database's migrations share (src/migrations/runner.ts says its
 * rules: append only, each in the transaction that records it, under an advisory lock, so replicas
 * starting together apply each migration once and a failed one leaves nothing half done).
 */
import type { PoolClient } from 'pg';
import { applyMigrations, type Migration } from '../migrations/runner.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'csr_deletion_audit',
    sql: `
      -- One row per mutation (engine submission) and CSR ID. The row is written before the first
      -- upstream call that may carry the ID (outcome UNKNOWN, settled_at NULL), and settled after.
      CREATE TABLE csr_deletion_audit (
        submission   uuid        NOT NULL,
        csr_id       bigint      NOT NULL,
        caller       text        NOT NULL,
        trace_id     text,
        requested_at timestamptz NOT NULL,
        outcome      text        NOT NULL DEFAULT 'UNKNOWN'
                     CHECK (outcome IN ('DELETED', 'NOT_DELETED', 'UNKNOWN', 'FAILED')),
        code         text,
        request_ids  text[]      NOT NULL DEFAULT '{}',
        settled_at   timestamptz,
        PRIMARY KEY (submission, csr_id)
      );
      -- csrDeletionAudit(csrId): newest first, with the cursor's (requested_at, submission) order.
      CREATE INDEX csr_deletion_audit_by_csr ON csr_deletion_audit (csr_id, requested_at DESC, submission DESC);
      -- Retention deletes by age.
      CREATE INDEX csr_deletion_audit_by_age ON csr_deletion_audit (requested_at);
    `,
  },
  {
    version: 2,
    name: 'csr_deletion_audit_caller_auth',
    sql: `
      -- jwt, key or anonymous: a JWT sub and an API key name can be the same text. NULL in rows
      -- written before (their kind was not kept).
      ALTER TABLE csr_deletion_audit ADD COLUMN caller_auth text CHECK (caller_auth IN ('jwt', 'key', 'anonymous'));
    `,
  },
  {
    version: 3,
    name: 'csr_deletion_audit_confirmed_by',
    sql: `
      -- CHECK: the call that carried the ID lost its answer and an existence check found the CSR
      -- gone (src/engine/existence.ts). NULL: an answer settled it, or nothing has yet.
      ALTER TABLE csr_deletion_audit ADD COLUMN confirmed_by text CHECK (confirmed_by IN ('CHECK'));
    `,
  },
  {
    version: 4,
    name: 'csr_deletion_audit_cheaper_writes',
    sql: `
      -- Every row is written twice: its intent (INSERT) and its settlement (UPDATE of columns no index
      -- holds). With room left on each page the UPDATE is HOT: the new version stays on the page and
      -- no index gets a new entry (in a probe of 300 groups of 20 rows: 56 % of the settlements at the
      -- default fill factor, all of them at 70, for a table 15 % larger).
      ALTER TABLE csr_deletion_audit SET (fillfactor = 70);
      -- Retention deletes by age, and rows arrive in age order: a BRIN index (a summary per block
      -- range) finds them as well as a B-tree did, at almost no cost per insert; autovacuum summarizes
      -- each filled range (until then a range is simply read).
      DROP INDEX csr_deletion_audit_by_age;
      CREATE INDEX csr_deletion_audit_by_age ON csr_deletion_audit USING brin (requested_at) WITH (autosummarize = on);
    `,
  },
];

/** Any constant will do, as long as nothing else in the database takes the same advisory lock. */
const MIGRATION_LOCK = 0x43_53_52_41; // "CSRA"

/** Applies the migrations `client`'s database does not have yet; resolves with their versions. */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    const applied = await applyMigrations(client, { table: 'csr_deletion_audit_migrations', lock: MIGRATION_LOCK, migrations });
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
