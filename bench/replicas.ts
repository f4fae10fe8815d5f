/**
 * Benchmark: three gateway replicas sharing Tencent's limit through Redis.
 *
 *   npx tsx bench/replicas.ts            (≈ 1 minute; writes bench/results/replicas.json)
 *
 * 1. Throughput: three `src/main.ts` processes on one SecretId in front of one simulator (10 calls/s),
 *    saturated by closed-loop callers. The figure is IDs deleted per second by calls that *arrived*
 *    at the simulator in a steady window, against the ceiling of 1,000 IDs/s (10 calls × 100 IDs);
 *    the goal is ≥ 0.9. Spacing with its 5 % margin caps it at 1000/105 × 100 ≈ 952.
 *    Run twice: callers sending 1 ID each (the gateway's HTTP work is largest) and 20 IDs each.
 * 2. Limiter cost per upstream call: the reservation script's round trip as the client sees it, the
 *    client's CPU per reservation, and Redis's own time per script call (INFO commandstats).
 *
 * Redis is a redis-server of the bench's own, so its command statistics are the bench's alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { Agent, fetch } from 'undici';
import { connectRedis, reserveSlot, scheduleKey } from '../src/engine/redis-schedule.js';
import { startGatewayProcesses, type GatewayProcess } from '../test/support/gateway-process.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { startSimulatorProcess } from '../test/support/simulator-process.js';
import type { ThroughputRun } from './scenarios/types.js';

const LIMIT = 10;
const CEILING_IDS_PER_SECOND = LIMIT * 100;
const GOAL = 0.9;
/** The schedule's start guard (2 s) and the queues filling up. */
const WARMUP_MS = 4_000;
const MEASURE_MS = 12_000;
/** Closed-loop callers per replica, per mutation size: enough to saturate, few enough to keep queues short. */
const RUNS = [
  { idsPerMutation: 1, callersPerReplica: 150 },
  { idsPerMutation: 20, callersPerReplica: 20 },
] as const;
const RESERVATIONS = 3_000;

async function throughput(redisUrl: string, idsPerMutation: number, callersPerReplica: number): Promise<ThroughputRun> {
  const secretId = `AKIDBENCH${randomBytes(12).toString('hex').toUpperCase()}`;
  const secretKey = randomBytes(16).toString('hex');
  // The judge in a process of its own, so that this busy process cannot bunch its arrival times.
  const simulator = await startSimulatorProcess({ credentials: { secretId, secretKey }, seed: { from: 1, to: 1_000_000 }, rateLimit: LIMIT });
  const endpoint = simulator.url;
  const gateways: GatewayProcess[] = await startGatewayProcesses(3, {
    TENCENTCLOUD_SSL_ENDPOINT: endpoint,
    TENCENTCLOUD_SECRET_ID: secretId,
    TENCENTCLOUD_SECRET_KEY: secretKey,
    TENCENTCLOUD_RATE_LIMIT: String(LIMIT),
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
  });
  const agent = new Agent({ connections: callersPerReplica, keepAliveTimeout: 30_000 });
  const query = 'mutation Delete($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { __typename } }';

  let nextId = 1;
  const started = performance.now();
  const stopAt = started + WARMUP_MS + MEASURE_MS;
  const latencies: number[] = [];
  const caller = async (gateway: GatewayProcess): Promise<void> => {
    while (performance.now() < stopAt) {
      const ids = Array.from({ length: idsPerMutation }, () => nextId++);
      const sent = performance.now();
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { ids } }),
      });
      await response.arrayBuffer();
      if (sent >= started + WARMUP_MS) latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(gateways.flatMap((gateway) => Array.from({ length: callersPerReplica }, () => caller(gateway))));

  // Count by arrival at the simulator, in the steady window only.
  const windowStart = performance.timeOrigin + started + WARMUP_MS;
  const windowEnd = windowStart + MEASURE_MS;
  const calls = await simulator.calls();
  const inWindow = calls.filter((call) => call.arrivedAt >= windowStart && call.arrivedAt < windowEnd);
  const deleted = inWindow.reduce((sum, call) => sum + call.deleted.length, 0);
  const idsPerSecond = deleted / (MEASURE_MS / 1_000);
  const result: ThroughputRun = {
    idsPerMutation,
    callersPerReplica,
    idsPerSecond: round(idsPerSecond),
    ratioOfCeiling: round(idsPerSecond / CEILING_IDS_PER_SECOND, 3),
    callsPerSecond: round(inWindow.length / (MEASURE_MS / 1_000)),
    averageIdsPerCall: round(deleted / Math.max(1, inWindow.length)),
    maxCallsInAnySecond: await simulator.maxCallsInWindow(1_000),
    throttledCalls: calls.filter((call) => call.outcome !== 'Success').length,
    mutationLatencyMs: { p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)) },
  };

  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await agent.close();
  await simulator.close();
  return result;
}

interface LimiterCost {
  readonly reservations: number;
  readonly roundTripUs: { readonly p50: number; readonly p99: number; readonly mean: number };
  readonly clientCpuUsPerReservation: number;
  readonly redisUsPerScriptCall: number;
}

/** The reservation script, one call after another, on a schedule of its own. */
async function limiterCost(redisUrl: string): Promise<LimiterCost> {
  const redis = connectRedis(redisUrl);
  await new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  const key = scheduleKey('bench:', randomUUID(), 'cost:BatchDeleteCSR');
  const timing = { intervalMs: 105, freshStartGuardMs: 0, rememberMs: 60_000 };
  for (let i = 0; i < 200; i++) await reserveSlot(redis, key, Number.MAX_SAFE_INTEGER, timing);
  await redis.config('RESETSTAT');

  const roundTrips: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < RESERVATIONS; i++) {
    const sent = performance.now();
    // Every one reserves (the wait is accepted): the script's full path, GET and SET included.
    await reserveSlot(redis, key, Number.MAX_SAFE_INTEGER, timing);
    roundTrips.push((performance.now() - sent) * 1_000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const stats = await redis.info('commandstats');
  const scriptStats = /cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats);
  redis.disconnect();
  return {
    reservations: RESERVATIONS,
    roundTripUs: {
      p50: round(percentile(roundTrips, 0.5)),
      p99: round(percentile(roundTrips, 0.99)),
      mean: round(roundTrips.reduce((a, b) => a + b, 0) / roundTrips.length),
    },
    clientCpuUsPerReservation: round((cpu.user + cpu.system) / RESERVATIONS),
    redisUsPerScriptCall: Number(scriptStats?.[1] ?? Number.NaN),
  };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const redis = await startRedisServer();
try {
  const runs: ThroughputRun[] = [];
  for (const { idsPerMutation, callersPerReplica } of RUNS) {
    const run = await throughput(redis.url, idsPerMutation, callersPerReplica);
    runs.push(run);
    console.log(
      `3 replicas × ${callersPerReplica} callers, ${idsPerMutation}-ID mutations: ${run.idsPerSecond} IDs/s = ${run.ratioOfCeiling} of ${CEILING_IDS_PER_SECOND} ` +
        `(goal ≥ ${GOAL}: ${run.ratioOfCeiling >= GOAL ? 'met' : 'NOT met'}); ${run.callsPerSecond} calls/s, ` +
        `${run.averageIdsPerCall} IDs/call, max ${run.maxCallsInAnySecond} calls in any second, ${run.throttledCalls} throttled; ` +
        `mutation p50 ${run.mutationLatencyMs.p50} ms, p99 ${run.mutationLatencyMs.p99} ms`,
    );
  }
  const cost = await limiterCost(redis.url);
  console.log(
    `limiter cost per call: round trip p50 ${cost.roundTripUs.p50} µs, p99 ${cost.roundTripUs.p99} µs; ` +
      `client CPU ${cost.clientCpuUsPerReservation} µs; Redis ${cost.redisUsPerScriptCall} µs per script call`,
  );
  await mkdir(new URL('results/', import.meta.url), { recursive: true });
  await writeFile(
    new URL('results/replicas.json', import.meta.url),
    `${JSON.stringify(
      {
        benchmark: 'replicas',
        node: process.version,
        cpus: cpus().length,
        limit: LIMIT,
        ceilingIdsPerSecond: CEILING_IDS_PER_SECOND,
        goalRatio: GOAL,
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
        throughput: runs,
        goalMet: runs.every((run) => run.ratioOfCeiling >= GOAL),
        limiterCost: cost,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await redis.kill();
}
