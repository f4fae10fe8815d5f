/**
 * Memory for pending IDs: 100,000 IDs submitted to the engine behind a limiter that lets nothing
 * more through, heap measured after a full GC before and after. Per pending ID it depends on how
 * the IDs come: each mutation carries fixed bookkeeping (its ticket, its deadline timer, its
 * promise), each ID a few bytes. The bound on the engine's heap is then
 * `MAX_PENDING_IDS × bytes per pending ID` of the worst shape, 1-ID mutations.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compiled } from '../support/build.js';
import { integer } from '../support/format.js';
import type { Scenario } from './types.js';

const ENTRY = compiled('bench/targets/memory.ts');
const TOTAL_IDS = 100_000;
const SHAPES = [1, 100, 10_000] as const;
/** The gateway's default bound on pending IDs (MAX_PENDING_IDS, src/config.ts). */
const DEFAULT_MAX_PENDING_IDS = 200_000;

export interface MemoryMeasurement {
  readonly submittedIds: number;
  readonly idsPerMutation: number;
  readonly mutations: number;
  readonly pendingIds: number;
  readonly heapBytesPerPendingId: number;
  readonly heapGrowthMb: number;
  readonly rssGrowthMb: number;
}

export const memoryScenario: Scenario = {
  id: 'memory',
  title: '100,000 pending IDs: memory held',
  async run({ progress }) {
    const measurements: MemoryMeasurement[] = [];
    for (const perMutation of SHAPES) {
      progress.step(`memory · 100,000 IDs as ${integer(TOTAL_IDS / perMutation)} mutations`);
      const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', ENTRY, String(TOTAL_IDS), String(perMutation)]);
      measurements.push(JSON.parse(stdout.trim()) as MemoryMeasurement);
    }
    const worst = Math.max(...measurements.map((measurement) => measurement.heapBytesPerPendingId));
    const boundMb = Math.round((worst * DEFAULT_MAX_PENDING_IDS) / 1e6);
    return {
      id: this.id,
      title: this.title,
      description:
        `${integer(TOTAL_IDS)} IDs submitted to the engine (all but the first call's 100 stay pending), heap after a full GC ` +
        'before and after, in a process of its own.',
      status: 'ok',
      tables: [
        {
          columns: ['IDs per mutation', 'mutations', 'pending IDs', 'heap per pending ID', 'heap growth', 'RSS growth'],
          rows: measurements.map((measurement) => [
            integer(measurement.idsPerMutation),
            integer(measurement.mutations),
            integer(measurement.pendingIds),
            `${integer(measurement.heapBytesPerPendingId)} B`,
            `${measurement.heapGrowthMb.toFixed(1)} MB`,
            `${measurement.rssGrowthMb.toFixed(1)} MB`,
          ]),
        },
      ],
      notes: [
        `Bound: at most ${integer(worst)} B of heap per pending ID (1-ID mutations; a few bytes per ID in large ones), so ` +
          `the default MAX_PENDING_IDS of ${integer(DEFAULT_MAX_PENDING_IDS)} bounds the engine's queue at ≈ ${boundMb} MB.`,
      ],
      data: { defaultMaxPendingIds: DEFAULT_MAX_PENDING_IDS, worstHeapBytesPerPendingId: worst, boundMb, measurements },
    };
  },
};
