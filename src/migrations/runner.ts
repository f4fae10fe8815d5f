/**
 * Numbered migrations applied at start-up, for each of the gateway's two schemas: the job database's
 * (src/jobs/migrations.ts, on PostgreSQL or the embedded PGlite) and the audit trail's
 * (src/audit/migrations.ts, on PostgreSQL). One runner, so both keep the same rules:
 *   - Append only: a migration, once released, is never edited; a change is a new entry.
 *   - Each runs in the transaction that records it, under a transaction-scoped advisory lock, so
 *     replicas starting together apply each migration once, and a failed one leaves nothing half done.
 *
 * Hand-written (a dozen lines) rather than a migration tool's: the tools bring their own CLI,
 * configuration and lock table for what is here one ordered list of SQL strings per schema.
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** One schema's migrations, the table that records which are applied, and the lock replicas take. */
export interface MigrationSet {
  /** A constant of the caller's (never input): it is written into the SQL as it is. */
  readonly table: string;
  /** Any constant that nothing else in the database takes as an advisory lock. */
  readonly lock: number;
  readonly migrations: readonly Migration[];
}

/** What the runner needs of a connection in a transaction: node-postgres's client and the job store's `Sql` both give it. */
export interface MigrationSql {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/**
 * Applies the migrations of `set` that the database does not have yet; resolves with their versions.
 * `sql` must be in a transaction, which the caller commits (or rolls back on a throw): the lock and
 * the migrations are its.
 */
export async function applyMigrations(sql: MigrationSql, { table, lock, migrations }: MigrationSet): Promise<number[]> {
  await sql.query('SELECT pg_advisory_xact_lock($1)', [lock]);
  await sql.query(`
    CREATE TABLE IF NOT EXISTS ${table} (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  const { rows } = await sql.query<{ version: number }>(`SELECT version FROM ${table}`);
  const applied = new Set(rows.map((row) => Number(row.version)));
  const pending = migrations.filter((migration) => !applied.has(migration.version));
  for (const migration of pending) {
    for (const statement of splitStatements(migration.sql)) await sql.query(statement);
    await sql.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
  }
  return pending.map((migration) => migration.version);
}

/**
 * A migration's statements, one each: an extended-protocol query (PGlite's, or any with parameters)
 * takes one statement. Comments aside, the migrations hold no `;` inside a statement.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
}
