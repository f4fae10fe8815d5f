/**
 * `/readiness` checks that the audit store can write, not only that it answers (issue 24): with the
 * audit table locked by another transaction, `SELECT 1` still works but every mutation would fail
 * closed, so readiness must say `auditStore: failing` — and go back to ok once the lock is gone. The
 * probe's row is rolled back: nothing is left in the trail.
 */
import pg from 'pg';
import { fetch } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresAuditStore } from '../../../src/audit/postgres-store.js';
import { createLogger } from '../../../src/logger.js';
import { startRig, type Rig } from '../../support/gateway.js';
import { freshDatabase, query, type TestDatabase } from './support/postgres.js';

let database: TestDatabase;
let rig: Rig;

beforeAll(async () => {
  database = await freshDatabase();
  rig = await startRig({ gateway: { auditStore: await PostgresAuditStore.open(database.url, createLogger('silent')) } });
});
afterAll(async () => {
  await rig?.close();
  await database?.drop();
});

async function readiness(): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  const response = await fetch(rig.url.replace(/\/graphql$/, '/readiness'));
  return { status: response.status, body: (await response.json()) as { checks: Record<string, string> } };
}

it('says not ready while the audit table cannot be written, ready again after, and leaves no probe row', async () => {
  expect(await readiness()).toMatchObject({ status: 200, body: { checks: { auditStore: 'ok' } } });

  const locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE csr_deletion_audit IN ACCESS EXCLUSIVE MODE');
    expect(await readiness()).toMatchObject({ status: 503, body: { checks: { auditStore: 'failing' } } });
    await locker.query('ROLLBACK');
  } finally {
    await locker.end();
  }

  expect(await readiness()).toMatchObject({ status: 200, body: { checks: { auditStore: 'ok' } } });
  expect(await query(database.url, 'SELECT * FROM csr_deletion_audit')).toEqual([]);
});
