/**
 * The audit trail's PostgreSQL schema, as numbered migrations applied at start-up.
 *
 * Append only: a migration, once released, is never edited; a change is a new entry. Each runs in
 * the same transaction as the row that records it, under an advisory lock, so replicas starting
 * together apply each migration once and a failed one leaves nothing half done.
 *
 * Hand-written (a dozen lines) rather than a migration tool's: the tools bring their own CLI,
 * configuration and lock table for what is here one ordered list of SQL strings.
 */
import type { PoolClient } from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

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
];

/** Any constant will do, as long as nothing else in the database takes the same advisory lock. */
const MIGRATION_LOCK = 0x43_53_52_41; // "CSRA"

/** Applies the migrations `client`'s database does not have yet; resolves with their versions. */
export async function migrate(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS csr_deletion_audit_migrations (
        version    integer     PRIMARY KEY,
        name       text        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM csr_deletion_audit_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const pending = migrations.filter((migration) => !applied.has(migration.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO csr_deletion_audit_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.version);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
