/**
 * A 100,000-ID deletion job (`startCSRDeletion`, issue 20) with interactive callers beside it: the
 * job's throughput against Tencent's ceiling (1,000 IDs/s), and the interactive callers' latency
 * beside it against their latency without it, on the same gateway process.
 *
 * The job runs in the gateway's job runner, which feeds it to the engine as submissions of 100 IDs,
 * 1.5 s of calls in flight (src/jobs/runner.ts): it shares the rate limit and the engine's fair
 * rotation with interactive mutations, so an interactive ID rides the next call — the job should run
 * at the ceiling less those riders, and an interactive caller wait about one slot more than alone.
 *
 * The job store is PostgreSQL (`DATABASE_URL`, a fresh database on the machine's server), as a
 * deployment with replicas has it; with it the audit trail is in PostgreSQL too, for both phases.
 * Without a reachable PostgreSQL the scenario says so instead of failing the run.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { freshDatabase, type TestDatabase } from '../../test/integration/audit/support/postgres.js';
import { loadTable } from '../support/format.js';
import { BENCH_API_KEY, sendDelete, type MutationOutcome } from '../support/load.js';
import { measuredRow } from '../support/measure.js';
import { withSession, type Session } from '../support/session.js';
import { CEILING_IDS_PER_SECOND, idsDeleted, percentileMs, round, sustainedIdsPerSecond, type Row } from '../support/stats.js';
import type { Scenario, ScenarioResult } from './types.js';

const JOB_IDS = 100_000;
const INTERACTIVE_EVERY_MS = 250;
/** Interactive IDs: without the job from here, beside it from `+ 10,000`; well apart from the job's 1–100,000. */
const INTERACTIVE_IDS_FROM = 200_001;
const INTERACTIVE_MAX_WAIT_MS = 10_000;
/** How long the job is waited for: 100,000 IDs at 1,000 IDs/s is 100 s. */
const JOB_MAX_MS = 300_000;

export const deletionJobScenario: Scenario = {
  id: 'deletion-job',
  title: 'A 100,000-ID deletion job with interactive callers beside it',
  async run({ quick, progress }): Promise<ScenarioResult> {
    const base = { id: this.id, title: this.title };
    const jobIds = quick ? 20_000 : JOB_IDS;
    const aloneMs = quick ? 10_000 : 30_000;
    let database: TestDatabase;
    try {
      database = await freshDatabase();
    } catch (error) {
      return {
        ...base,
        description: 'Needs PostgreSQL (the job store) on 127.0.0.1:5432, or TEST_POSTGRES_URL.',
        status: 'not-available',
        tables: [],
        notes: [`Not available: PostgreSQL could not be reached (${(error as Error).message}).`],
        data: null,
      };
    }
    try {
      progress.step(`deletion job · interactive callers alone (${aloneMs / 1_000} s)`);
      return await withSession(
        'gateway',
        async (session) => {
          const url = session.target.url;
          // Phase 1: the interactive callers alone.
          const aloneStart = performance.now();
          const alone = await interactiveWhile(url, INTERACTIVE_IDS_FROM, () => performance.now() - aloneStart < aloneMs);
          const aloneRow = await measuredRow({
            case: `interactive: 1 ID every ${INTERACTIVE_EVERY_MS} ms, no job`,
            session,
            outcomes: alone,
            calls: await callsCarrying(session, (id) => id >= INTERACTIVE_IDS_FROM && id < INTERACTIVE_IDS_FROM + 10_000),
            throughputOverMs: null,
            cutOffAfterMs: INTERACTIVE_MAX_WAIT_MS,
          });

          // Phase 2: the job, and the same callers beside it until it is finished.
          progress.step(`deletion job · ${jobIds.toLocaleString('en-US')} IDs with interactive callers beside it`);
          const jobStart = performance.now();
          const jobId = await startJob(url, range(1, jobIds));
          let finished: JobSnapshot | undefined;
          const watcher = (async () => {
            while (!finished && performance.now() - jobStart < JOB_MAX_MS) {
              await sleep(500);
              const job = await readJob(url, jobId);
              if (job.status === 'COMPLETED' || job.status === 'CANCELLED') finished = job;
            }
          })();
          const beside = await interactiveWhile(url, INTERACTIVE_IDS_FROM + 10_000, () => !finished && performance.now() - jobStart < JOB_MAX_MS);
          await watcher;
          const jobMs = performance.now() - jobStart;
          const all = await session.calls();
          const jobCalls = all.filter((call) => call.ids.some((id) => id <= jobIds));
          const sustained = sustainedIdsPerSecond(jobCalls, (id) => id <= jobIds);
          const jobDeleted = idsDeleted(jobCalls, (id) => id <= jobIds);
          const jobRow = await measuredRow({
            case: `job: ${jobIds.toLocaleString('en-US')} IDs (startCSRDeletion)`,
            session,
            outcomes: [{ latencyMs: finished ? jobMs : Infinity, deleted: jobDeleted, failed: jobIds - jobDeleted }],
            calls: jobCalls,
            throughputOverMs: null,
            idsPerSecond: sustained,
            cutOffAfterMs: JOB_MAX_MS,
            extra: {
              status: finished?.status ?? 'not finished',
              jobIdsDeleted: jobDeleted,
              wallClockSeconds: round(jobMs / 1_000, 1),
              wallClockIdsPerSecond: round(jobDeleted / (jobMs / 1_000), 1),
            },
          });
          const besideRow = await measuredRow({
            case: `interactive: 1 ID every ${INTERACTIVE_EVERY_MS} ms, beside the job`,
            session,
            outcomes: beside,
            calls: await callsCarrying(session, (id) => id >= INTERACTIVE_IDS_FROM + 10_000),
            throughputOverMs: null,
            cutOffAfterMs: INTERACTIVE_MAX_WAIT_MS,
          });
          const p95 = (outcomes: readonly MutationOutcome[]): number | null => percentileMs(outcomes.map((each) => each.latencyMs), 95);
          const aloneP95 = p95(alone);
          const besideP95 = p95(beside);
          const rows: Row[] = [jobRow, aloneRow, besideRow];
          return {
            ...base,
            description:
              `One \`startCSRDeletion\` of ${jobIds.toLocaleString('en-US')} IDs on a gateway whose job store is PostgreSQL; beside it, ` +
              `a 1-ID \`batchDeleteCSRs\` every ${INTERACTIVE_EVERY_MS} ms until the job is finished. Before it, the same callers for ` +
              `${aloneMs / 1_000} s without the job, on the same process. The job's IDs/s is its sustained rate (its IDs deleted in its ` +
              'calls 2…n over the time from its first call to its last, by arrival at the simulator); the interactive rows\' upstream ' +
              'figures are those of the calls that carried interactive IDs.',
            status: 'ok',
            tables: [loadTable(rows), p95Table(aloneP95, besideP95, alone.length, beside.length)],
            notes: [
              `The job: ${finished?.status ?? 'not finished'} after ${(jobMs / 1_000).toFixed(1)} s; sustained ${sustained ?? '–'} IDs/s = ` +
                `${sustained === null ? '–' : (sustained / CEILING_IDS_PER_SECOND).toFixed(3)} of the ceiling (goal ≥ 0.95), ` +
                `${round(jobDeleted / (jobMs / 1_000), 1)} IDs/s from the mutation to the job seen finished (polled every 0.5 s).`,
              `Interactive p95: ${fmt(aloneP95)} without the job, ${fmt(besideP95)} beside it; one slot is ${1_000 / 10} ms at 10 calls/s.`,
              `Upstream: at most ${jobRow.upstream?.maxCallsPerSlidingSecond ?? '–'} calls in any sliding second (limit 10).`,
            ],
            data: { rows, interactiveP95Ms: { alone: aloneP95, beside: besideP95 } },
          };
        },
        {
          env: {
            DATABASE_URL: database.url,
            // The job store is opened only for scenarios that ask (bench/targets/main.ts).
            BENCH_JOBS: 'on',
          },
        },
      );
    } finally {
      await database.drop().catch(() => undefined);
    }
  },
};

interface JobSnapshot {
  readonly status: string;
  readonly counts: { readonly pending: number };
}

async function graphqlRequest<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.body.json()) as { data?: T; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error(`bench: GraphQL answered ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function startJob(url: string, ids: readonly number[]): Promise<string> {
  const data = await graphqlRequest<{ startCSRDeletion: { __typename: string; id?: string } }>(
    url,
    `mutation S($ids: [Int!]) { startCSRDeletion(ids: $ids) { __typename ... on CSRDeletionJob { id } } }`,
    { ids },
  );
  if (!data.startCSRDeletion.id) throw new Error(`bench: startCSRDeletion answered ${data.startCSRDeletion.__typename}`);
  return data.startCSRDeletion.id;
}

async function readJob(url: string, id: string): Promise<JobSnapshot> {
  const data = await graphqlRequest<{ csrDeletionJob: JobSnapshot }>(url, `query J($id: ID!) { csrDeletionJob(id: $id) { status counts { pending } } }`, { id });
  return data.csrDeletionJob;
}

/** A 1-ID mutation every INTERACTIVE_EVERY_MS while `go()`, each timed from when it was due; resolves once all are answered. */
async function interactiveWhile(url: string, firstId: number, go: () => boolean): Promise<MutationOutcome[]> {
  const sent: Promise<MutationOutcome>[] = [];
  const start = performance.now();
  while (go()) {
    const due = start + sent.length * INTERACTIVE_EVERY_MS;
    sent.push(sendDelete(url, [firstId + sent.length], due, AbortSignal.timeout(INTERACTIVE_MAX_WAIT_MS)));
    await sleep(Math.max(0, start + sent.length * INTERACTIVE_EVERY_MS - performance.now()));
  }
  return Promise.all(sent);
}

async function callsCarrying(session: Session, wanted: (id: number) => boolean): ReturnType<Session['calls']> {
  return (await session.calls()).filter((call) => call.ids.some(wanted));
}

function p95Table(alone: number | null, beside: number | null, aloneCount: number, besideCount: number): ScenarioResult['tables'][number] {
  return {
    columns: ['interactive 1-ID callers', 'mutations', 'p95'],
    rows: [
      ['without the job', String(aloneCount), fmt(alone)],
      ['beside the job', String(besideCount), fmt(beside)],
    ],
  };
}

function fmt(ms: number | null): string {
  return ms === null ? '> cut-off' : `${ms.toFixed(0)} ms`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
