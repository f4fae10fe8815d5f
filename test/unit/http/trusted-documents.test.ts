/**
 * Trusted documents over HTTP, with a manifest in the format GraphQL Code Generator's client preset
 * writes (`persisted-documents.json`: sha256 hex hash → document): a listed document is accepted by
 * `documentId`, with a `sha256:` prefix, and by Apollo's `extensions.persistedQuery`; in only-mode
 * anything else is refused and nothing reaches the simulator, while GraphiQL stays usable outside
 * production. A manifest whose hashes do not match its documents stops the gateway from starting.
 * The repo's own manifest loads, and the gateway's limits refuse none of its documents.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER, readPersistedDocuments } from '../../../src/http/plugins/trusted-documents.js';
import { TEST_CREDENTIALS, type GraphQLResponse } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const DELETE = 'mutation Delete($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { __typename ... on BatchDeleteCSRsSuccess { deletedIds } } }';
const LIMITS = 'query Limits { csrDeletionLimits { maxIdsPerCall } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const DELETE_ID = sha256(DELETE);
const NOT_LISTED = 'mutation { batchDeleteCSRs(ids: [7]) { __typename } }';

let dir: string;
let manifest: string;
let mixed: InProcessRig;
let only: InProcessRig;
let onlyInProduction: InProcessRig;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trusted-documents-'));
  manifest = join(dir, 'persisted-documents.json');
  await writeFile(manifest, JSON.stringify({ [DELETE_ID]: DELETE, [sha256(LIMITS)]: LIMITS }, null, 2));
  [mixed, only, onlyInProduction] = [
    createRig({ env: { PERSISTED_DOCUMENTS: manifest } }),
    createRig({ env: { PERSISTED_DOCUMENTS: manifest, PERSISTED_DOCUMENTS_ONLY: 'true' } }),
    createRig({
      env: {
        PERSISTED_DOCUMENTS: manifest,
        PERSISTED_DOCUMENTS_ONLY: 'true',
        NODE_ENV: 'production',
        TENCENTCLOUD_SECRET_ID: TEST_CREDENTIALS.secretId,
        TENCENTCLOUD_SECRET_KEY: TEST_CREDENTIALS.secretKey,
        AUTH_API_KEYS: 'trusted-documents-key-0123456789',
      },
    }),
  ];
});

afterAll(async () => {
  await Promise.all([mixed, only, onlyInProduction].map((rig) => rig?.close()));
  await rm(dir, { recursive: true, force: true });
});

async function post(rig: InProcessRig, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: GraphQLResponse<unknown> }> {
  const response = await rig.fetch(rig.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<unknown> };
}

describe('a document in the manifest', () => {
  it.each([
    ['by documentId', (ids: number[]) => ({ documentId: DELETE_ID, variables: { ids } })],
    ['by documentId with a sha256: prefix', (ids: number[]) => ({ documentId: `sha256:${DELETE_ID}`, variables: { ids } })],
    [
      "by Apollo's persistedQuery extension",
      (ids: number[]) => ({ variables: { ids }, extensions: { persistedQuery: { version: 1, sha256Hash: DELETE_ID } } }),
    ],
  ])('is accepted %s, in only-mode too', async (_how, bodyFor) => {
    for (const [rig, id] of [
      [mixed, 101],
      [only, 201],
    ] as const) {
      const answer = await post(rig, bodyFor([id]));
      expect(answer).toEqual({ status: 200, body: { data: { batchDeleteCSRs: { __typename: 'BatchDeleteCSRsSuccess', deletedIds: [id] } } } });
      rig.simulator.store.add(id);
    }
  });
});

describe('outside only-mode', () => {
  it('a document sent as text still runs', async () => {
    expect(await post(mixed, { query: LIMITS })).toEqual({ status: 200, body: { data: { csrDeletionLimits: { maxIdsPerCall: 100 } } } });
  });

  it('an unknown id is refused with PersistedQueryNotFound (so Apollo clients resend the text)', async () => {
    const answer = await post(mixed, { documentId: sha256('anything else') });
    expect(answer.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');
  });
});

describe('only-mode (PERSISTED_DOCUMENTS_ONLY=true)', () => {
  it.each([
    ['a document not in the manifest', { query: NOT_LISTED }],
    ['a listed document sent as text', { query: DELETE, variables: { ids: [7] } }],
    ['an id with the text beside it', { documentId: DELETE_ID, query: NOT_LISTED }],
    ['an unknown id', { documentId: sha256(NOT_LISTED) }],
  ])('refuses %s, and nothing reaches the simulator', async (_case, body) => {
    const answer = await post(only, body);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toHaveLength(1);
    expect(only.simulator.store.has(7)).toBe(true);
  });

  it('says what to send instead', async () => {
    const answer = await post(only, { query: NOT_LISTED });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]).toMatchObject({ extensions: { code: 'PERSISTED_QUERY_ONLY' }, message: expect.stringMatching(/documentId/) });
  });

  it('sent nothing for any refusal', () => {
    expect(only.simulator.log.map((call) => call.ids)).toEqual([[201], [201], [201]]);
  });

  it('leaves GraphiQL usable outside production: its page sends the header that lets its documents through', async () => {
    const page = await only.fetch(only.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain(GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER);
    const introspection = await post(only, { query: '{ __schema { queryType { name } } }' }, { [GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER]: '1' });
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('honours no such header in production', async () => {
    const page = await onlyInProduction.fetch(onlyInProduction.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain(GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER);
    const answer = await post(onlyInProduction, { query: '{ __typename }' }, { [GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER]: '1' });
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_ONLY' });
  });
});

describe('a manifest', () => {
  it('whose hash is not its document’s stops start-up, naming the variable', async () => {
    const forged = join(dir, 'forged.json');
    await writeFile(forged, JSON.stringify({ [sha256(LIMITS)]: NOT_LISTED }));
    expect(() => readPersistedDocuments(forged)).toThrow(/PERSISTED_DOCUMENTS: .* is not the sha256 hex hash of its document/);
  });

  it('that cannot be read stops start-up, naming the variable', () => {
    expect(() => readPersistedDocuments(join(dir, 'missing.json'))).toThrow(/PERSISTED_DOCUMENTS: cannot read/);
  });
});

describe("the repo's own manifest (schema/generated/persisted-documents.json)", () => {
  const SHIPPED = fileURLToPath(new URL('../../../schema/generated/persisted-documents.json', import.meta.url));

  // Codegen checks documents against the schema, not against the gateway's limits (depth, aliases,
  // tokens): a fragment spread counts as a level of depth, so an edit that nests fragments can pass
  // codegen and still be refused. Sent by id without variables, each must get past parsing and
  // validation: its only errors are variables not provided, or its execution's (with a path).
  it('loads, and every document in it passes the gateway\'s parsing, validation and limits', async () => {
    const manifest = JSON.parse(await readFile(SHIPPED, 'utf8')) as Record<string, string>;
    const shipped = createRig({ env: { PERSISTED_DOCUMENTS: SHIPPED, PERSISTED_DOCUMENTS_ONLY: 'true' } });
    try {
      for (const [id, document] of Object.entries(manifest)) {
        const { body } = await post(shipped, { documentId: id });
        const refusals = (body.errors ?? []).filter((error) => !/^Variable "\$\w+" of required type/.test(error.message) && !('path' in error));
        expect({ document: document.slice(0, 60), refusals }).toEqual({ document: document.slice(0, 60), refusals: [] });
      }
    } finally {
      await shipped.close();
    }
  });
});
