/**
 * What tracing and the audit trail cost (issue 13), in two measurements:
 *
 *   1. Saturation: 10-ID callers arriving open-loop at 1,500 IDs/s, half again over Tencent's
 *      ceiling, against the gateway at the real limit, plain and with tracing (OTLP/HTTP protobuf to
 *      a receiver in the bench process) and the PostgreSQL audit trail both on. The goal: the
 *      sustained rate stays ≥ 0.95 of the ceiling, as it does without them.
 *   2. Per-mutation cost: 1-ID mutations (autocannon, 10 connections) through the gateway with an
 *      upstream that answers at once, with neither, each, and both: the gateway process's CPU time
 *      per mutation answered, and what each adds to the plain gateway's; requests/s and p50 beside
 *      it. Each variant runs twice, in forward then reverse order, summed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../../test/integration/audit/support/postgres.js';
import { integer, loadTable } from '../support/format.js';
import autocannon from 'autocannon';
import { BENCH_API_KEY, DELETE_DOCUMENT } from '../support/load.js';
import { offeredLoadRow } from '../support/measure.js';
import { withSession } from '../support/session.js';
import { round, type ProcessStats, type Row } from '../support/stats.js';
import { preflight } from './graphql-overhead.js';
import type { Scenario } from './types.js';

const GOAL = 0.95;
const OFFERED_IDS_PER_SECOND = 1_500;
const IDS_PER_MUTATION = 10;
const MAX_WAIT_MS = 2_500;

type Variant = { readonly name: string; readonly tracing: boolean; readonly audit?: 'postgres' | 'journal' };
const VARIANTS: readonly Variant[] = [
  { name: 'neither', tracing: false },
  { name: 'tracing', tracing: true },
  { name: 'audit (PostgreSQL)', tracing: false, audit: 'postgres' },
  { name: 'audit (journal)', tracing: false, audit: 'journal' },
  { name: 'tracing + audit (PostgreSQL)', tracing: true, audit: 'postgres' },
];

export const observabilityScenario: Scenario = {
  id: 'observability',
  title: 'Tracing and the audit trail: saturation throughput and per-mutation cost',
  async run({ quick, progress }) {
    let database: TestDatabase;
    try {
      database = await freshDatabase();
    } catch (error) {
      return notAvailable(this, `PostgreSQL on 127.0.0.1:5432 is not answering (${String(error)})`);
    }
    const journal = await mkdtemp(join(tmpdir(), 'bench-audit-'));
    const receiver = await otlpReceiver();
    const envOf = (variant: Variant): Record<string, string> => ({
      ...(variant.tracing
        ? {
            OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            OTEL_SERVICE_NAME: 'tencent-ssl-gateway-bench',
          }
        : {}),
      ...(variant.audit ? {} : { BENCH_AUDIT: 'off' }),
      ...(variant.audit === 'postgres' ? { AUDIT_DATABASE_URL: database.url } : {}),
      ...(variant.audit === 'journal' ? { AUDIT_DATA_DIR: journal } : {}),
    });
    try {
      const windowMs = quick ? 2_000 : 4_000;
      const saturation: Row[] = [];
      for (const variant of [VARIANTS[0], VARIANTS[4]] as Variant[]) {
        progress.step(`observability · saturation · ${variant.name}`);
        saturation.push(await saturate(variant, windowMs, envOf(variant)));
      }

      const seconds = quick ? 2 : 3;
      const runs = new Map<string, CostMeasurement[]>();
      for (const variant of [...VARIANTS, ...[...VARIANTS].reverse()]) {
        progress.step(`observability · per-mutation cost · ${variant.name}`);
        const measured = await measureMutationCost(seconds, envOf(variant));
        runs.set(variant.name, [...(runs.get(variant.name) ?? []), measured]);
      }
      const costs = VARIANTS.map((variant) => {
        const measured = runs.get(variant.name) ?? [];
        const sum = (pick: (run: CostMeasurement) => number): number => measured.reduce((total, run) => total + pick(run), 0);
        return {
          variant: variant.name,
          requestsPerSecond: Math.round(sum((run) => run.requestsPerSecond) / measured.length),
          cpuMicrosecondsPerMutation: round(sum((run) => run.process.cpuMicrosPerRequest) / measured.length, 0),
          p50Ms: round(sum((run) => run.latencyMs.p50) / measured.length, 1),
          errors: sum((run) => run.errors + run.non2xx),
        };
      });
      const plain = costs[0]?.cpuMicrosecondsPerMutation ?? NaN;
      const withCost = costs.map((cost) => ({ ...cost, addedCpuMicroseconds: cost.cpuMicrosecondsPerMutation - plain }));
      const [bare, observed] = saturation as [Row, Row];
      const ratio = observed.fractionOfCeiling ?? 0;
      return {
        id: this.id,
        title: this.title,
        description:
          `Saturation: 10-ID mutations open-loop at ${integer(OFFERED_IDS_PER_SECOND)} IDs/s for ${windowMs / 1_000} s against the ` +
          'gateway at the real limit. Cost: autocannon, 10 connections, 1-ID mutations, upstream answering at once, ' +
          `${seconds} s per run after a 1 s warm-up, each variant twice. Tracing exports OTLP/HTTP protobuf to a receiver in ` +
          'the bench process; the audit trail writes to the machine\'s PostgreSQL (a fresh database) or the journal in a temporary directory.',
        status: 'ok',
        tables: [
          loadTable(saturation.map((row, index) => ({ ...row, case: `${index === 0 ? 'neither' : 'tracing + audit (PostgreSQL)'}: ${row.case}` }))),
          {
            columns: ['with', 'requests/s', 'gateway CPU per mutation', 'added', 'p50', 'errors'],
            rows: withCost.map((cost) => [
              cost.variant,
              integer(cost.requestsPerSecond),
              `${integer(cost.cpuMicrosecondsPerMutation)} µs`,
              cost.variant === 'neither' ? '–' : `${integer(cost.addedCpuMicroseconds)} µs`,
              `${cost.p50Ms.toFixed(1)} ms`,
              integer(cost.errors),
            ]),
          },
        ],
        notes: [
          `Saturation with tracing and the audit trail on: ${ratio.toFixed(3)} of the ceiling (goal ≥ ${GOAL}: ${ratio >= GOAL ? 'met' : 'not met'}); ` +
            `without them ${(bare.fractionOfCeiling ?? 0).toFixed(3)}.`,
          `The OTLP receiver took ${integer(receiver.exports())} exports (${integer(receiver.bytes() / 1024)} KiB) over the run.`,
          "CPU is the gateway process's own (user + system) over each run divided by the mutations it answered; " +
            "PostgreSQL's work is in its own processes, on the same two cores, and shows in requests/s rather than here.",
        ],
        data: { goal: GOAL, saturation, costs: withCost, otlp: { exports: receiver.exports(), bytes: receiver.bytes() } },
      };
    } finally {
      await receiver.close();
      await rm(journal, { recursive: true, force: true });
      await database.drop();
    }
  },
};

interface CostMeasurement {
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number };
  readonly errors: number;
  readonly non2xx: number;
  readonly process: ProcessStats;
}

/** 1-ID mutations against the gateway with an upstream that answers at once: what the gateway itself costs. */
async function measureMutationCost(seconds: number, env: Record<string, string>): Promise<CostMeasurement> {
  return withSession(
    'instant-gateway',
    async ({ target }) => {
      const options = {
        url: target.url,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
        body: JSON.stringify({ query: DELETE_DOCUMENT, variables: { ids: [7] } }),
        connections: 10,
      };
      await preflight(options);
      await autocannon({ ...options, duration: 1 });
      await target.reset();
      const result = await autocannon({ ...options, duration: seconds });
      return {
        requestsPerSecond: round(result.requests.average, 0),
        latencyMs: { p50: result.latency.p50 },
        errors: result.errors,
        non2xx: result.non2xx,
        process: await target.stats(),
      };
    },
    { env },
  );
}

async function saturate(variant: Variant, windowMs: number, env: Record<string, string>): Promise<Row> {
  return withSession(
    'gateway',
    (session) =>
      offeredLoadRow(session, {
        offeredIdsPerSecond: OFFERED_IDS_PER_SECOND,
        idsPerMutation: IDS_PER_MUTATION,
        windowMs,
        maxWaitMs: MAX_WAIT_MS,
        extra: { with: variant.name },
      }),
    { env },
  );
}

/** An OTLP/HTTP receiver that takes every export and counts it. */
export async function otlpReceiver(): Promise<{ url: string; exports(): number; bytes(): number; close(): Promise<void> }> {
  let exports = 0;
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      exports++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
    bytes: () => bytes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function notAvailable(scenario: Scenario, why: string): ReturnType<Scenario['run']> {
  return Promise.resolve({ id: scenario.id, title: scenario.title, description: why, status: 'not-available', tables: [], notes: [why], data: null });
}
