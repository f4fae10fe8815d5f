/** The chart of docs/benchmarks.md: throughput and latency against offered load, gateway beside baseline. */
import type { SweepPoint } from '../scenarios/load-sweep.js';
import { CEILING_IDS_PER_SECOND } from './stats.js';
import { renderChart, type Point, type Series } from './svg-chart.js';

const COLORS = { gateway: '#2563eb', baseline: '#ea580c' } as const;

export function loadChart(points: readonly SweepPoint[], spacingMs: number): string {
  const of = (target: 'gateway' | 'baseline'): SweepPoint[] => points.filter((point) => point.row.target === target);
  const throughput = (target: 'gateway' | 'baseline'): Series => ({
    name: target,
    color: COLORS[target],
    points: of(target).map((point) => ({ x: point.offeredIdsPerSecond, y: point.row.idsPerSecond ?? 0 })),
  });
  const latency = (target: 'gateway' | 'baseline', percentile: 'p50Ms' | 'p99Ms'): Series => ({
    name: percentile === 'p50Ms' ? target : `${target} p99`,
    color: COLORS[target],
    dashed: percentile === 'p99Ms',
    points: of(target).map((point): Point => {
      const value = point.row.latency[percentile];
      return value === null
        ? { x: point.offeredIdsPerSecond, y: point.row.latency.cutOffAfterMs ?? 0, censored: true }
        : { x: point.offeredIdsPerSecond, y: Math.max(1, value) };
    }),
  });
  const spacingCeiling = Math.round((1_000 / spacingMs) * 100);
  return renderChart('batchDeleteCSRs against the simulator at 10 calls/s, 100 IDs/call', [
    {
      title: 'Throughput (IDs deleted per second)',
      xLabel: 'offered load (IDs/s, in 10-ID mutations)',
      yLabel: 'IDs/s',
      series: [throughput('gateway'), throughput('baseline')],
      references: [
        { y: CEILING_IDS_PER_SECOND, label: `Tencent's ceiling ${CEILING_IDS_PER_SECOND.toLocaleString('en-US')}` },
        { y: spacingCeiling, label: `${spacingMs} ms spacing ${spacingCeiling}` },
      ],
    },
    {
      title: 'Mutation latency, p50 (solid) and p99 (dashed)',
      xLabel: 'offered load (IDs/s, in 10-ID mutations)',
      yLabel: 'ms (log scale)',
      yLog: true,
      series: [latency('gateway', 'p50Ms'), latency('gateway', 'p99Ms'), latency('baseline', 'p50Ms'), latency('baseline', 'p99Ms')],
    },
  ]);
}
