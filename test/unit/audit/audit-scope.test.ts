/**
 * `csrDeletionAudit` takes the scope `csr:audit`, checked with the field: through `yoga.fetch`, with
 * the caller in the server context as the HTTP edge puts it there (`context.caller`), so the check is
 * the field's own whatever authenticated the caller.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JournalAuditStore } from '../../../src/audit/journal-store.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

let rig: InProcessRig;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-scope-'));
  rig = createRig({ gateway: { auditStore: await JournalAuditStore.open(dir) } });
});
afterAll(async () => {
  await rig.close();
  await rm(dir, { recursive: true, force: true });
});

async function audit(scopes: string[]): Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await rig.gateway.yoga.fetch(
    'http://gateway/graphql',
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ csrDeletionAudit(csrId: 1) { caller outcome } }' }),
    },
    { caller: { id: 'someone', scopes: new Set(scopes) } },
  );
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

it('refuses a caller without csr:audit with FORBIDDEN', async () => {
  const refused = await audit(['csr:delete']);
  expect(refused.data).toBeNull();
  expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(refused.errors?.[0]?.message).toContain('csr:audit');
});

it('answers a caller with csr:audit', async () => {
  const answered = await audit(['csr:delete', 'csr:audit']);
  expect(answered).toEqual({ data: { csrDeletionAudit: [] } });
});
