/**
 * The audit trail in PostgreSQL (`AUDIT_DATABASE_URL`), through node-postgres: what production uses,
 * shared by every replica.
 *
 * Every write is one statement, one round trip, however many callers and IDs the batch holds: the
 * batch goes as one JSON parameter that PostgreSQL unpacks (`jsonb_to_recordset`), so neither the
 * statement's text nor its parameter count grows with the batch. And writes are group commits
 * (group-commit.ts), one statement of each kind at a time: the batches that arrive while one runs go
 * together in the next, so under load a statement (and its commit's WAL flush) carries many turns'
 * callers instead of each turn paying its own.
 *
 * Both statements are named (prepared once per connection: PostgreSQL, on the same machine's cores
 * in the bench, then parses and plans them once rather than per group). Settlements commit with
 * `synchronous_commit` off, on a connection of their own: the caller's answer never waited for them,
 * and PostgreSQL's WAL writer flushes them within a fraction of a second instead of each commit
 * waiting for its own flush — a crash of the database in between loses the settlement and leaves the
 * records reading `UNKNOWN`, exactly what a crash between the answer and the settlement leaves anyway
 * (docs/contract.md §2, the audit trail). Intents keep the synchronous commit: one is durable before
 * anything it names is sent.
 *
 * A database that does not answer must not hold mutations for long (their intent write is on their
 * way to Tencent): connecting gives up after 2 s and a statement after 5 s, and the trail then fails
 * the mutation closed.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';
import { GroupCommit } from './group-commit.js';
import { migrate } from './migrations.js';
import type {
  AuditConfirmation,
  AuditIntent,
  AuditOutcome,
  CallerAuth,
  AuditQuery,
  AuditRecord,
  AuditSettlement,
  AuditStore,
} from './types.js';

const CONNECT_TIMEOUT_MS = 2_000;
const STATEMENT_TIMEOUT_MS = 5_000;
/** How long readiness's probe write waits for a lock on the table before calling the store not ready. */
const PROBE_LOCK_TIMEOUT_MS = 1_000;
/**
 * At most one intent statement (and its commit's WAL flush) per this many ms under load
 * (group-commit.ts, spacing): PostgreSQL shares the gateway's machine in the bench, and a statement
 * per 0.5 ms of commit latency carried only a few mutations. A mutation's intent may wait this much
 * longer; one alone does not.
 */
export const INTENT_SPACING_MS = 2;
/**
 * Settlements, with no one waiting on them but a read in this process (trail.ts), go at most once
 * per this many ms: their asynchronous commits returned so fast that each statement carried one or
 * two mutations' rows.
 */
export const SETTLEMENT_SPACING_MS = 10;
/** Retention deletes in slices, so that no single statement holds many row locks for long. */
const PRUNE_SLICE = 10_000;

interface Row {
  submission: string;
  csr_id: string;
  caller: string;
  caller_auth: CallerAuth | null;
  outcome: AuditOutcome;
  code: string | null;
  confirmed_by: AuditConfirmation | null;
  request_ids: string[];
  trace_id: string | null;
  requested_at: Date;
  settled_at: Date | null;
}

export class PostgresAuditStore implements AuditStore {
  readonly description: string;
  readonly #pool: pg.Pool;
  /** The settlements' connection: `synchronous_commit` off (see the top of the file). */
  readonly #settling: pg.Pool;
  readonly #intents = new GroupCommit<AuditIntent>((intents) => this.#insertIntents(intents), { spacingMs: INTENT_SPACING_MS });
  readonly #settlements = new GroupCommit<AuditSettlement>((settlements) => this.#updateSettlements(settlements), {
    spacingMs: SETTLEMENT_SPACING_MS,
  });

  private constructor(pool: pg.Pool, settling: pg.Pool, description: string) {
    this.#pool = pool;
    this.#settling = settling;
    this.description = description;
  }

  /** Connects, applies the migrations this database lacks, and logs which it applied. */
  static async open(databaseUrl: string, logger: Logger): Promise<PostgresAuditStore> {
    const url = new URL(databaseUrl);
    const description = `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
    const poolOf = (options: pg.PoolConfig): pg.Pool => {
      const pool = new pg.Pool({
        connectionString: databaseUrl,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        query_timeout: STATEMENT_TIMEOUT_MS,
        statement_timeout: STATEMENT_TIMEOUT_MS,
        application_name: 'tencent-ssl-gateway',
        ...options,
      });
      // An idle connection the server drops (a restart, a failover) is reported here; without a
      // listener node-postgres would crash the process. The next write gets a fresh connection.
      pool.on('error', (error) => logger.warn({ err: error.message, store: description }, 'audit store connection lost'));
      return pool;
    };
    const pool = poolOf({ max: 4 });
    // One statement at a time (group commit): one connection.
    const settling = poolOf({ max: 1, options: '-c synchronous_commit=off' });
    try {
      const client = await pool.connect();
      try {
        const applied = await migrate(client);
        if (applied.length > 0) logger.info({ store: description, migrations: applied }, 'audit store migrated');
      } finally {
        client.release();
      }
    } catch (error) {
      await Promise.all([pool.end().catch(() => undefined), settling.end().catch(() => undefined)]);
      throw error;
    }
    return new PostgresAuditStore(pool, settling, description);
  }

  recordIntents(intents: readonly AuditIntent[]): Promise<void> {
    return this.#intents.add(intents);
  }

  recordSettlements(settlements: readonly AuditSettlement[]): Promise<void> {
    return this.#settlements.add(settlements);
  }

  async #insertIntents(intents: readonly AuditIntent[]): Promise<void> {
    const batch = intents.map((intent) => ({
      submission: intent.submission,
      csr_ids: intent.csrIds,
      caller: intent.caller,
      caller_auth: intent.callerAuth ?? null,
      trace_id: intent.traceId ?? null,
      requested_at: intent.at.toISOString(),
    }));
    await this.#pool.query({
      name: 'audit-intents',
      text: `INSERT INTO csr_deletion_audit (submission, csr_id, caller, caller_auth, trace_id, requested_at)
       SELECT i.submission, c.csr_id, i.caller, i.caller_auth, i.trace_id, i.requested_at
       FROM jsonb_to_recordset($1::jsonb)
         AS i(submission uuid, csr_ids bigint[], caller text, caller_auth text, trace_id text, requested_at timestamptz)
       CROSS JOIN LATERAL unnest(i.csr_ids) AS c(csr_id)`,
      values: [JSON.stringify(batch)],
    });
  }

  async #updateSettlements(settlements: readonly AuditSettlement[]): Promise<void> {
    const batch = settlements.map((settlement) => ({
      submission: settlement.submission,
      csr_id: settlement.csrId,
      outcome: settlement.outcome,
      code: settlement.code ?? null,
      confirmed_by: settlement.confirmedBy ?? null,
      request_ids: settlement.requestIds,
      settled_at: settlement.at.toISOString(),
    }));
    await this.#settling.query({
      name: 'audit-settlements',
      text: `UPDATE csr_deletion_audit AS a
       SET outcome = s.outcome, code = s.code, confirmed_by = s.confirmed_by, request_ids = s.request_ids, settled_at = s.settled_at
       FROM jsonb_to_recordset($1::jsonb)
         AS s(submission uuid, csr_id bigint, outcome text, code text, confirmed_by text, request_ids text[], settled_at timestamptz)
       WHERE a.submission = s.submission AND a.csr_id = s.csr_id`,
      values: [JSON.stringify(batch)],
    });
  }

  async records(query: AuditQuery): Promise<AuditRecord[]> {
    const { rows } = await this.#pool.query<Row>(
      `SELECT submission, csr_id, caller, caller_auth, outcome, code, confirmed_by, request_ids, trace_id, requested_at, settled_at
       FROM csr_deletion_audit
       WHERE csr_id = $1
         AND ($2::text IS NULL OR caller = $2)
         AND ($3::timestamptz IS NULL OR requested_at >= $3)
         AND ($4::timestamptz IS NULL OR requested_at < $4)
         AND ($5::timestamptz IS NULL OR (requested_at, submission) < ($5, $6::uuid))
       ORDER BY requested_at DESC, submission DESC
       LIMIT $7`,
      [
        query.csrId,
        query.caller ?? null,
        query.since?.toISOString() ?? null,
        query.until?.toISOString() ?? null,
        query.after?.at.toISOString() ?? null,
        query.after?.submission ?? null,
        query.limit,
      ],
    );
    return rows.map((row) => ({
      submission: row.submission,
      csrId: Number(row.csr_id),
      caller: row.caller,
      callerAuth: row.caller_auth,
      outcome: row.outcome,
      code: row.code,
      confirmedBy: row.confirmed_by,
      requestIds: row.request_ids,
      traceId: row.trace_id,
      at: row.requested_at,
      settledAt: row.settled_at,
    }));
  }

  async prune(before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const { rowCount } = await this.#pool.query(
        `DELETE FROM csr_deletion_audit AS a
         USING (SELECT submission, csr_id FROM csr_deletion_audit WHERE requested_at < $1 LIMIT $2) AS old
         WHERE a.submission = old.submission AND a.csr_id = old.csr_id`,
        [before.toISOString(), PRUNE_SLICE],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < PRUNE_SLICE) return total;
    }
  }

  /**
   * Readiness: whether a record could be written now, not only whether the server answers — a table
   * locked by a migration or a long transaction, or privileges revoked, leave `SELECT 1` working and
   * every mutation failing closed. So: one INSERT of a probe row in a transaction that is rolled back
   * (nothing is kept), waiting at most a second for a lock.
   */
  async ping(): Promise<void> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${PROBE_LOCK_TIMEOUT_MS}ms'`);
      await client.query(
        `INSERT INTO csr_deletion_audit (submission, csr_id, caller, requested_at) VALUES (gen_random_uuid(), 0, 'readiness-probe', now())`,
      );
    } finally {
      await client.query('ROLLBACK').catch((error: unknown) => {
        broken = error instanceof Error ? error : new Error(String(error));
      });
      // A connection that could not roll back is dropped, not handed to the next write.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#settling.end()]);
  }
}
