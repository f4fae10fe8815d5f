/**
 * The GraphQL layer's cost: requests per second through the gateway's HTTP + GraphQL path when the
 * upstream answers at once, against a bare graphql-yoga server answering the same documents with
 * the same bytes, on the same machine, in the same run (autocannon, programmatically).
 *
 * What makes it fair: both servers get the same request and send the same response, so the gap is
 * what the gateway adds — its Pothos schema (union and interface resolution), context, the
 * per-operation DataLoader, plugins and, for the mutation, the engine's bookkeeping with an
 * in-process upstream and a limiter that never waits. Nothing of Tencent's limit is in it (that is
 * the other scenarios' subject). Two documents: the mutation (the gateway's whole path) and the
 * `csrDeletionLimits` query (schema and HTTP only).
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { duration, integer } from '../support/format.js';
import { BENCH_API_KEY, DELETE_DOCUMENT } from '../support/load.js';
import { withSession } from '../support/session.js';
import { round, type ProcessStats } from '../support/stats.js';
import type { TargetKind } from '../support/target.js';
import type { Scenario } from './types.js';

const LIMITS_DOCUMENT = '{ csrDeletionLimits { maxIdsPerMutation maxIdsPerCall callsPerSecond mutationDeadlineMs } }';
export const ONE_ID_MUTATION = { case: 'mutation batchDeleteCSRs (1 ID)', body: JSON.stringify({ query: DELETE_DOCUMENT, variables: { ids: [7] } }) };
const DOCUMENTS = [
  ONE_ID_MUTATION,
  { case: 'query csrDeletionLimits', body: JSON.stringify({ query: LIMITS_DOCUMENT }) },
] as const;
const CONNECTIONS = 10;
/** The gateway's goal, as a fraction of the bare server's requests/s. */
const GOAL = 0.8;

export interface OverheadMeasurement {
  readonly case: string;
  /** Requests answered over the measurement. */
  readonly requests: number;
  readonly target: 'gateway' | 'bare graphql-yoga';
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly errors: number;
  readonly non2xx: number;
  /** The size of one response: the same for both servers, or the comparison would be unfair. */
  readonly responseBytes: number;
  readonly process: ProcessStats;
}

export const graphqlOverheadScenario: Scenario = {
  id: 'graphql-overhead',
  title: 'GraphQL layer overhead against a bare graphql-yoga server',
  async run({ quick, progress }) {
    const seconds = quick ? 2 : 3;
    const measurements: OverheadMeasurement[] = [];
    for (const document of DOCUMENTS) {
      // A-B-B-A, averaged: the machine is shared, and a drift in its load then favours neither.
      const runs: OverheadMeasurement[] = [];
      for (const kind of ['instant-gateway', 'bare', 'bare', 'instant-gateway'] as const satisfies readonly TargetKind[]) {
        progress.step(`GraphQL overhead · ${document.case} · ${kind === 'bare' ? 'bare yoga' : 'gateway'}`);
        runs.push(await measure(kind, document, seconds));
      }
      measurements.push(average(runs.filter((run) => run.target === 'gateway')), average(runs.filter((run) => run.target !== 'gateway')));
    }
    const ratios = DOCUMENTS.map((document) => {
      const [gateway, bare] = measurements.filter((measurement) => measurement.case === document.case) as [
        OverheadMeasurement,
        OverheadMeasurement,
      ];
      return { case: document.case, ratio: round(gateway.requestsPerSecond / bare.requestsPerSecond, 3) };
    });
    return {
      id: this.id,
      title: this.title,
      description:
        `autocannon ${CONNECTIONS} connections, POST /graphql, each server twice (gateway, bare, bare, gateway; ${seconds} s ` +
        'each after a 1 s warm-up, averaged); the gateway\'s ' +
        'upstream answers at once in process, the bare server resolves the same documents to the same bytes.',
      status: 'ok',
      tables: [
        {
          columns: ['document', 'server', 'requests/s', 'p50', 'p99', 'errors', 'response', 'peak RSS', 'loop delay p99'],
          rows: measurements.map((measurement) => [
            measurement.case,
            measurement.target,
            integer(measurement.requestsPerSecond),
            duration(measurement.latencyMs.p50),
            duration(measurement.latencyMs.p99),
            integer(measurement.errors + measurement.non2xx),
            `${measurement.responseBytes} B`,
            `${measurement.process.peakRssMb.toFixed(0)} MB`,
            `${measurement.process.eventLoopDelayMs.p99.toFixed(1)} ms`,
          ]),
        },
        {
          columns: ['document', 'gateway ÷ bare', `goal ≥ ${GOAL}`],
          rows: ratios.map((ratio) => [ratio.case, ratio.ratio.toFixed(2), ratio.ratio >= GOAL ? 'met' : 'not met']),
        },
      ],
      notes: [
        'autocannon runs in the bench process and the server in its own, on the same two cores: absolute figures are ' +
          'lower bounds, the ratio is the point.',
      ],
      data: { goal: GOAL, measurements, ratios },
    };
  },
};

/** Requests/s of one server for one document, closed loop (autocannon); `env` goes to the server. */
export async function measure(
  kind: 'instant-gateway' | 'bare',
  document: { readonly case: string; readonly body: string },
  seconds: number,
  env: Record<string, string> = {},
): Promise<OverheadMeasurement> {
  return withSession(kind, async ({ target }) => {
    const options = {
      url: target.url,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
      body: document.body,
      connections: CONNECTIONS,
    };
    const responseBytes = await preflight(options);
    await autocannon({ ...options, duration: 1 });
    await target.reset();
    const result = await autocannon({ ...options, duration: seconds });
    return {
      case: document.case,
      target: kind === 'bare' ? 'bare graphql-yoga' : 'gateway',
      requests: result.requests.total,
      requestsPerSecond: round(result.requests.average, 0),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      errors: result.errors,
      non2xx: result.non2xx,
      responseBytes,
      process: await target.stats(),
    };
  }, env);
}

/**
 * autocannon counts any 200 as a success, and GraphQL reports its errors with a 200: check once
 * that the document really executes, and note how big the answer is.
 */
async function preflight(options: { url: string; headers: Record<string, string>; body: string }): Promise<number> {
  const response = await request(options.url, { method: 'POST', headers: options.headers, body: options.body });
  const text = await response.body.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (response.statusCode !== 200 || json.errors || !json.data) {
    throw new Error(`the overhead document does not execute on ${options.url}: HTTP ${response.statusCode} ${text}`);
  }
  return Buffer.byteLength(text);
}

/** The mean of two runs of one server (peak RSS: the larger). */
function average(runs: readonly OverheadMeasurement[]): OverheadMeasurement {
  const [first] = runs as [OverheadMeasurement];
  const mean = (pick: (run: OverheadMeasurement) => number): number => round(runs.reduce((sum, run) => sum + pick(run), 0) / runs.length, 1);
  return {
    ...first,
    requestsPerSecond: Math.round(mean((run) => run.requestsPerSecond)),
    latencyMs: { p50: mean((run) => run.latencyMs.p50), p99: mean((run) => run.latencyMs.p99) },
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    process: {
      peakRssMb: Math.max(...runs.map((run) => run.process.peakRssMb)),
      cpuMs: runs.reduce((sum, run) => sum + (run.process.cpuMs ?? 0), 0),
      eventLoopDelayMs: {
        p50: mean((run) => run.process.eventLoopDelayMs.p50),
        p99: mean((run) => run.process.eventLoopDelayMs.p99),
        max: Math.max(...runs.map((run) => run.process.eventLoopDelayMs.max)),
      },
    },
  };
}
