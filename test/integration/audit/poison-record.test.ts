/**
 * One caller can never fail another's deletions through the audit trail, with real PostgreSQL: 40
 * concurrent mutations, one of them by a caller whose name PostgreSQL cannot store (U+0000 — the HTTP
 * edge refuses such a `sub` at the door, so the caller is put in the server context here, as the edge
 * would, to reach the store). The trail writes every intent of a turn in one INSERT, which PostgreSQL
 * rejects whole; the 39 others must still be recorded and deleted, the poisoned one refused alone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresAuditStore } from '../../../src/audit/postgres-store.js';
import { createLogger } from '../../../src/logger.js';
import { RESULT_FIELDS, startRig, type Rig } from '../../support/gateway.js';
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

interface Answer {
  data?: { batchDeleteCSRs: { __typename: string; code?: string; deletedIds?: number[] } };
}

async function deleteAs(caller: string, id: number): Promise<Answer> {
  const response = await rig.gateway.yoga.fetch(
    'http://gateway/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: `mutation($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { ${RESULT_FIELDS} } }`, variables: { ids: [id] } }),
    },
    { caller: { id: caller, kind: 'jwt', scopes: new Set(['csr:delete']) } },
  );
  return (await response.json()) as Answer;
}

it('a poison record fails only its own mutation: the other 39 of the same turn delete and are recorded', async () => {
  const POISONED = 20;
  const answers = await Promise.all(Array.from({ length: 40 }, (_, n) => deleteAs(n === POISONED ? 'evil\u0000caller' : `caller-${n}`, 1_000 + n)));
  answers.forEach((answer, n) => {
    if (n === POISONED) expect(answer.data?.batchDeleteCSRs).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'Gateway.AuditUnavailable' });
    else expect(answer.data?.batchDeleteCSRs, `mutation ${n}`).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [1_000 + n] });
  });
  const rows = await query<{ caller: string }>(database.url, 'SELECT caller FROM csr_deletion_audit ORDER BY csr_id');
  expect(rows).toHaveLength(39);
  expect(rig.simulator.log.flatMap((call) => call.ids)).not.toContain(1_000 + POISONED);
});
