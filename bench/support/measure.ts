/**
 * Turning one measurement into a table row: the callers' outcomes, the calls the simulator received
 * and the server process's figures.
 */
import type { CallRecord } from '../../src/simulator/simulator.js';
import type { MutationOutcome } from './load.js';
import type { Session } from './session.js';
import { fractionOfCeiling, idsDeleted, round, summarizeLatency, upstreamStats, type Row } from './stats.js';

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
