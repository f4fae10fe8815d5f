/**
 * The figures every scenario reports, and how they are computed from what was observed: the
 * callers' latencies (client side), the simulator's call log (what reached "Tencent", by arrival
 * time), and the server process's own probe.
 */
import type { CallRecord } from '../../src/simulator/simulator.js';

/** Tencent's ceiling: 10 calls/s × 100 IDs per call. */
export const CEILING_IDS_PER_SECOND = 1_000;

export interface LatencySummary {
  readonly mutations: number;
  readonly answered: number;
  /** `null` when the percentile falls among mutations not answered before the cut-off. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Set when the measurement stopped waiting: unanswered mutations count as "longer than this". */
  readonly cutOffAfterMs?: number;
}

export interface ProcessStats {
  /** The server process's peak resident set size over its life (one process per measurement). */
  readonly peakRssMb: number;
  /** CPU time (user + system) the process used since the measurement began. */
  readonly cpuMs?: number;
  /** `perf_hooks.monitorEventLoopDelay` over the measurement. */
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /**
   * The server process's CPU time (user + system) per HTTP request over the measurement: on a
   * machine shared with other work, steadier than requests per second.
   */
  readonly cpuMicrosPerRequest: number;
  /** The system (kernel) part of it: writes, syncs, sockets. */
  readonly cpuSystemMicrosPerRequest?: number;
}

export interface UpstreamStats {
  readonly calls: number;
  readonly meanIdsPerCall: number;
  /** The most calls that arrived within any sliding second (the limit is 10). */
  readonly maxCallsPerSlidingSecond: number;
  /** Answers other than Success (none are expected: the bench injects no faults). */
  readonly failedCalls: number;
}

/** One line of a scenario's table: one target under one load. */
export interface Row {
  readonly case: string;
  readonly target: 'gateway' | 'baseline';
  /** The gateway's audit store (Session.auditStore), named beside it in every table. */
  readonly auditStore?: string;
  /** IDs deleted per second over the measurement; `null` where throughput is not the point. */
  readonly idsPerSecond: number | null;
  readonly fractionOfCeiling: number | null;
  readonly upstream: UpstreamStats | null;
  readonly latency: LatencySummary;
  readonly process: ProcessStats | null;
  /** Anything else worth a number, by name (shown in the notes under the table). */
  readonly extra?: Readonly<Record<string, number | string | null>>;
}

/**
 * Latency percentiles; `Infinity` marks a mutation that was not answered before the cut-off, so a
 * percentile landing there is reported as `null` ("more than the cut-off") rather than flattered.
 */
export function summarizeLatency(samplesMs: readonly number[], cutOffAfterMs?: number): LatencySummary {
  const answered = samplesMs.filter(Number.isFinite).length;
  return {
    mutations: samplesMs.length,
    answered,
    p50Ms: percentileMs(samplesMs, 50),
    p99Ms: percentileMs(samplesMs, 99),
    ...(answered < samplesMs.length && cutOffAfterMs !== undefined ? { cutOffAfterMs } : {}),
  };
}

/** The `p`th percentile (nearest rank); `null` when there are none, or it falls among the unanswered (`Infinity`). */
export function percentileMs(samplesMs: readonly number[], p: number): number | null {
  if (samplesMs.length === 0) return null;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
  return Number.isFinite(value) ? round(value, 1) : null;
}

export function upstreamStats(calls: readonly CallRecord[]): UpstreamStats {
  const ids = calls.reduce((sum, call) => sum + call.ids.length, 0);
  return {
    calls: calls.length,
    meanIdsPerCall: calls.length > 0 ? round(ids / calls.length, 1) : 0,
    maxCallsPerSlidingSecond: maxInSlidingWindow(calls.map((call) => call.arrivedAt), 1_000),
    failedCalls: calls.filter((call) => call.outcome !== 'Success').length,
  };
}

/** IDs the simulator deleted in these calls (those `counted`, when given). */
export function idsDeleted(calls: readonly CallRecord[], counted?: (id: number) => boolean): number {
  return calls.reduce((sum, call) => sum + (counted ? call.deleted.filter(counted).length : call.deleted.length), 0);
}

/**
 * The sustained deletion rate of a steady stream of calls: the IDs each call carried were gathered
 * in the gap before it, so the IDs of calls 2..n over the time from call 1 to call n. Unlike "IDs in
 * a window / window", it has no edge error of ±1 call (±3.5 % over 3 s at 9.5 calls/s). With
 * `counted`, only those IDs (one caller's among others riding the same calls).
 */
export function sustainedIdsPerSecond(calls: readonly CallRecord[], counted?: (id: number) => boolean): number | null {
  const ordered = [...calls].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const first = ordered[0];
  const last = ordered.at(-1);
  if (!first || !last || last === first) return null;
  const ids = idsDeleted(ordered.slice(1), counted);
  return round(ids / ((last.arrivedAt - first.arrivedAt) / 1_000), 1);
}

export function fractionOfCeiling(idsPerSecond: number | null): number | null {
  return idsPerSecond === null ? null : round(idsPerSecond / CEILING_IDS_PER_SECOND, 3);
}

export function maxInSlidingWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
