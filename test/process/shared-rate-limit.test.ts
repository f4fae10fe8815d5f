/**
 * Three gateway processes on one SecretId, sharing the limit through Redis, in front of one strict
 * simulator in a process of its own that records when each call arrived: Tencent's limit holds
 * across replicas, and holds through a Redis crash and restart. Invariants only: how many calls it
 * took depends on the machine's speed, and is the benchmark's business (bench/replicas.ts).
 */
import { fetch } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_PREFIX } from '../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../src/engine/redis-schedule.js';
import { TEST_REDIS_URL } from '../support/environment.js';
import { deleteCSRs, expectPartition, type ResultShape } from '../support/gateway.js';
import { freshConnections, startGatewayProcesses, type GatewayProcess } from '../support/gateway-process.js';
import { deleteKeys, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startSimulatorProcess, type SimulatorProcess } from '../support/simulator-process.js';

const LIMIT = 10;
const CALLERS = 1_500;

let gateways: GatewayProcess[] = [];
let simulator: SimulatorProcess | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await simulator?.close();
  await redis?.kill();
  // The simulator's account is fresh for each test, so these keys are this test's alone.
  if (simulator) await deleteKeys(TEST_REDIS_URL, scheduleKey(DEFAULT_KEY_PREFIX, simulator.credentials.secretId, '*'));
  gateways = [];
  simulator = redis = undefined;
});

/** A simulator with an account of its own (so its schedule in Redis is this test's alone), and three gateways. */
async function startReplicas(redisUrl: string, env: Record<string, string> = {}): Promise<SimulatorProcess> {
  simulator = await startSimulatorProcess({ seed: { from: 1, to: CALLERS }, rateLimit: LIMIT });
  gateways = await startGatewayProcesses(3, { ...simulator.gatewayEnv, REDIS_URL: redisUrl, ...env });
  return simulator;
}

/** One 1-ID mutation per ID, all at once, spread over the replicas in turn. */
function deleteEachSeparately(): Promise<{ id: number; result: ResultShape }[]> {
  return Promise.all(
    Array.from({ length: CALLERS }, async (_, index) => {
      const id = index + 1;
      const gateway = gateways[index % gateways.length]!;
      return { id, result: await deleteCSRs(gateway.graphqlUrl, [id], {}, freshConnections) };
    }),
  );
}

async function readiness(gateway: GatewayProcess): Promise<number> {
  const response = await fetch(gateway.readinessUrl, { dispatcher: freshConnections });
  await response.arrayBuffer();
  return response.status;
}

async function expectEveryReadiness(status: number): Promise<void> {
  await Promise.all(
    gateways.map((gateway) => expect.poll(() => readiness(gateway), { timeout: 10_000, interval: 50 }).toBe(status)),
  );
}

async function callCount(sim: SimulatorProcess): Promise<number> {
  return (await sim.calls()).length;
}

describe('replicas sharing the limit through Redis', () => {
  it(`never exceed ${LIMIT} calls in any sliding second between them, and delete every ID`, async () => {
    const sim = await startReplicas(TEST_REDIS_URL);
    const answers = await deleteEachSeparately();

    for (const { id, result } of answers) {
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [id] });
    }
    expect(await sim.storeSize()).toBe(0);
    expect(await sim.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
    expect((await sim.calls()).filter((call) => call.outcome !== 'Success')).toEqual([]);
  }, 120_000);

  it('hold the limit through a Redis crash, answer every caller, and share again once Redis is back', async () => {
    redis = await startRedisServer();
    const sim = await startReplicas(redis.url, { MUTATION_DEADLINE_MS: '20000' });
    await expectEveryReadiness(200);

    const answering = deleteEachSeparately();
    // Mid-run: the replicas are sending (the schedule's start guard is behind us).
    await expect.poll(() => callCount(sim), { timeout: 15_000, interval: 20 }).toBeGreaterThanOrEqual(3);
    await redis.kill();
    const callsWhenKilled = await callCount(sim);
    await expectEveryReadiness(503);

    await redis.restart();
    await expectEveryReadiness(200);
    const answers = await answering;

    for (const { id, result } of answers) expectPartition(result, [id]);
    const reportedDeleted = answers.filter(({ result }) => result.deletedIds?.length === 1).map(({ id }) => id);
    expect(await sim.exists(reportedDeleted)).toEqual([]);
    // The outage was far shorter than the deadline: the work waited for Redis, then went out.
    expect(reportedDeleted).toHaveLength(CALLERS);
    expect(await callCount(sim)).toBeGreaterThan(callsWhenKilled);
    expect(await sim.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
    expect((await sim.calls()).filter((call) => call.outcome !== 'Success')).toEqual([]);
  }, 150_000);
});
