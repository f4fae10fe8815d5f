/**
 * A 10,000-ID batch job, and interactive callers deleting one ID every 250 ms beside it. Their
 * latency is the point: a queue served first come, first served would make them wait for the whole
 * job (≈ 10 s). The gateway fills each call from callers in turn, so an interactive ID rides in the
 * next call; the baseline gives each interactive caller a whole call of its own, which the job then
 * lacks.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadTable } from '../support/format.js';
import { sendDelete, type MutationOutcome } from '../support/load.js';
import { measuredRow } from '../support/measure.js';
import { withSession } from '../support/session.js';
import { round, type Row } from '../support/stats.js';
import type { Scenario } from './types.js';

const JOB_IDS = 10_000;
const INTERACTIVE_EVERY_MS = 250;
/** Interactive IDs, well apart from the job's. */
const INTERACTIVE_IDS_FROM = 100_001;
/** How long an interactive caller is waited for (far beyond any fair answer). */
const INTERACTIVE_MAX_WAIT_MS = 10_000;

export const fairnessScenario: Scenario = {
  id: 'fairness',
  title: 'A 10,000-ID job with interactive callers beside it',
  async run({ quick, progress }) {
    const jobIds = quick ? 3_000 : JOB_IDS;
    const cutOffMs = quick ? 6_000 : 14_000;
    const rows: Row[] = [];
    for (const kind of ['gateway', 'baseline'] as const) {
      progress.step(`fairness · ${kind}`);
      rows.push(
        ...(await withSession(kind, async (session) => {
          const url = session.target.url;
          const start = performance.now();
          let jobAnswered = false;
          const job = sendDelete(url, ids(1, jobIds), start, AbortSignal.timeout(cutOffMs)).finally(() => {
            jobAnswered = true;
          });
          const interactive: Promise<MutationOutcome>[] = [];
          await sleep(INTERACTIVE_EVERY_MS);
          while (!jobAnswered && performance.now() - start < cutOffMs) {
            const id = INTERACTIVE_IDS_FROM + interactive.length;
            interactive.push(sendDelete(url, [id], performance.now(), AbortSignal.timeout(INTERACTIVE_MAX_WAIT_MS)));
            await sleep(INTERACTIVE_EVERY_MS);
          }
          const jobOutcome = await job;
          const interactiveOutcomes = await Promise.all(interactive);
          const jobMs = Number.isFinite(jobOutcome.latencyMs) ? jobOutcome.latencyMs : cutOffMs;
          const log = await session.calls();
          const jobDeleted = log.reduce((sum, call) => sum + call.deleted.filter((id) => id <= jobIds).length, 0);
          const carryingInteractive = log.filter((call) => call.ids.some((id) => id >= INTERACTIVE_IDS_FROM));
          return [
            await measuredRow({
              case: `job: ${jobIds.toLocaleString('en-US')} IDs in one mutation`,
              session,
              outcomes: [jobOutcome],
              throughputOverMs: jobMs,
              idsPerSecond: round(jobDeleted / (jobMs / 1_000), 1),
              cutOffAfterMs: cutOffMs,
              extra: { jobIdsDeleted: jobDeleted, jobAnsweredAfterMs: Number.isFinite(jobOutcome.latencyMs) ? round(jobMs, 0) : null },
            }),
            await measuredRow({
              case: `interactive: 1 ID every ${INTERACTIVE_EVERY_MS} ms`,
              session,
              outcomes: interactiveOutcomes,
              calls: carryingInteractive,
              throughputOverMs: null,
              cutOffAfterMs: INTERACTIVE_MAX_WAIT_MS,
            }),
          ];
        })),
      );
    }
    const [gatewayJob, gatewayInteractive, baselineJob, baselineInteractive] = rows as [Row, Row, Row, Row];
    const jobTime = (row: Row): string => {
      const ms = row.extra?.['jobAnsweredAfterMs'];
      return typeof ms === 'number' ? `${(ms / 1_000).toFixed(1)} s` : `more than ${cutOffMs / 1_000} s (cut off)`;
    };
    return {
      id: this.id,
      title: this.title,
      description:
        `One mutation of ${jobIds.toLocaleString('en-US')} IDs; from ${INTERACTIVE_EVERY_MS} ms after it, a 1-ID mutation every ` +
        `${INTERACTIVE_EVERY_MS} ms until the job is answered (or ${cutOffMs / 1_000} s pass). The interactive row's upstream ` +
        'figures are those of the calls that carried interactive IDs.',
      status: 'ok',
      tables: [loadTable(rows)],
      notes: [
        `Interactive p99: gateway ${gatewayInteractive.latency.p99Ms} ms, baseline ${baselineInteractive.latency.p99Ms} ms.`,
        `The job took ${jobTime(gatewayJob)} through the gateway (interactive IDs ride in its calls) and ${jobTime(baselineJob)} through the baseline (each interactive caller takes a whole call).`,
      ],
      data: rows,
    };
  },
};

function ids(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}
