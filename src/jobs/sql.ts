/**
 * The job store's one door to SQL, with two drivers behind it: node-postgres for `DATABASE_URL`
 * (every replica shares it), and PGlite for one process without it.
 *
 * Why PGlite for the embedded database (measured and weighed, 2026-12):
 *   - It is PostgreSQL 17 compiled to WASM, so the embedded store runs the *same SQL* as the shared
 *     one — `FOR UPDATE SKIP LOCKED`, `LISTEN/NOTIFY`, partial indexes, `unnest` — and there is one
 *     job-store implementation (store.ts), tested once against each driver, instead of two.
 *   - No native addon: better-sqlite3 12 would build against this machine's Node 20 headers only
 *     (npm's nodedir is /usr) and fail to load on the Node 24 that CI also runs; WASM loads on both.
 *     (`node:sqlite` needs Node 22.5+, and the gateway supports Node 20.)
 *   - Durability: it persists to a directory through PostgreSQL's own WAL; a statement's writes are
 *     in the OS's files when its promise resolves, so a SIGKILLed process loses nothing (the restart
 *     test kills one mid-job). It is not a defence against power loss as fsync'd PostgreSQL is:
 *     production with replicas uses DATABASE_URL anyway.
 *   - Cost: it runs on the event loop (one connection, queries serialised). Measured on the shared
 *     2-core machine under load 11: open 5 s (first start, initdb, 20 s), 100,000 items inserted in
 *     one statement 2.5-4 s, claiming 100 items a few ms with the (job, state, csr_id) index. So the
 *     store inserts a job's items in slices (store.ts) to keep the loop turning.
 *   - 0.5.17, not 0.6.1: the 0.6.1 package on npm lacks its `pglite.data` file and cannot start.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { lockDirectory } from './dir-lock.js';

export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

export interface SqlDriver extends Sql {
  /** Runs `work` in one transaction (READ COMMITTED), committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Calls `listener` with each NOTIFY payload on `channel`; resolves with a function that stops listening. */
  listen(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  readonly description: string;
}

const CONNECT_TIMEOUT_MS = 2_000;
const STATEMENT_TIMEOUT_MS = 15_000;

/** node-postgres over a pool; one dedicated connection for LISTEN, opened on first use. */
export class PostgresDriver implements SqlDriver {
  readonly description: string;
  readonly #pool: pg.Pool;
  readonly #url: string;
  #listener: Promise<pg.Client> | undefined;
  readonly #channels = new Map<string, Set<(payload: string) => void>>();

  constructor(url: string, onError: (error: Error) => void) {
    const parsed = new URL(url);
    this.description = `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
    this.#url = url;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 6,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: STATEMENT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      application_name: 'tencent-ssl-gateway-jobs',
    });
    // An idle connection the server drops must not crash the process; the next query gets a new one.
    this.#pool.on('error', onError);
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    const result = await this.#pool.query(text, [...params]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const sql: Sql = {
        query: async <Row>(text: string, params: readonly unknown[] = []) => {
          const result = await client.query(text, [...params]);
          return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
        },
      };
      const value = await work(sql);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>> {
    this.#listener ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      client.on('error', () => undefined);
      client.on('notification', (message) => {
        for (const each of this.#channels.get(message.channel) ?? []) each(message.payload ?? '');
      });
      await client.connect();
      return client;
    })();
    const client = await this.#listener;
    let listeners = this.#channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#channels.set(channel, listeners);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      return Promise.resolve();
    };
  }

  async close(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) await listener.then((client) => client.end()).catch(() => undefined);
    await this.#pool.end();
  }
}

/** PGlite in a directory (or in memory without one): one connection, so queries are serialised by PGlite. */
export class PGliteDriver implements SqlDriver {
  readonly description: string;
  readonly #db: PGlite;
  readonly #unlock: () => Promise<void>;

  private constructor(db: PGlite, description: string, unlock: () => Promise<void>) {
    this.#db = db;
    this.description = description;
    this.#unlock = unlock;
  }

  /** Opens (initialising if empty) the database in `dataDir`, which this process then holds alone (see dir-lock.ts); in memory without one. */
  static async open(dataDir: string | undefined): Promise<PGliteDriver> {
    // Imported here: its WASM is only loaded by a process that uses the embedded store.
    const { PGlite } = await import('@electric-sql/pglite');
    if (!dataDir) return new PGliteDriver(await PGlite.create(), 'embedded PostgreSQL (PGlite) in memory', () => Promise.resolve());
    const unlock = await lockDirectory(dataDir);
    try {
      return new PGliteDriver(await PGlite.create(dataDir), `embedded PostgreSQL (PGlite) in ${dataDir}`, unlock);
    } catch (error) {
      await unlock();
      throw error;
    }
  }

  async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    const result = await this.#db.query<Row>(text, [...params]);
    return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
  }

  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (tx: Transaction) =>
      work({
        query: async <Row>(text: string, params: readonly unknown[] = []) => {
          const result = await tx.query<Row>(text, [...params]);
          return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
        },
      }),
    );
  }

  async listen(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.#db.listen(channel, listener);
    return () => unlisten();
  }

  async close(): Promise<void> {
    try {
      await this.#db.close();
    } finally {
      await this.#unlock();
    }
  }
}
