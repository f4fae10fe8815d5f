/**
 * A fresh database per test file on the machine's PostgreSQL (127.0.0.1:5432, trust auth, as on the
 * development and CI machines; `TEST_POSTGRES_URL` to point elsewhere), dropped afterwards, so runs
 * never see each other's records.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const SERVER_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string;
  /** Drops it, cutting any connection still open (as a database that vanished would). */
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `audit_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Runs one statement against the database the tests' databases live next to. */
export async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function admin(statement: string): Promise<void> {
  await query(SERVER_URL, statement);
}
