/**
 * The audit trail in PostgreSQL, through the whole gateway over HTTP: every ID of every mutation gets
 * a record with its caller, outcome, code, RequestIds and trace ID; the records outlive the gateway;
 * and a store that cannot take the intent makes the mutation fail closed, with nothing sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAuditStore } from '../../../src/audit/postgres-store.js';
import { createLogger } from '../../../src/logger.js';
import { READ_ACTIONS } from '../../../src/tencent/read-client.js';
import { deleteCSRs, startRig, type Rig, type RigOptions } from '../../support/gateway.js';
import { auditOf, auditQuery, type AuditRecordShape } from './support/audit-query.js';
import { freshDatabase, query, type TestDatabase } from './support/postgres.js';

const silent = createLogger('silent');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const traced = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` };

let database: TestDatabase;
let rig: Rig | undefined;

beforeAll(async () => {
  database = await freshDatabase();
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});
afterAll(async () => {
  await database.drop();
});

async function auditedRig(simulator: RigOptions['simulator'] = {}): Promise<Rig> {
  const auditStore = await PostgresAuditStore.open(database.url, silent);
  rig = await startRig({ simulator, gateway: { auditStore } });
  return rig;
}

function only(records: AuditRecordShape[]): AuditRecordShape {
  expect(records).toHaveLength(1);
  return records[0] as AuditRecordShape;
}

describe('the audit trail in PostgreSQL', () => {
  it('records each ID: deleted, not deleted, failed with its code, and unknown when the answer was lost', async () => {
    const { url, simulator } = await auditedRig({ invalidIds: [15_000] });
    const first = await deleteCSRs(url, [101, 102, 50_000, 15_000], traced);
    expect(first).toMatchObject({ deletedIds: [101, 102], notDeletedIds: [50_000] });
    // The next call is applied upstream, but its answer never comes back, and no check can tell.
    for (const action of READ_ACTIONS) simulator.inject({ kind: 'error', code: 'UnauthorizedOperation' }, { times: Infinity, action });
    simulator.inject({ kind: 'dropAfterApply' });
    const second = await deleteCSRs(url, [103]);
    expect(second.unknownIds).toEqual([103]);

    const deleted = only(await auditOf(url, 101));
    expect(deleted).toMatchObject({ csrId: 101, caller: 'anonymous', outcome: 'DELETED', code: null, traceId: TRACE_ID });
    // Two calls carried it: the shared one Tencent refused for 15000's sake, then the split that deleted it.
    expect(deleted.requestIds).toHaveLength(2);
    expect(first.requestIds).toEqual(expect.arrayContaining(deleted.requestIds));
    expect(deleted.settledAt).not.toBeNull();
    expect(new Date(deleted.at).getTime()).toBeLessThanOrEqual(new Date(deleted.settledAt as string).getTime());

    expect(only(await auditOf(url, 50_000))).toMatchObject({ outcome: 'NOT_DELETED', code: null, traceId: TRACE_ID });
    const failed = only(await auditOf(url, 15_000));
    expect(failed).toMatchObject({ outcome: 'FAILED', code: 'InvalidParameter.InvalidCSRId' });
    expect(failed.requestIds.length).toBeGreaterThan(0);

    const unknown = only(await auditOf(url, 103));
    expect(unknown).toMatchObject({ outcome: 'UNKNOWN', code: null, traceId: null });
    expect(unknown.settledAt).not.toBeNull();
    // The lost answer had no RequestId to keep; the retry's answer (already gone: not deleted) has one.
    expect(unknown.requestIds).toHaveLength(1);
    expect(second.requestIds).toEqual(unknown.requestIds);
  });

  it('keeps one record per mutation, newest first, paged by cursor and filtered by time', async () => {
    const { url } = await auditedRig();
    await deleteCSRs(url, [201]);
    await deleteCSRs(url, [201]);
    await deleteCSRs(url, [201]);
    const all = await auditOf(url, 201);
    expect(all.map((record) => record.outcome)).toEqual(['NOT_DELETED', 'NOT_DELETED', 'DELETED']);
    const page = await auditQuery(url, { csrId: 201, first: 2 });
    const [, second] = page.data?.csrDeletionAudit ?? [];
    const rest = await auditQuery(url, { csrId: 201, after: second?.cursor ?? '' });
    expect(rest.data?.csrDeletionAudit.map((record) => record.outcome)).toEqual(['DELETED']);
    const later = await auditQuery(url, { csrId: 201, since: new Date(Date.now() + 60_000).toISOString() });
    expect(later.data?.csrDeletionAudit).toEqual([]);
    const bad = await auditQuery(url, { csrId: 201, since: 'yesterday' });
    expect(bad.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('keeps the records when the gateway restarts', async () => {
    const before = await auditedRig();
    await deleteCSRs(before.url, [301]);
    await before.close();
    rig = undefined;
    const after = await auditedRig();
    expect(only(await auditOf(after.url, 301))).toMatchObject({ outcome: 'DELETED', caller: 'anonymous' });
  });

  it('fails the mutation closed with Gateway.AuditUnavailable, nothing sent, when the store cannot take the intent', async () => {
    const doomed = await freshDatabase();
    const auditStore = await PostgresAuditStore.open(doomed.url, silent);
    rig = await startRig({ gateway: { auditStore } });
    // The audit database disappears under the running gateway.
    await doomed.drop();

    const result = await deleteCSRs(rig.url, [401, 402]);
    expect(result).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'Gateway.AuditUnavailable', csrIds: [401, 402] });
    expect(rig.simulator.log).toHaveLength(0);
    expect(rig.simulator.store.has(401)).toBe(true);
    const readiness = await fetch(rig.url.replace('/graphql', '/readiness'));
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ checks: { auditStore: expect.not.stringMatching(/^ok$/) as unknown } });
  });

  it('migrates a database once, whatever the number of replicas starting on it', async () => {
    const stores = await Promise.all([1, 2, 3].map(() => PostgresAuditStore.open(database.url, silent)));
    await Promise.all(stores.map((store) => store.close()));
    const applied = await query<{ version: number }>(database.url, 'SELECT version FROM csr_deletion_audit_migrations');
    expect(applied.map((row) => row.version)).toEqual([1, 2, 3, 4]);
  });

  it('prunes the records older than the retention cut-off, by the age index, and keeps the rest', async () => {
    const store = await PostgresAuditStore.open(database.url, silent);
    const day = 24 * 60 * 60 * 1000;
    const old = new Date(Date.now() - 400 * day);
    const recent = new Date(Date.now() - day);
    const old1 = '00000000-0000-4000-8000-000000000001';
    const recent1 = '00000000-0000-4000-8000-000000000002';
    await store.recordIntents([
      { submission: old1, csrIds: [901, 902], caller: 'retention', at: old },
      { submission: recent1, csrIds: [903], caller: 'retention', at: recent },
    ]);
    expect(await store.prune(new Date(Date.now() - 365 * day))).toBe(2);
    const left = await query<{ csr_id: string }>(database.url, "SELECT csr_id FROM csr_deletion_audit WHERE caller = 'retention'");
    expect(left.map((row) => Number(row.csr_id))).toEqual([903]);
    const index = await query<{ indexdef: string }>(database.url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'csr_deletion_audit_by_age'");
    expect(index[0]?.indexdef).toMatch(/USING brin/);
    await store.close();
  });
});
