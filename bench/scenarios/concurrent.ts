/**
 * 1,000 callers, each deleting one ID, all at once: the case the gateway exists for. It merges them
 * into full 100-ID calls (≈ 11 calls, ≈ 1 s); the baseline makes one call per caller, 1,000 calls at
 * 10 a second, so its last caller would wait ≈ 105 s. The bench stops waiting at the cut-off and
 * reports the percentiles it could not see as "> cut-off".
 *
 * It is also the edge's burst: 1,000 connections at once. The gateway's event-loop delay p99 over
 * the measurement is the figure for issue 14's goal (≤ 20 ms), on the median of three rounds, each on
 * a fresh gateway process and simulator (one round moves by some milliseconds with the machine).
 *
 * As deployed (issue 22): three rounds each with the audit trail in the embedded journal and in
 * PostgreSQL, one each with tracing on beside either, and one with the audit off as a reference
 * (bench/support/deployments.ts); every row names its configuration.
 */
import { performance } from 'node:perf_hooks';
import { loadTable } from '../support/format.js';
import { sendDelete } from '../support/load.js';
import { measuredRow } from '../support/measure.js';
import { withDeployments, type Deployment } from '../support/deployments.js';
import { withSession } from '../support/session.js';
import { round, type Row } from '../support/stats.js';
import type { Scenario } from './types.js';

const CALLERS = 1_000;
const GATEWAY_ROUNDS = 3;
/** Measured in GATEWAY_ROUNDS rounds each (the loop-delay goal is on their median round); the rest once. */
const ROUNDED: readonly Deployment[] = ['journal', 'PostgreSQL'];
const ONCE: readonly Deployment[] = ['journal + tracing', 'PostgreSQL + tracing', 'audit off (reference)'];
/** Event-loop delay p99 under the burst, in the median round (issue 14). */
const LOOP_DELAY_GOAL_MS = 20;

export const concurrentScenario: Scenario = {
  id: 'concurrent-1000',
  title: '1,000 concurrent 1-ID callers',
  async run({ quick, progress }) {
    const cutOffMs = quick ? 3_000 : 6_000;
    const rows: Row[] = [];
    await withDeployments(async (resources) => {
      const rounded = resources.available(ROUNDED);
      const runs = [
        // Round by round through the configurations, so that a change in the machine's load reaches them alike.
        ...Array.from({ length: GATEWAY_ROUNDS }, (_, i) =>
          rounded.map((deployment) => ({ kind: 'gateway' as const, deployment, label: `, ${deployment} (round ${i + 1})` })),
        ).flat(),
        ...resources.available(ONCE).map((deployment) => ({ kind: 'gateway' as const, deployment, label: `, ${deployment}` })),
        { kind: 'baseline' as const, deployment: undefined, label: '' },
      ];
      for (const { kind, deployment, label } of runs) {
        progress.step(`1,000 concurrent callers · ${kind}${label}`);
        rows.push(
          await withSession(
            kind,
            async (session) => {
              const start = performance.now();
              const outcomes = await Promise.all(
                Array.from({ length: CALLERS }, (_, i) => sendDelete(session.target.url, [1 + i], start, AbortSignal.timeout(cutOffMs))),
              );
              const answered = outcomes.filter((outcome) => Number.isFinite(outcome.latencyMs));
              const lastAnswerMs = Math.max(...answered.map((outcome) => outcome.latencyMs));
              const allAnswered = answered.length === CALLERS;
              const callsPerSecond = (await session.calls()).length / ((allAnswered ? lastAnswerMs : cutOffMs) / 1_000);
              return measuredRow({
                case: `${CALLERS.toLocaleString('en-US')} × 1 ID, at once${label}`,
                session,
                outcomes,
                throughputOverMs: allAnswered ? lastAnswerMs : cutOffMs,
                cutOffAfterMs: cutOffMs,
                extra: {
                  ...(deployment ? { deployment } : {}),
                  allAnsweredAfterMs: allAnswered ? round(lastAnswerMs, 0) : null,
                  // At the rate it reached, how long the baseline would need for everyone.
                  projectedAllAnsweredAfterMs: allAnswered ? round(lastAnswerMs, 0) : round((CALLERS / callsPerSecond) * 1_000, 0),
                },
              });
            },
            deployment ? { env: resources.env(deployment) } : {},
          ),
        );
      }
    });
    const baseline = rows.find((row) => row.target === 'baseline') as Row;
    const roundsOf = (deployment: Deployment): Row[] =>
      rows.filter((row) => row.extra?.['deployment'] === deployment && String(row.case).includes('(round'));
    const medianLoopDelayOf = (deployment: Deployment): number => {
      const delays = roundsOf(deployment)
        .map((row) => row.process?.eventLoopDelayMs.p99 ?? Infinity)
        .sort((a, b) => a - b);
      return delays[Math.floor(delays.length / 2)] ?? Infinity;
    };
    const measuredRounded = ROUNDED.filter((deployment) => roundsOf(deployment).length > 0);
    const projected = Number(baseline.extra?.['projectedAllAnsweredAfterMs'] ?? NaN);
    return {
      id: this.id,
      title: this.title,
      description:
        `${CALLERS.toLocaleString('en-US')} mutations of 1 ID each, sent at the same moment over ${CALLERS.toLocaleString('en-US')} connections; ` +
        `waiting stops ${cutOffMs / 1_000} s after sending. Each gateway row names its configuration: the audit trail in the ` +
        'embedded journal on disk (a fresh directory) or PostgreSQL on the machine (a fresh database), tracing on where it says ' +
        'so (OTLP to a receiver in the bench process); "audit off" is a reference only.',
      status: 'ok',
      tables: [loadTable(rows)],
      notes: [
        ...measuredRounded.map((deployment) => {
          const gatewayRows = roundsOf(deployment);
          const answeredAfter = gatewayRows.map((row) => ((Number(row.extra?.['allAnsweredAfterMs']) || NaN) / 1_000).toFixed(2));
          const medianLoopDelay = medianLoopDelayOf(deployment);
          return (
            `Gateway, ${deployment}: every caller answered after ${answeredAfter.join(' / ')} s in ` +
            `${gatewayRows.map((row) => row.upstream?.calls).join(' / ')} upstream calls (rounds 1 / 2 / 3); event-loop delay p99 ` +
            `under the burst, median round: ${medianLoopDelay.toFixed(1)} ms (goal ≤ ${LOOP_DELAY_GOAL_MS} ms: ${medianLoopDelay <= LOOP_DELAY_GOAL_MS ? 'met' : 'not met'}).`
          );
        }),
        `Baseline: ${baseline.latency.answered} of ${CALLERS.toLocaleString('en-US')} answered within the cut-off; at its rate the last caller would wait ≈ ${(projected / 1_000).toFixed(0)} s.`,
      ],
      data: rows,
    };
  },
};
