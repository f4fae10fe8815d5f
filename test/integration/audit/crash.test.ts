/**
 * The point of writing the intent first, on the real process: killed (SIGKILL, no chance to clean up)
 * while a call is in flight, the gateway leaves a record that says who asked and that the outcome is
 * unknown — and a gateway started again on the same database reads it back.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { TencentSslSimulator } from '../../../src/simulator/simulator.js';
import { deleteCSRs, TEST_CREDENTIALS } from '../../support/gateway.js';
import { startGatewayProcess } from '../../support/gateway-process.js';
import { spawnGateway } from '../../support/process.js';
import { auditOf } from './support/audit-query.js';
import { freshDatabase, type TestDatabase } from './support/postgres.js';

let database: TestDatabase;
let simulator: TencentSslSimulator;
let env: Record<string, string>;

beforeAll(async () => {
  database = await freshDatabase();
  simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 1_000 },
  });
  env = {
    TENCENTCLOUD_SECRET_ID: TEST_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: TEST_CREDENTIALS.secretKey,
    TENCENTCLOUD_SSL_ENDPOINT: await simulator.listen(),
    AUDIT_DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
  };
});
afterAll(async () => {
  await simulator.close();
  await database.drop();
});

it('killed between intent and outcome, the gateway leaves an UNKNOWN record that a restarted gateway reads back', async () => {
  const doomed = spawnGateway({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env });
  const ready = await doomed.waitForLine((line) => typeof line['port'] === 'number' && String(line.msg).includes('ready'));
  const url = `http://127.0.0.1:${String(ready['port'])}/graphql`;

  // Tencent holds its answer: the call is in flight when the process dies.
  simulator.inject({ kind: 'delay', ms: 60_000 });
  const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const answer = deleteCSRs(url, [7], { traceparent: `00-${traceId}-1122334455667788-01` }).catch((error: unknown) => error);
  await vi.waitFor(() => expect(simulator.log.some((call) => call.outcome === 'Delayed' && call.ids.includes(7))).toBe(true), {
    timeout: 20_000,
    interval: 20,
  });
  doomed.child.kill('SIGKILL');
  expect(await doomed.exited).toBe('SIGKILL');
  expect(await answer).toBeInstanceOf(Error);

  const restarted = await startGatewayProcess(env);
  try {
    const [record, ...others] = await auditOf(restarted.graphqlUrl, 7);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ csrId: 7, caller: 'anonymous', outcome: 'UNKNOWN', settledAt: null, traceId, requestIds: [] });
  } finally {
    await restarted.stop();
  }
});
