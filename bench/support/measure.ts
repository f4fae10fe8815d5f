/**
 * Turning one measurement into a table row: the callers' outcomes, the calls the simulator received
 * and the server process's figures.
 */
import { performance } from 'node:perf_hooks';
import type { CallRecord } from '../../src/simulator/simulator.js';
import { integer } from './format.js';
import { openLoop, sendDelete, type MutationOutcome } from './load.js';
import type { Session } from './session.js';
import { fractionOfCeiling, idsDeleted, round, summarizeLatency, sustainedIdsPerSecond, upstreamStats, type Row } from './stats.js';

export interface Measured {
  readonly case: string;
  readonly session: Session;
  /** The callers whose latency this row reports. */
  readonly outcomes: readonly MutationOutcome[];
  /** The calls this row's throughput counts (all of the session's by default). */
  readonly calls?: readonly CallRecord[];
  /** Throughput as IDs deleted over this span; `null` where throughput is not the point. */
  readonly throughputOverMs: number | null;
  /** Overrides the IDs-deleted-over-span throughput (e.g. a steady-state estimate). */
  readonly idsPerSecond?: number | null;
  readonly cutOffAfterMs?: number;
  readonly extra?: Row['extra'];
}

export async function measuredRow(measured: Measured): Promise<Row> {
  const { session } = measured;
  const calls = measured.calls ?? (await session.calls());
  const idsPerSecond =
    measured.idsPerSecond !== undefined
      ? measured.idsPerSecond
      : measured.throughputOverMs === null
        ? null
        : round(idsDeleted(calls) / (measured.throughputOverMs / 1_000), 1);
  return {
    case: measured.case,
    target: session.target.kind === 'baseline' ? 'baseline' : 'gateway',
    ...(session.auditStore ? { auditStore: session.auditStore } : {}),
    idsPerSecond,
    fractionOfCeiling: fractionOfCeiling(idsPerSecond),
    upstream: upstreamStats(calls),
    latency: summarizeLatency(
      measured.outcomes.map((outcome) => outcome.latencyMs),
      measured.cutOffAfterMs,
    ),
    process: await session.target.stats(),
    ...(measured.extra ? { extra: measured.extra } : {}),
  };
}

export interface OfferedLoad {
  readonly offeredIdsPerSecond: number;
  readonly idsPerMutation: number;
  readonly windowMs: number;
  /** A mutation not answered this long after it was due counts as "more than this". */
  readonly maxWaitMs: number;
  readonly extra?: Row['extra'];
}

/**
 * Mutations of fresh IDs sent open-loop at an offered rate for a window: the row's throughput is the
 * sustained rate at which the simulator deleted IDs while the load lasted (calls 2…n over the time
 * from call 1 to call n, free of the window's edges), its latency timed from each mutation's due time.
 */
export async function offeredLoadRow(session: Session, load: OfferedLoad): Promise<Row> {
  let nextId = 1;
  const startedAt = performance.timeOrigin + performance.now();
  const outcomes = await openLoop({
    perSecond: load.offeredIdsPerSecond / load.idsPerMutation,
    durationMs: load.windowMs,
    send: (_index, dueAt) => {
      const ids = Array.from({ length: load.idsPerMutation }, () => nextId++);
      return sendDelete(session.target.url, ids, dueAt, AbortSignal.timeout(load.maxWaitMs));
    },
  });
  const duringLoad = (await session.calls()).filter((call) => call.arrivedAt >= startedAt && call.arrivedAt <= startedAt + load.windowMs);
  return measuredRow({
    case: `${integer(load.offeredIdsPerSecond)} IDs/s offered`,
    session,
    outcomes,
    calls: duringLoad,
    throughputOverMs: load.windowMs,
    idsPerSecond: sustainedIdsPerSecond(duringLoad),
    cutOffAfterMs: load.maxWaitMs,
    ...(load.extra ? { extra: load.extra } : {}),
  });
}
