/**
 * Three gateway replicas sharing the rate limit through Redis. The gateway's measurement is
 * `bench/replicas.ts` (the shared-limit work, issue 6): it runs on its own (`npx tsx
 * bench/replicas.ts`), prints its figures and writes `bench/results/replicas.json`. This module
 * runs it as one more scenario, shows that JSON (its `throughput` runs as table rows; any other
 * shape as a list of its top-level figures), and measures the baseline beside it: three baseline
 * servers, each throttled on its own. Without bench/replicas.ts the scenario says so instead of
 * failing the run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { duration, integer } from '../support/format.js';
import { measureBaselineReplicas, type BaselineReplicas } from './replicas-baseline.js';
import type { Scenario, ScenarioResult, Table, ThroughputRun } from './types.js';

const MODULE = fileURLToPath(new URL('../replicas.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/replicas.json', import.meta.url));
/** Far beyond what a scenario of this bench may take; a hung child must not hang the run. */
const LIMIT_MS = 120_000;

export const replicasScenario: Scenario = {
  // Not `replicas`: bench/results/replicas.json is bench/replicas.ts's own file.
  id: 'three-replicas',
  title: 'Three replicas sharing the limit through Redis',
  async run({ quick, progress }): Promise<ScenarioResult> {
    const base = { id: this.id, title: this.title };
    if (!existsSync(MODULE)) {
      return {
        ...base,
        description: 'Measured by bench/replicas.ts (the Redis-shared limiter, issue 6).',
        status: 'not-available',
        tables: [],
        notes: ['Not available yet: bench/replicas.ts is not in this checkout.'],
        data: null,
      };
    }
    // Quick runs reuse bench/replicas.ts's last results rather than spend its ~40 s.
    const reuse = quick && existsSync(RESULTS);
    if (!reuse) {
      progress.step('three replicas with Redis (bench/replicas.ts)');
      await runModule();
    }
    const figures = JSON.parse(await readFile(RESULTS, 'utf8')) as Record<string, unknown>;
    progress.step('three replicas · baseline');
    const baseline = await measureBaselineReplicas(quick ? 3_000 : 5_000);
    const runs = Array.isArray(figures['throughput']) && figures['throughput'].every(isThroughputRun) ? figures['throughput'] : undefined;
    const tables = runs ? [replicasTable(runs, baseline)] : [scalarTable(figures), replicasTable([], baseline)];
    return {
      ...base,
      description:
        'Three gateway processes (`src/main.ts`) sharing one SecretId through Redis, saturated by closed-loop callers, measured ' +
        'by bench/replicas.ts; beside them three baseline servers, each with its own correct 10 calls/s throttle, under ' +
        `${baseline.callersPerReplica} closed-loop 1-ID callers each. "max calls/s" is the most calls that reached the ` +
        'simulator in any sliding second (Tencent allows 10).',
      status: 'ok',
      tables,
      notes: [
        ...(reuse ? ['Quick run: the gateway rows are bench/replicas.ts\'s last results, not measured now.'] : []),
        `Baseline: together the replicas sent up to ${baseline.upstream.maxCallsPerSlidingSecond} calls in a second; Tencent refused ` +
          `${integer(baseline.throttledCalls)} of ${integer(baseline.upstream.calls)} with RequestLimitExceeded, and ` +
          `${integer(baseline.failedMutations)} mutations failed.`,
      ],
      data: { gateway: figures, baseline },
    };
  },
};

function isThroughputRun(value: unknown): value is ThroughputRun {
  return typeof value === 'object' && value !== null && 'idsPerSecond' in value && 'mutationLatencyMs' in value;
}

function replicasTable(runs: readonly ThroughputRun[], baseline: BaselineReplicas): Table {
  return {
    columns: ['case', 'target', 'IDs/s', 'of 1,000', 'IDs/call', 'max calls/s', 'throttled calls', 'p50', 'p99'],
    rows: [
      ...runs.map((run) => [
        `3 replicas × ${run.callersPerReplica} callers × ${run.idsPerMutation} ID${run.idsPerMutation === 1 ? '' : 's'}, Redis`,
        'gateway',
        integer(run.idsPerSecond),
        run.ratioOfCeiling.toFixed(3),
        run.averageIdsPerCall.toFixed(1),
        String(run.maxCallsInAnySecond),
        integer(run.throttledCalls),
        duration(run.mutationLatencyMs.p50),
        duration(run.mutationLatencyMs.p99),
      ]),
      [
        `3 replicas × ${baseline.callersPerReplica} callers × 1 ID, each throttled alone`,
        'baseline',
        integer(baseline.idsPerSecond),
        (baseline.idsPerSecond / 1_000).toFixed(3),
        baseline.upstream.meanIdsPerCall.toFixed(1),
        String(baseline.upstream.maxCallsPerSlidingSecond),
        integer(baseline.throttledCalls),
        baseline.latency.p50Ms === null ? '–' : duration(baseline.latency.p50Ms),
        baseline.latency.p99Ms === null ? '–' : duration(baseline.latency.p99Ms),
      ],
    ],
  };
}

function runModule(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own printout goes to stderr, beside the progress line: stdout is the bench's table.
    const child = spawn(process.execPath, ['--import', 'tsx', MODULE], { stdio: ['ignore', process.stderr, 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`bench/replicas.ts failed (exit code ${code}, signal ${signal})`));
    });
  });
}

/** Top-level numbers and strings (and those one object down) as "figure | value" lines. */
function scalarTable(figures: Record<string, unknown>): Table {
  const rows: string[][] = [];
  const add = (prefix: string, value: unknown): void => {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') rows.push([prefix, String(value)]);
  };
  for (const [key, value] of Object.entries(figures)) {
    if (key === 'description') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) add(`${key}.${inner}`, innerValue);
    } else add(key, value);
  }
  return { columns: ['figure', 'value'], rows };
}
