/**
 * The replicas scenario's baseline: three copies of the baseline server, each with its own correct
 * 10 calls/s throttle — what scaling out looks like without a shared limit. Together they send
 * three times what Tencent allows; Tencent (the simulator) refuses the excess with
 * `RequestLimitExceeded`, and those callers get errors.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { BENCH_API_KEY, sendDelete, type MutationOutcome } from '../support/load.js';
import { RATE_LIMIT } from '../support/session.js';
import { summarizeLatency, sustainedIdsPerSecond, upstreamStats, type LatencySummary, type UpstreamStats } from '../support/stats.js';
import { startTarget } from '../support/target.js';
import { startSimulatorProcess } from '../../test/support/simulator-process.js';

const REPLICAS = 3;
const CALLERS_PER_REPLICA = 20;
/** A caller not answered this long after sending counts as "more than this". */
const MAX_WAIT_MS = 5_000;

export interface BaselineReplicas {
  readonly replicas: number;
  readonly callersPerReplica: number;
  readonly idsPerSecond: number;
  readonly upstream: UpstreamStats;
  /** Calls Tencent refused with `RequestLimitExceeded`. */
  readonly throttledCalls: number;
  readonly failedMutations: number;
  readonly latency: LatencySummary;
}

export async function measureBaselineReplicas(durationMs: number): Promise<BaselineReplicas> {
  const credentials = { secretId: 'AKIDBENCHREPLICAS00000000000000000000', secretKey: randomBytes(16).toString('hex') };
  const simulator = await startSimulatorProcess({ credentials, seed: { from: 1, to: 100_000 }, rateLimit: RATE_LIMIT });
  const endpoint = simulator.url;
  const targets = await Promise.all(
    Array.from({ length: REPLICAS }, () =>
      startTarget('baseline', {
        TENCENTCLOUD_SECRET_ID: credentials.secretId,
        TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
        TENCENTCLOUD_SSL_ENDPOINT: endpoint,
        TENCENTCLOUD_RATE_LIMIT: String(RATE_LIMIT),
        AUTH_API_KEYS: BENCH_API_KEY,
        LOG_LEVEL: 'warn',
      }),
    ),
  );
  try {
    let nextId = 1;
    const started = performance.now();
    const outcomes: MutationOutcome[] = [];
    // Closed loop: each caller sends its next 1-ID mutation when the last one is answered.
    const caller = async (url: string): Promise<void> => {
      while (performance.now() - started < durationMs) {
        outcomes.push(await sendDelete(url, [nextId++], performance.now(), AbortSignal.timeout(MAX_WAIT_MS)));
      }
    };
    await Promise.all(targets.flatMap((target) => Array.from({ length: CALLERS_PER_REPLICA }, () => caller(target.url))));
    const calls = await simulator.calls();
    return {
      replicas: REPLICAS,
      callersPerReplica: CALLERS_PER_REPLICA,
      idsPerSecond: sustainedIdsPerSecond(calls) ?? 0,
      upstream: upstreamStats(calls),
      throttledCalls: calls.filter((call) => call.outcome.startsWith('RequestLimitExceeded')).length,
      failedMutations: outcomes.filter((outcome) => outcome.failed > 0).length,
      latency: summarizeLatency(
        outcomes.map((outcome) => outcome.latencyMs),
        MAX_WAIT_MS,
      ),
    };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    await simulator.close();
  }
}
