/**
 * What operators see: /metrics with docs/contract.md §3's names and labels after a run, one log line per
 * upstream call and per request (with request IDs), and — in all of it — no secret, key or token.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger, secretsOf } from '../../../src/logger.js';
import { deleteCSRs, graphql, TEST_CREDENTIALS } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';
import { signToken } from '../../support/jwks.js';

const CREDENTIALS = { ...TEST_CREDENTIALS, sessionToken: 'session-token-0123456789-abcdefghij' };
const JWT_SECRET = 'observability-jwt-secret-0123456789abcdef';
const API_KEY = 'observability-api-key-0123456789abcdef';
const ENV = { AUTH_JWT_SECRET: JWT_SECRET, AUTH_API_KEYS: API_KEY, LOG_LEVEL: 'trace' };
const ROUTER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A pino destination that keeps every line. */
function captureLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

let rig: InProcessRig;
const log = captureLines();
/** Every token a caller sent during the run, accepted or not. */
const tokens: string[] = [];

beforeAll(() => {
  rig = createRig({
    env: ENV,
    credentials: CREDENTIALS,
    simulator: { accounts: { [CREDENTIALS.secretId]: { secretKey: CREDENTIALS.secretKey, sessionToken: CREDENTIALS.sessionToken } } },
    logDestination: log.stream,
  });
});

afterAll(async () => {
  await rig?.close();
});

describe('a run with credentials, a JWT and an API key', () => {
  it('echoes an incoming x-request-id and makes one up otherwise', async () => {
    const token = await signToken({ scope: 'csr:delete', sub: 'alice' }, JWT_SECRET);
    tokens.push(token);
    const body = JSON.stringify({ query: 'mutation { batchDeleteCSRs(ids: [1, 2]) { __typename } }' });
    const traced = await rig.fetch(rig.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': 'trace-abc-123',
        // A router's trace context: with tracing off, its trace ID still reaches the request's log line.
        traceparent: `00-${ROUTER_TRACE_ID}-00f067aa0ba902b7-01`,
      },
      body,
    });
    expect(traced.headers.get('x-request-id')).toBe('trace-abc-123');
    expect(await traced.json()).toEqual({ data: { batchDeleteCSRs: { __typename: 'BatchDeleteCSRsSuccess' } } });

    const forged = await rig.fetch(rig.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, 'x-request-id': '","level":60,"msg":"forged' },
      body: JSON.stringify({ query: 'mutation { batchDeleteCSRs(ids: [3]) { __typename } }' }),
    });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records failures too', async () => {
    tokens.push(await signToken({ scope: 'csr:delete' }, 'not-the-secret-0123456789abcdef-0123'));
    const refused = await graphql<unknown>(rig, 'mutation { batchDeleteCSRs(ids: [4]) { __typename } }', {}, {
      authorization: `Bearer ${tokens.at(-1)}`,
    });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });

    rig.simulator.inject({ kind: 'error', code: 'FailedOperation.CertificateStatusNotAllowDelete' });
    const failed = await deleteCSRs(rig, [5], { authorization: `Bearer ${API_KEY}` });
    expect(failed).toMatchObject({ __typename: 'FailedOperationError', code: 'FailedOperation.CertificateStatusNotAllowDelete' });
  });

  it('serves the contract metrics with their labels', async () => {
    const response = await rig.fetch(rig.url.replace('/graphql', '/metrics'));
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('tencent_ssl_upstream_requests_total{action="BatchDeleteCSR",code="Success"} 2');
    expect(text).toContain(
      'tencent_ssl_upstream_requests_total{action="BatchDeleteCSR",code="FailedOperation.CertificateStatusNotAllowDelete"} 1',
    );
    expect(text).toContain('# TYPE tencent_ssl_upstream_batch_ids histogram');
    expect(text).toContain('tencent_ssl_upstream_batch_ids_sum 4'); // 2 + 1 + 1 IDs
    expect(text).toContain('tencent_ssl_upstream_batch_ids_count 3');
    expect(text).toContain('# TYPE tencent_ssl_pending_ids gauge');
    expect(text).toContain('tencent_ssl_pending_ids 0');
    expect(text).toContain('# TYPE tencent_ssl_rate_limit_wait_seconds histogram');
    expect(text).toContain('tencent_ssl_rate_limit_wait_seconds_count 3');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('logs one line per upstream call with action, ID count, code, RequestId, duration and attempt', () => {
    const calls = parsed().filter((line) => line['msg'] === 'upstream call' || line['msg'] === 'upstream call failed');
    expect(calls).toHaveLength(rig.simulator.log.length);
    expect(calls.map((line) => [line['ids'], line['code'], line['requestId']])).toEqual(
      rig.simulator.log.map((call) => [call.ids.length, call.outcome, call.requestId]),
    );
    for (const line of calls) {
      expect(line).toMatchObject({ action: 'BatchDeleteCSR', attempt: 1, durationMs: expect.any(Number) });
    }
  });

  it("each upstream call's line has the moment its bytes went, within the call's span around the simulator's arrival", () => {
    // In process the simulator sees the request as it is dispatched, a tick before the client's
    // after-send hook: the order is a socket's only over a socket (test/integration/process/send-times.test.ts).
    const calls = parsed().filter((line) => line['msg'] === 'upstream call' || line['msg'] === 'upstream call failed');
    const arrivals = new Map(rig.simulator.log.map((call) => [call.requestId, call.arrivedAt]));
    expect(calls.length).toBeGreaterThan(0);
    for (const line of calls) {
      const sentAt = line['sentAt'] as number;
      const arrivedAt = arrivals.get(line['requestId'] as string) as number;
      expect(Math.abs(arrivedAt - sentAt)).toBeLessThanOrEqual((line['durationMs'] as number) + 1);
    }
  });

  it('logs one line per request with its request ID, operation and caller', () => {
    const requests = parsed().filter((line) => line['msg'] === 'request' && line['path'] === '/graphql');
    expect(requests).toHaveLength(4);
    expect(requests[0]).toMatchObject({
      requestId: 'trace-abc-123',
      traceId: ROUTER_TRACE_ID,
      method: 'POST',
      status: 200,
      operation: 'mutation',
      caller: 'alice',
    });
    expect(requests[1]).toMatchObject({ caller: 'api-key-1' });
    expect(requests[1]).not.toHaveProperty('traceId');
    const refusal = parsed().find((line) => line['msg'] === 'caller refused');
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', requestId: requests[2]?.['requestId'] });
  });

  it('never writes a secret, key or token', () => {
    expect(log.lines.length).toBeGreaterThan(10);
    const secrets = [CREDENTIALS.secretKey, CREDENTIALS.sessionToken, JWT_SECRET, API_KEY, ...tokens];
    for (const line of log.lines) for (const secret of secrets) expect(line).not.toContain(secret);
  });

  it('counts and logs read calls too, under the same metric names by action', async () => {
    const read = await graphql<{ csr: { id: number } | null }>(rig, '{ csr(id: 77) { id } }', {}, { authorization: `Bearer ${API_KEY}` });
    expect(read.data?.csr).toEqual({ id: 77 });
    const text = await (await rig.fetch(rig.url.replace('/graphql', '/metrics'))).text();
    expect(text).toContain('tencent_ssl_upstream_requests_total{action="DescribeCSR",code="Success"} 1');
    expect(text).toContain('tencent_ssl_upstream_request_duration_seconds_count{action="DescribeCSR"} 1');
    expect(parsed().filter((line) => line['msg'] === 'upstream read call')).toMatchObject([{ action: 'DescribeCSR', code: 'Success' }]);
  });
});

describe('the logger', () => {
  it('scrubs secrets wherever they end up, and tokens it was never told about', () => {
    const capture = captureLines();
    const config = loadConfig({ NODE_ENV: 'test', ...ENV, TENCENTCLOUD_SECRET_ID: CREDENTIALS.secretId, TENCENTCLOUD_SECRET_KEY: CREDENTIALS.secretKey });
    const logger = createLogger('info', capture.stream, { secrets: secretsOf(config, CREDENTIALS) });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

    logger.info({ headers: { authorization: `Bearer ${API_KEY}` } }, 'structured');
    logger.error(new Error(`upstream refused key ${CREDENTIALS.secretKey} with token ${CREDENTIALS.sessionToken}`), 'in a message');
    logger.warn({ url: `https://example.test/?access_token=${jwt}`, note: `secret=${JWT_SECRET}` }, 'in a value');
    logger.info({ config }, 'a whole configuration');

    const output = capture.lines.join('\n');
    expect(capture.lines).toHaveLength(4);
    for (const secret of [CREDENTIALS.secretKey, CREDENTIALS.sessionToken, JWT_SECRET, API_KEY, jwt]) expect(output).not.toContain(secret);
    expect(output).toContain('[redacted]');
    for (const line of capture.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

function parsed(): Record<string, unknown>[] {
  return log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}
