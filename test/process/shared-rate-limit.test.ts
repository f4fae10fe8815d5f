/**
 * Three gateway processes on one SecretId, sharing the limit through Redis, in front of one strict
 * simulator that records when each call arrived: Tencent's limit holds across replicas, and holds
 * through a Redis crash and restart.
 */
import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_PREFIX } from '../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../src/engine/redis-schedule.js';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
import { deleteCSRs, expectPartition, type ResultShape } from '../support/gateway.js';
import { startGatewayProcesses, type GatewayProcess } from '../support/gateway-process.js';
import { deleteKeys, startRedisServer, type RedisServer } from '../support/redis-server.js';

const LIMIT = 10;
const CALLERS = 1_500;
const SHARED_REDIS = 'redis://127.0.0.1:6379';

let gateways: GatewayProcess[] = [];
let simulator: TencentSslSimulator | undefined;
let redis: RedisServer | undefined;
let secretId = '';
afterEach(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await simulator?.close();
  await redis?.kill();
  if (secretId) await deleteKeys(SHARED_REDIS, scheduleKey(DEFAULT_KEY_PREFIX, secretId, '*'));
  secretId = '';
  gateways = [];
  simulator = redis = undefined;
});

/** A simulator for an account of its own (so its schedule in Redis is this test's alone), and three gateways. */
async function startReplicas(redisUrl: string, env: Record<string, string> = {}): Promise<TencentSslSimulator> {
  secretId = `AKIDREPLICAS${randomBytes(12).toString('hex').toUpperCase()}`;
  const secretKey = randomBytes(16).toString('hex');
  simulator = new TencentSslSimulator({ accounts: { [secretId]: { secretKey } }, seed: { from: 1, to: CALLERS }, rateLimit: LIMIT });
  const endpoint = await simulator.listen();
  gateways = await startGatewayProcesses(3, {
    TENCENTCLOUD_SSL_ENDPOINT: endpoint,
    TENCENTCLOUD_SECRET_ID: secretId,
    TENCENTCLOUD_SECRET_KEY: secretKey,
    TENCENTCLOUD_RATE_LIMIT: String(LIMIT),
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
    ...env,
  });
  return simulator;
}

/** One 1-ID mutation per ID, all at once, spread over the replicas in turn. */
function deleteEachSeparately(): Promise<{ id: number; result: ResultShape }[]> {
  return Promise.all(
    Array.from({ length: CALLERS }, async (_, index) => {
      const id = index + 1;
      const gateway = gateways[index % gateways.length]!;
      return { id, result: await deleteCSRs(gateway.graphqlUrl, [id]) };
    }),
  );
}

async function readiness(gateway: GatewayProcess): Promise<number> {
  const response = await fetch(gateway.readinessUrl);
  await response.arrayBuffer();
  return response.status;
}

async function expectEveryReadiness(status: number): Promise<void> {
  await Promise.all(
    gateways.map((gateway) => expect.poll(() => readiness(gateway), { timeout: 10_000, interval: 50 }).toBe(status)),
  );
}

describe('replicas sharing the limit through Redis', () => {
  it(`never exceed ${LIMIT} calls in any sliding second between them, and delete every ID`, async () => {
    const sim = await startReplicas(SHARED_REDIS);
    const answers = await deleteEachSeparately();

    for (const { id, result } of answers) {
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [id] });
    }
    expect(sim.store.size).toBe(0);
    expect(sim.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
    expect(sim.log.filter((call) => call.outcome !== 'Success')).toEqual([]);
  }, 60_000);

  it('hold the limit through a Redis crash, answer every caller, and share again once Redis is back', async () => {
    redis = await startRedisServer();
    const sim = await startReplicas(redis.url, { MUTATION_DEADLINE_MS: '20000' });
    await expectEveryReadiness(200);

    const answering = deleteEachSeparately();
    // Mid-run: the replicas are sending (the schedule's start guard is behind us).
    await expect.poll(() => sim.log.length, { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    await redis.kill();
    const callsWhenKilled = sim.log.length;
    await expectEveryReadiness(503);

    await redis.restart();
    await expectEveryReadiness(200);
    const answers = await answering;

    for (const { id, result } of answers) expectPartition(result, [id]);
    const reportedDeleted = answers.filter(({ result }) => result.deletedIds?.length === 1).map(({ id }) => id);
    for (const id of reportedDeleted) expect(sim.store.has(id)).toBe(false);
    // The outage was far shorter than the deadline: the work waited for Redis, then went out.
    expect(reportedDeleted).toHaveLength(CALLERS);
    expect(sim.log.length).toBeGreaterThan(callsWhenKilled);
    expect(sim.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
    expect(sim.log.filter((call) => call.outcome !== 'Success')).toEqual([]);
  }, 90_000);
});
