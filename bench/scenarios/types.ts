/**
 * What a scenario is to bench/run.ts: a titled function that measures and returns its result —
 * machine-readable data (written to bench/results/<id>.json) and tables for people (printed, and
 * written into docs/benchmarks.md). A scenario that cannot run here says why instead of failing.
 */
import type { Progress } from '../support/progress.js';

export interface ScenarioContext {
  /** Shorter runs for trying the bench out; the figures are rougher. */
  readonly quick: boolean;
  readonly progress: Progress;
}

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  /** What was measured and how, in a sentence or two. */
  readonly description: string;
  readonly status: 'ok' | 'not-available';
  readonly tables: readonly Table[];
  /** Short findings and caveats, shown under the tables. */
  readonly notes: readonly string[];
  /** The machine-readable figures. */
  readonly data: unknown;
}

export interface Scenario {
  readonly id: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** One throughput run of bench/replicas.ts, as it writes it to bench/results/replicas.json. */
export interface ThroughputRun {
  readonly idsPerMutation: number;
  readonly callersPerReplica: number;
  readonly idsPerSecond: number;
  readonly ratioOfCeiling: number;
  readonly callsPerSecond: number;
  readonly averageIdsPerCall: number;
  readonly maxCallsInAnySecond: number;
  readonly throttledCalls: number;
  readonly mutationLatencyMs: { readonly p50: number; readonly p99: number };
}
