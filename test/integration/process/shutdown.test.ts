/**
 * Graceful shutdown of the real process: SIGTERM while a 1,500-ID mutation is in flight (15 calls at
 * 10 calls/s, so about 1.4 s of work) stops new connections at once, yet the mutation gets its full
 * answer — every ID deleted — and the process then exits 0.
 */
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TencentSslSimulator } from '../../../src/simulator/simulator.js';
import { expectPartition, RESULT_FIELDS, TEST_CREDENTIALS, type ResultShape } from '../../support/gateway.js';
import { spawnGateway, START_TIMEOUT_MS, type LogLine, type NodeProcess } from '../../support/process.js';

const API_KEY = 'shutdown-test-api-key-0123456789abcdef';
const IDS = Array.from({ length: 1_500 }, (_, i) => 1 + i);

let simulator: TencentSslSimulator;
let gateway: NodeProcess;

beforeAll(async () => {
  simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 2_000 },
  });
  const endpoint = await simulator.listen();
  gateway = spawnGateway({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    TENCENTCLOUD_SECRET_ID: TEST_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: TEST_CREDENTIALS.secretKey,
    TENCENTCLOUD_SSL_ENDPOINT: endpoint,
    AUTH_API_KEYS: API_KEY,
  });
});

afterAll(async () => {
  if (gateway?.child.exitCode === null) gateway.child.kill('SIGKILL');
  await simulator?.close();
});

const isUpstreamCall = (line: LogLine) => typeof line.msg === 'string' && line.msg.startsWith('upstream call');

describe('SIGTERM with a mutation in flight', () => {
  it('answers the mutation in full, refuses new connections, then exits 0', async () => {
    const ready = await gateway.waitForLine((line) => typeof line['port'] === 'number', START_TIMEOUT_MS);
    const url = `http://127.0.0.1:${ready['port'] as number}/graphql`;

    const answer = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ query: `mutation Delete($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { ${RESULT_FIELDS} } }`, variables: { ids: IDS } }),
    });

    // The first upstream call has come back: the mutation is accepted and 14 calls are still to go.
    await gateway.waitForLine(isUpstreamCall);
    expect(simulator.log.length).toBeGreaterThan(0);
    gateway.child.kill('SIGTERM');
    await gateway.waitForLine((line) => line.msg?.startsWith('shutting down') === true);

    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();

    const response = await answer;
    expect(response.status).toBe(200);
    // Its keep-alive connection is closed after the answer, so the server can finish closing.
    expect(response.headers.get('connection')).toBe('close');
    const { data } = (await response.json()) as { data: { batchDeleteCSRs: ResultShape } };
    expectPartition(data.batchDeleteCSRs, IDS);
    expect(data.batchDeleteCSRs.deletedIds).toHaveLength(1_500);
    expect(IDS.some((id) => simulator.store.has(id))).toBe(false);

    expect(await gateway.exited).toBe(0);
    // The shutdown began while calls were still being made: the mutation really was in flight.
    const shutdownAt = gateway.lines.findIndex((line) => line.msg?.startsWith('shutting down') === true);
    const lastCallAt = gateway.lines.findLastIndex(isUpstreamCall);
    expect(shutdownAt).toBeLessThan(lastCallAt);
    expect(gateway.lines.filter(isUpstreamCall)).toHaveLength(15);
    expect(gateway.lines.at(-1)?.msg).toBe('stopped');
    // Starting takes seconds on a loaded machine (tsx loading the sources): the process helper's start
    // allowance, plus the mutation's work and the shutdown.
  }, START_TIMEOUT_MS + 60_000);
});
