/**
 * Throughput and latency against load: callers deleting 10 IDs each (a page of a list), arriving
 * open-loop at a fixed rate, from well under Tencent's ceiling to half again over it. Throughput is
 * the sustained rate at which the simulator deleted IDs while the load lasted; latency is timed
 * from when each mutation was due. Over the ceiling, latency grows with the queue, by design: the
 * limit is Tencent's, and the gateway waits rather than break it. The top rows are issue 3's
 * "saturation" figures; the rows feed the chart.
 */
import { loadTable } from '../support/format.js';
import { offeredLoadRow } from '../support/measure.js';
import { spacingMs } from '../../src/engine/limiter.js';
import { RATE_LIMIT, withSession } from '../support/session.js';
import type { Row } from '../support/stats.js';
import type { Scenario } from './types.js';

/** The gateway's in-process slot spacing at Tencent's limit: 100 IDs a slot is its ceiling. */
const SPACING_MS = spacingMs({ callsPerSecond: RATE_LIMIT });

const IDS_PER_MUTATION = 10;
/** A mutation not answered this long after it was due counts as "more than this". */
const MAX_WAIT_MS = 2_500;

export interface SweepPoint {
  readonly offeredIdsPerSecond: number;
  readonly row: Row;
}

export const loadSweepScenario: Scenario = {
  id: 'load-sweep',
  title: 'Throughput and latency against offered load',
  async run({ quick, progress }) {
    const loads = quick ? [250, 1_000, 1_500] : [100, 250, 500, 1_000, 1_500];
    const windowMs = quick ? 2_000 : 3_000;
    const points: SweepPoint[] = [];
    for (const offered of loads) {
      for (const kind of ['gateway', 'baseline'] as const) {
        progress.step(`load ${offered} IDs/s · ${kind}`);
        const row = await withSession(kind, (session) =>
          offeredLoadRow(session, { offeredIdsPerSecond: offered, idsPerMutation: IDS_PER_MUTATION, windowMs, maxWaitMs: MAX_WAIT_MS }),
        );
        points.push({ offeredIdsPerSecond: offered, row });
      }
    }
    const top = (target: Row['target']): Row | undefined => points.filter((point) => point.row.target === target).at(-1)?.row;
    const gatewayTop = top('gateway');
    const baselineTop = top('baseline');
    return {
      id: this.id,
      title: this.title,
      description:
        `Mutations of ${IDS_PER_MUTATION} IDs arriving open-loop for ${windowMs / 1_000} s at each offered rate; throughput is ` +
        `the sustained deletion rate at the simulator during the load, latency is from each mutation's due time ` +
        `(waiting stops after ${MAX_WAIT_MS / 1_000} s).`,
      status: 'ok',
      tables: [loadTable(points.map((point) => point.row))],
      notes: [
        `Under saturation (${loads.at(-1)?.toLocaleString('en-US')} IDs/s offered) the gateway sustained ` +
          `${gatewayTop?.idsPerSecond ?? '–'} IDs/s = ${gatewayTop?.fractionOfCeiling ?? '–'} of the 1,000 IDs/s ceiling ` +
          `(the ${SPACING_MS} ms spacing allows ${(100 / SPACING_MS).toFixed(3)}), at ${gatewayTop?.upstream?.meanIdsPerCall ?? '–'} IDs per call; the baseline ` +
          `${baselineTop?.idsPerSecond ?? '–'} IDs/s (one call per mutation).`,
      ],
      data: points,
    };
  },
};
