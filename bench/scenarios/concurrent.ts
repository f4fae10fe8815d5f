/**
 * 1,000 callers, each deleting one ID, all at once: the case the gateway exists for. It merges them
 * into full 100-ID calls (≈ 11 calls, ≈ 1 s); the baseline makes one call per caller, 1,000 calls at
 * 10 a second, so its last caller would wait ≈ 105 s. The bench stops waiting at the cut-off and
 * reports the percentiles it could not see as "> cut-off".
 */
import { performance } from 'node:perf_hooks';
import { loadTable } from '../support/format.js';
import { sendDelete } from '../support/load.js';
import { measuredRow } from '../support/measure.js';
import { withSession } from '../support/session.js';
import { round, type Row } from '../support/stats.js';
import type { Scenario } from './types.js';

const CALLERS = 1_000;

export const concurrentScenario: Scenario = {
  id: 'concurrent-1000',
  title: '1,000 concurrent 1-ID callers',
  async run({ quick, progress }) {
    const cutOffMs = quick ? 3_000 : 6_000;
    const rows: Row[] = [];
    for (const kind of ['gateway', 'baseline'] as const) {
      progress.step(`1,000 concurrent callers · ${kind}`);
      rows.push(
        await withSession(kind, async (session) => {
          const start = performance.now();
          const outcomes = await Promise.all(
            Array.from({ length: CALLERS }, (_, i) => sendDelete(session.target.url, [1 + i], start, AbortSignal.timeout(cutOffMs))),
          );
          const answered = outcomes.filter((outcome) => Number.isFinite(outcome.latencyMs));
          const lastAnswerMs = Math.max(...answered.map((outcome) => outcome.latencyMs));
          const allAnswered = answered.length === CALLERS;
          const callsPerSecond = (await session.calls()).length / ((allAnswered ? lastAnswerMs : cutOffMs) / 1_000);
          return measuredRow({
            case: `${CALLERS.toLocaleString('en-US')} × 1 ID, at once`,
            session,
            outcomes,
            throughputOverMs: allAnswered ? lastAnswerMs : cutOffMs,
            cutOffAfterMs: cutOffMs,
            extra: {
              allAnsweredAfterMs: allAnswered ? round(lastAnswerMs, 0) : null,
              // At the rate it reached, how long the baseline would need for everyone.
              projectedAllAnsweredAfterMs: allAnswered ? round(lastAnswerMs, 0) : round((CALLERS / callsPerSecond) * 1_000, 0),
            },
          });
        }),
      );
    }
    const [gateway, baseline] = rows as [Row, Row];
    const projected = Number(baseline.extra?.['projectedAllAnsweredAfterMs'] ?? NaN);
    return {
      id: this.id,
      title: this.title,
      description: `${CALLERS.toLocaleString('en-US')} mutations of 1 ID each, sent at the same moment over ${CALLERS.toLocaleString('en-US')} connections; waiting stops ${cutOffMs / 1_000} s after sending.`,
      status: 'ok',
      tables: [loadTable(rows)],
      notes: [
        `Gateway: every caller answered after ${((Number(gateway.extra?.['allAnsweredAfterMs']) || NaN) / 1_000).toFixed(2)} s in ${gateway.upstream?.calls} upstream calls.`,
        `Baseline: ${baseline.latency.answered} of ${CALLERS.toLocaleString('en-US')} answered within the cut-off; at its rate the last caller would wait ≈ ${(projected / 1_000).toFixed(0)} s.`,
      ],
      data: rows,
    };
  },
};
