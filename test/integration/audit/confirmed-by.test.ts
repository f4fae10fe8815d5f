/**
 * The audit's evidence field in both stores, written and read back through the store itself: a
 * deletion an existence check established (the call's answer was lost) reads `confirmedBy: CHECK`
 * with the check's RequestId; one an answer established reads null — in PostgreSQL (migration 3) as
 * in the journal. The engine's side of it (which settlements carry the check as evidence) is
 * test/unit/audit/audited-engine.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalAuditStore } from '../../../src/audit/journal-store.js';
import { PostgresAuditStore } from '../../../src/audit/postgres-store.js';
import type { AuditStore } from '../../../src/audit/types.js';
import { createLogger } from '../../../src/logger.js';
import { freshDatabase, type TestDatabase } from './support/postgres.js';

let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'audit-confirmed-'));
});
afterAll(async () => {
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(store: AuditStore): Promise<void> {
  const submission = '6f1c1bde-6a51-4c5e-9c55-0d3c1f7f2a10';
  const at = new Date();
  await store.recordIntents([{ submission, csrIds: [1, 2, 3], caller: 'alice', at }]);
  await store.recordSettlements([
    { submission, csrId: 1, outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: ['check-req'], at },
    { submission, csrId: 2, outcome: 'DELETED', requestIds: ['delete-req'], at },
  ]);
  const [checked] = await store.records({ csrId: 1, limit: 10 });
  const [answered] = await store.records({ csrId: 2, limit: 10 });
  const [pending] = await store.records({ csrId: 3, limit: 10 });
  expect(checked).toMatchObject({ outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: ['check-req'] });
  expect(answered).toMatchObject({ outcome: 'DELETED', confirmedBy: null, requestIds: ['delete-req'] });
  expect(pending).toMatchObject({ outcome: 'UNKNOWN', confirmedBy: null, settledAt: null });
}

describe('confirmedBy in the audit stores', () => {
  it('PostgreSQL', async () => {
    const store = await PostgresAuditStore.open(database.url, createLogger('silent'));
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  });

  it('the journal', async () => {
    const store = await JournalAuditStore.open(dir);
    try {
      await roundTrip(store);
    } finally {
      await store.close();
    }
  });
});
