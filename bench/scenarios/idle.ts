/**
 * Idle: one 1-ID mutation at a time, with a pause longer than the rate-limit spacing between them,
 * so the limiter is always free. What is left is what each path adds to a lone caller's latency:
 * the gateway goes out in the tick the mutation arrives (no batching delay), like the baseline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadTable } from '../support/format.js';
import { sendDelete } from '../support/load.js';
import { measuredRow } from '../support/measure.js';
import { withSession } from '../support/session.js';
import type { Row } from '../support/stats.js';
import type { Scenario } from './types.js';

/** Longer than the gateway's slot spacing (about 100 ms): each mutation finds the limiter free. */
const PAUSE_MS = 150;

export const idleScenario: Scenario = {
  id: 'idle',
  title: 'Idle: a lone 1-ID mutation',
  async run({ quick, progress }) {
    const mutations = quick ? 10 : 20;
    const rows: Row[] = [];
    for (const kind of ['gateway', 'baseline'] as const) {
      progress.step(`idle · ${kind}`);
      rows.push(
        await withSession(kind, async (session) => {
          const outcomes = [];
          for (let i = 0; i < mutations; i++) {
            outcomes.push(await sendDelete(session.target.url, [1 + i]));
            await sleep(PAUSE_MS);
          }
          return measuredRow({ case: `${mutations} × 1 ID, one at a time`, session, outcomes, throughputOverMs: null });
        }),
      );
    }
    const [gateway, baseline] = rows as [Row, Row];
    return {
      id: this.id,
      title: this.title,
      description: `${mutations} sequential 1-ID mutations, ${PAUSE_MS} ms apart (the limiter is always free); latency as the caller sees it, over loopback HTTP.`,
      status: 'ok',
      tables: [loadTable(rows)],
      notes: [
        `p50: gateway ${gateway.latency.p50Ms} ms, baseline ${baseline.latency.p50Ms} ms — the gateway adds no batching delay at idle.`,
      ],
      data: rows,
    };
  },
};
