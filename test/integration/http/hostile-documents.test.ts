/**
 * Hostile requests are answered cheaply, over HTTP against a whole gateway: a document nested
 * thousands deep gets a 400 before auth (not a 500 with stack traces in the log), a body that is not
 * JSON gets a 400 that does not quote it back, and a client that trickles its headers or body is
 * cut off by the Node server's timeouts (here shortened; the defaults are checked as configured).
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, HTTP_TIMEOUTS, listen } from '../../../src/server.js';
import { startRig, type GraphQLResponse, type Rig } from '../../support/gateway.js';

const API_KEY = 'hostile-documents-key-0123456789';
const lines: Record<string, unknown>[] = [];
const logDestination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ env: { AUTH_API_KEYS: API_KEY, LOG_LEVEL: 'info' }, logDestination });
});
afterAll(async () => {
  await rig?.close();
});

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(rig.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body });
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

describe('slow clients', () => {
  it('the gateway server is created with the documented timeouts', () => {
    const server = createHttpServer(rig.gateway);
    expect(server.headersTimeout).toBe(HTTP_TIMEOUTS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(HTTP_TIMEOUTS.requestTimeoutMs);
    expect(HTTP_TIMEOUTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, checkIntervalMs: 1_000 });
  });

  it.each([
    ['headers that never end', 'POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: '],
    ['a body that never arrives', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":'],
  ])('%s: answered 408 and cut off', async (_case, partialRequest) => {
    const server = createHttpServer(rig.gateway, { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 100 });
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.write(partialRequest);
      // The server, not the test, ends this: the socket closes once the timeout has passed.
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
