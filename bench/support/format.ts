/** Figures as people read them: the load scenarios' shared table, and number formatting. */
import type { Table } from '../scenarios/types.js';
import type { LatencySummary, Row } from './stats.js';

export const LOAD_COLUMNS = [
  'case',
  'target',
  'IDs/s',
  'of 1,000',
  'upstream calls',
  'IDs/call',
  'p50',
  'p99',
  'answered',
  'peak RSS',
  'loop delay p99',
] as const;

export function loadTable(rows: readonly Row[]): Table {
  return {
    columns: LOAD_COLUMNS,
    rows: rows.map((row) => [
      row.case,
      row.auditStore ? `${row.target}, ${row.auditStore}` : row.target,
      row.idsPerSecond === null ? '–' : integer(row.idsPerSecond),
      row.fractionOfCeiling === null ? '–' : row.fractionOfCeiling.toFixed(3),
      row.upstream ? integer(row.upstream.calls) : '–',
      row.upstream ? row.upstream.meanIdsPerCall.toFixed(1) : '–',
      latency(row.latency.p50Ms, row.latency),
      latency(row.latency.p99Ms, row.latency),
      `${integer(row.latency.answered)}/${integer(row.latency.mutations)}`,
      row.process ? `${row.process.peakRssMb.toFixed(0)} MB` : '–',
      row.process ? `${row.process.eventLoopDelayMs.p99.toFixed(1)} ms` : '–',
    ]),
  };
}

/** A latency, or "> cut-off" where the percentile fell among unanswered mutations. */
export function latency(ms: number | null, summary: LatencySummary): string {
  if (ms === null) return summary.cutOffAfterMs === undefined ? '–' : `> ${duration(summary.cutOffAfterMs)}`;
  return duration(ms);
}

export function duration(ms: number): string {
  // autocannon times in whole milliseconds: 0 means under one.
  if (ms === 0) return '< 1 ms';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1_000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
