/**
 * Group commit on a real PostgreSQL: batches that arrive while a statement runs go together in the
 * next statement (counted at node-postgres's Pool.query), every record lands, and a group that holds
 * a record PostgreSQL refuses is written again batch by batch, so only that batch's writer fails.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PostgresAuditStore } from '../../../src/audit/postgres-store.js';
import type { AuditIntent } from '../../../src/audit/types.js';
import { createLogger } from '../../../src/logger.js';
import { freshDatabase, type TestDatabase } from './support/postgres.js';

let database: TestDatabase;
let store: PostgresAuditStore;

beforeAll(async () => {
  database = await freshDatabase();
  store = await PostgresAuditStore.open(database.url, createLogger('silent'));
});
afterAll(async () => {
  await store.close();
  await database.drop();
});

const intent = (n: number, caller = 'alice'): AuditIntent => ({
  submission: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  csrIds: [n, n + 100_000],
  caller,
  at: new Date(),
});
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

it('60 batches that arrive while a statement runs go as one statement, and every record lands', async () => {
  const statements = vi.spyOn(pg.Pool.prototype, 'query');
  try {
    const first = store.recordIntents([intent(1)]);
    await turn(); // its statement has gone
    const rest = Array.from({ length: 59 }, (_, index) => store.recordIntents([intent(index + 2)]));
    await Promise.all([first, ...rest]);
    expect(statements.mock.calls).toHaveLength(2);
  } finally {
    statements.mockRestore();
  }
  await store.recordSettlements(
    Array.from({ length: 60 }, (_, index) => ({
      submission: intent(index + 1).submission,
      csrId: index + 1,
      outcome: 'DELETED' as const,
      requestIds: ['r'],
      at: new Date(),
    })),
  );
  for (const n of [1, 30, 60]) {
    expect(await store.records({ csrId: n, limit: 5 })).toMatchObject([{ outcome: 'DELETED', caller: 'alice' }]);
    expect(await store.records({ csrId: n + 100_000, limit: 5 })).toMatchObject([{ outcome: 'UNKNOWN', settledAt: null }]);
  }
});

it('a record PostgreSQL refuses (a NUL in the caller) fails only its own batch, though it was grouped with others', async () => {
  const first = store.recordIntents([intent(500)]);
  await turn();
  // These three queue behind the first statement and go as one group, which PostgreSQL refuses whole.
  const results = await Promise.all(
    [intent(501), intent(502, 'bad\u0000caller'), intent(503)].map((one) =>
      store.recordIntents([one]).then(
        () => 'ok',
        () => 'refused',
      ),
    ),
  );
  await first;
  expect(results).toEqual(['ok', 'refused', 'ok']);
  expect(await store.records({ csrId: 501, limit: 5 })).toHaveLength(1);
  expect(await store.records({ csrId: 503, limit: 5 })).toHaveLength(1);
  expect(await store.records({ csrId: 502, limit: 5 })).toHaveLength(0);
});
