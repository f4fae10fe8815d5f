/**
 * Scopes per operation, over HTTP (docs/contract.md §4): deleting needs the delete scope, reading the
 * audit needs `csr:audit` only; API keys get the scopes AUTH_API_KEY_SCOPES gives them (all, when it
 * does not name them); and the audit records the kind of caller, since a JWT `sub` and an API key name
 * can be the same text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalAuditStore } from '../../../src/audit/journal-store.js';
import { graphql, RESULT_FIELDS, startRig, type Rig } from '../../support/gateway.js';
import { signToken } from '../../support/jwks.js';

const JWT_SECRET = 'scopes-test-secret-0123456789abcdef-0123456789';
const KEYS = { auditor: 'auditor-key-0123456789abcdef', svc: 'svc-key-0123456789abcdef', old: 'old-style-key-0123456789abcdef' };

let rig: Rig;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scopes-'));
  rig = await startRig({
    env: {
      AUTH_JWT_SECRET: JWT_SECRET,
      AUTH_API_KEYS: `auditor:${KEYS.auditor},svc:${KEYS.svc},${KEYS.old}`,
      AUTH_API_KEY_SCOPES: 'auditor=csr:audit, svc=csr:delete',
    },
    gateway: { auditStore: await JournalAuditStore.open(dir) },
  });
});
afterAll(async () => {
  await rig?.close();
  await rm(dir, { recursive: true, force: true });
});

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
const jwt = (sub: string, scope: string) => signToken({ sub, scope }, JWT_SECRET).then(bearer);
const DELETE = `mutation($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { ${RESULT_FIELDS} } }`;
const AUDIT = '{ csrDeletionAudit(csrId: 701) { caller callerAuth outcome } }';

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.['code'];

describe('scopes per operation', () => {
  it('a JWT with only csr:audit reads the audit but cannot delete', async () => {
    const headers = await jwt('auditor', 'csr:audit');
    const read = await graphql<unknown>(rig.url, AUDIT, {}, headers);
    expect(read.errors).toBeUndefined();
    const refused = await graphql<unknown>(rig.url, DELETE, { ids: [700] }, headers);
    expect(codeOf(refused.errors)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toBe('The caller is not granted the "csr:delete" scope that batchDeleteCSRs requires.');
  });

  it('a JWT with only csr:delete deletes but cannot read the audit', async () => {
    const headers = await jwt('deleter', 'csr:delete');
    expect((await graphql<unknown>(rig.url, DELETE, { ids: [702] }, headers)).errors).toBeUndefined();
    const refused = await graphql<unknown>(rig.url, AUDIT, {}, headers);
    expect(codeOf(refused.errors)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toContain('"csr:audit" scope that csrDeletionAudit requires');
  });

  it('API keys: scoped ones get their scopes, a key AUTH_API_KEY_SCOPES does not name keeps every scope', async () => {
    expect(codeOf((await graphql<unknown>(rig.url, DELETE, { ids: [703] }, bearer(KEYS.auditor))).errors)).toBe('FORBIDDEN');
    expect((await graphql<unknown>(rig.url, AUDIT, {}, bearer(KEYS.auditor))).errors).toBeUndefined();
    expect((await graphql<unknown>(rig.url, DELETE, { ids: [704] }, bearer(KEYS.svc))).errors).toBeUndefined();
    expect(codeOf((await graphql<unknown>(rig.url, AUDIT, {}, bearer(KEYS.svc))).errors)).toBe('FORBIDDEN');
    expect((await graphql<unknown>(rig.url, DELETE, { ids: [705] }, bearer(KEYS.old))).errors).toBeUndefined();
    expect((await graphql<unknown>(rig.url, AUDIT, {}, bearer(KEYS.old))).errors).toBeUndefined();
  });

  it('records the kind of caller: a JWT sub "svc" and the API key named "svc" are told apart, and caller: filters by name', async () => {
    await graphql<unknown>(rig.url, DELETE, { ids: [701] }, bearer(KEYS.svc));
    await graphql<unknown>(rig.url, DELETE, { ids: [701] }, await jwt('svc', 'csr:delete'));
    const read = await graphql<{ csrDeletionAudit: { caller: string; callerAuth: string }[] }>(
      rig.url,
      '{ csrDeletionAudit(csrId: 701, caller: "svc") { caller callerAuth } }',
      {},
      bearer(KEYS.auditor),
    );
    expect(read.data?.csrDeletionAudit.map((record) => `${record.callerAuth}:${record.caller}`).sort()).toEqual(['API_KEY:svc', 'JWT:svc']);
  });
});
