/**
 * Hostile requests are answered cheaply, through `yoga.fetch` against a whole gateway: a document
 * nested thousands deep gets a 400 before auth (not a 500 with stack traces in the log), and a body
 * that is not JSON gets a 400 that does not quote it back. Clients that trickle their headers or body
 * are the Node server's to cut off: test/integration/http/slow-clients.test.ts.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const API_KEY = 'hostile-documents-key-0123456789';
const lines: Record<string, unknown>[] = [];
const logDestination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let rig: InProcessRig;
beforeAll(() => {
  rig = createRig({ env: { AUTH_API_KEYS: API_KEY, LOG_LEVEL: 'info' }, logDestination });
});
afterAll(async () => {
  await rig?.close();
});

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await rig.fetch(rig.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body });
  return { status: response.status, text: await response.text() };
}

describe('deeply nested documents', () => {
  it.each([
    ['a list literal 5,000 deep', `mutation { batchDeleteCSRs(ids: ${'['.repeat(5_000)}1${']'.repeat(5_000)}) { __typename } }`],
    ['selection sets 5,000 deep', `{ ${'a { '.repeat(5_000)}b${' }'.repeat(5_000)} }`],
    ['a variable type 5,000 deep', `query (${'$v: '}${'['.repeat(5_000)}Int${']'.repeat(5_000)}) { __typename }`],
  ])('%s: 400 before auth, nothing sent, nothing logged as an error', async (_case, query) => {
    const errorsBefore = lines.filter((line) => Number(line['level']) >= 50).length;
    const { status, text } = await post(JSON.stringify({ query }));
    expect(status).toBe(400);
    const body = JSON.parse(text) as GraphQLResponse<unknown>;
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.message).toMatch(/nests deeper than 64 levels/);
    expect(body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(lines.filter((line) => Number(line['level']) >= 50).length).toBe(errorsBefore);
    expect(rig.simulator.log).toEqual([]);
  });

  it('a real document still nests as deep as it likes within the bound', async () => {
    const { status, text } = await post(JSON.stringify({ query: 'mutation { batchDeleteCSRs(ids: [1]) { __typename } }' }), {
      authorization: `Bearer ${API_KEY}`,
    });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { batchDeleteCSRs: { __typename: 'BatchDeleteCSRsSuccess' } } });
    rig.simulator.log.length = 0;
  });
});

describe('a body that is not JSON', () => {
  it('gets a 400 that does not quote the body back', async () => {
    const body = '{"query": "mutation { batchDeleteCSRs(ids: [2]) { __typename } }", secret-looking-excerpt}';
    const { status, text } = await post(body, { authorization: `Bearer ${API_KEY}` });
    expect(status).toBe(400);
    expect(text).not.toContain('secret-looking-excerpt');
    expect(text).not.toContain('batchDeleteCSRs');
    expect(JSON.parse(text)).toMatchObject({ errors: [{ message: expect.stringMatching(/invalid JSON/), extensions: { code: 'BAD_REQUEST' } }] });
    expect(rig.simulator.log).toEqual([]);
  });
});
