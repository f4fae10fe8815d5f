/**
 * The GraphQL edge's cost: requests per second through the gateway's whole HTTP + GraphQL path —
 * caller authentication (a JWT, or an API key), CSRF, body and document limits, the request log,
 * metrics — when the upstream answers at once, against a bare graphql-yoga server answering the
 * same documents with the same bytes, on the same machine, in the same run (autocannon,
 * programmatically).
 *
 * What makes it fair: both servers get the same request and send the same response, and both run
 * with yoga's own body limit off (the gateway bounds bodies by their declared Content-Length
 * instead), so the gap is what the gateway adds — its plugins, its Pothos schema (union and
 * interface resolution), context, the per-operation DataLoader and, for the mutation, the engine's
 * bookkeeping with an in-process upstream and a limiter that never waits. Nothing of Tencent's
 * limit is in it (that is the other scenarios' subject). Two documents: the mutation (the
 * gateway's whole path) and the `csrDeletionLimits` query (schema and HTTP only).
 *
 * The JWT callers reuse one token, as a client does until it expires: the gateway verifies it once
 * and then finds it in its verified-token cache. Each gateway process accepts both JWTs and API
 * keys (AUTH_JWT_SECRET and AUTH_API_KEYS), as a deployment serving people and services would.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { duration, integer } from '../support/format.js';
import { SignJWT } from 'jose';
import { BENCH_API_KEY, DELETE_DOCUMENT } from '../support/load.js';
import { BENCH_JWT_SECRET, withSession, type Session } from '../support/session.js';
import { withDeployments, type DeploymentResources } from '../support/deployments.js';
import { round, type ProcessStats } from '../support/stats.js';
import type { Scenario } from './types.js';

const LIMITS_DOCUMENT = '{ csrDeletionLimits { maxIdsPerMutation maxIdsPerCall callsPerSecond mutationDeadlineMs } }';
const DOCUMENTS = [
  { case: 'mutation batchDeleteCSRs (1 ID)', body: JSON.stringify({ query: DELETE_DOCUMENT, variables: { ids: [7] } }) },
  { case: 'query csrDeletionLimits', body: JSON.stringify({ query: LIMITS_DOCUMENT }) },
] as const;
const CONNECTIONS = 32;
/** The gateway's goal, as a fraction of the bare server's requests/s. */
const GOAL = 0.8;

/**
 * The servers measured: the gateway as deployed — its audit trail on, in the embedded journal on disk
 * (npm start's default) or PostgreSQL on the machine, tracing off or on — with each caller
 * authentication, and without the audit trail only as a reference; and the bare server.
 */
type Server =
  | 'gateway, JWT, journal'
  | 'gateway, API key, journal'
  | 'gateway, JWT, PostgreSQL'
  | 'gateway, JWT, journal + tracing'
  | 'gateway, JWT, audit off (reference)'
  | 'bare graphql-yoga';
const GATEWAYS = [
  'gateway, JWT, journal',
  'gateway, API key, journal',
  'gateway, JWT, PostgreSQL',
  'gateway, JWT, journal + tracing',
  'gateway, JWT, audit off (reference)',
] as const satisfies readonly Server[];
const SERVERS: readonly Server[] = [...GATEWAYS, 'bare graphql-yoga'];

export interface OverheadMeasurement {
  readonly case: string;
  readonly target: Server;
  /** Which round (0…) it was measured in; a median row keeps its round's. */
  readonly round: number;
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
    const seconds = quick ? 1 : 2;
    const rounds = quick ? 3 : 5;
    const jwt = await benchToken();
    const measurements: OverheadMeasurement[] = [];
    const runs: OverheadMeasurement[] = [];
    // PostgreSQL on the machine, when it answers (a fresh database); the rows without it are left out.
    await withDeployments(async (resources) => {
      for (const document of DOCUMENTS) {
        progress.step(`GraphQL overhead · ${document.case}`);
        const measured = await compare(document, seconds, rounds, jwt, resources);
        runs.push(...measured);
        for (const server of SERVERS) {
          const ofServer = measured.filter((run) => run.target === server);
          if (ofServer.length > 0) measurements.push(medianRound(ofServer));
        }
      }
    });
    const ratios = DOCUMENTS.flatMap((document) => {
      const of = (server: Server): OverheadMeasurement | undefined =>
        measurements.find((measurement) => measurement.case === document.case && measurement.target === server);
      const bare = of('bare graphql-yoga');
      return GATEWAYS.filter((server) => of(server) !== undefined).map((server) => ({
        case: document.case,
        auth: server.slice('gateway, '.length),
        ratio: round((of(server)?.requestsPerSecond ?? NaN) / (bare?.requestsPerSecond ?? NaN), 3),
        // The same question asked of CPU time: how many of the gateway's requests the bare server's CPU would serve.
        cpuRatio: round((bare?.process.cpuMicrosPerRequest ?? NaN) / (of(server)?.process.cpuMicrosPerRequest ?? NaN), 3),
        rounds: roundRatios(runs.filter((run) => run.case === document.case), server),
      }));
    });
    return {
      id: this.id,
      title: this.title,
      description:
        `autocannon ${CONNECTIONS} connections, POST /graphql, every server in each of ${rounds} rounds in rotating order ` +
        `(${seconds} s each after a 1 s warm-up; the median round); the gateway's upstream answers at once in process, ` +
        'the bare server resolves the same documents to the same bytes. The gateway runs as deployed: its audit trail ' +
        'on, in the embedded journal on disk (a fresh directory; npm start\'s default) or in PostgreSQL on the machine ' +
        '(a fresh database), tracing off, or on (OTLP to a receiver in the bench process); "audit off" is a reference only.',
      status: 'ok',
      tables: [
        {
          columns: ['document', 'server', 'requests/s', 'CPU/request', 'p50', 'p99', 'errors', 'response', 'peak RSS', 'loop delay p99'],
          rows: measurements.map((measurement) => [
            measurement.case,
            measurement.target,
            integer(measurement.requestsPerSecond),
            `${measurement.process.cpuMicrosPerRequest.toFixed(0)} µs`,
            duration(measurement.latencyMs.p50),
            duration(measurement.latencyMs.p99),
            integer(measurement.errors + measurement.non2xx),
            `${measurement.responseBytes} B`,
            `${measurement.process.peakRssMb.toFixed(0)} MB`,
            `${measurement.process.eventLoopDelayMs.p99.toFixed(1)} ms`,
          ]),
        },
        {
          columns: [
            'document',
            'caller auth, audit store',
            'gateway ÷ bare (requests/s), median round',
            `round by round: median (min–max) of ${rounds}`,
            `goal ≥ ${GOAL} (round-by-round median)`,
            'bare ÷ gateway (CPU/request), round by round: median (min–max)',
          ],
          rows: ratios.map((ratio) => [
            ratio.case,
            ratio.auth,
            ratio.ratio.toFixed(2),
            spread(ratio.rounds.requests),
            ratio.rounds.requests.median >= GOAL ? 'met' : 'not met',
            spread(ratio.rounds.cpu),
          ]),
        },
      ],
      notes: [
        'autocannon runs in the bench process and the server in its own, on the same two cores: absolute figures are ' +
          'lower bounds, the ratio is the point. CPU/request is the server process\'s own CPU time per request over the ' +
          'measurement, which other work on the machine disturbs less than requests/s.',
        'Ratios round by round: in each round every server is measured once, back to back; the gateway\'s figure of a ' +
          'round over the bare server\'s of the same round, then the median and the range (min–max) of those ratios ' +
          `over the ${rounds} rounds — the spread a single run of the scenario may land anywhere in. The goal is judged on the median.`,
      ],
      data: { goal: GOAL, measurements, ratios },
    };
  },
};

/** A JWT as an identity provider would issue it to the bench's caller: HS256, an hour's validity. */
function benchToken(): Promise<string> {
  return new SignJWT({ scope: 'csr:delete' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-caller')
    .setIssuedAt()
    .setExpirationTime('1 h')
    .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
}

/**
 * Both servers alive at once, each measured in turn, round after round in rotating order: a change
 * in the shared machine's load then reaches every server alike, and the median round sets it aside.
 */
async function compare(
  document: (typeof DOCUMENTS)[number],
  seconds: number,
  rounds: number,
  jwt: string,
  resources: DeploymentResources,
): Promise<OverheadMeasurement[]> {
  const havePostgres = resources.available(['PostgreSQL']).length > 0;
  const servers = SERVERS.filter((server) => havePostgres || !server.includes('PostgreSQL'));
  const sessions = new Map<Server, Session>();
  const open = async (index: number): Promise<OverheadMeasurement[]> => {
    const server = servers[index];
    if (server === undefined) return measure();
    return withSession(
      server === 'bare graphql-yoga' ? 'bare' : 'instant-gateway',
      (session) => {
        sessions.set(server, session);
        return open(index + 1);
      },
      // Request lines logged, as deployed (the bare server logs nothing of its own).
      { logLevel: 'info', env: environmentOf(server, resources) },
    );
  };
  const measure = async (): Promise<OverheadMeasurement[]> => {
        const runs: OverheadMeasurement[] = [];
        const loadFor = (server: Server) => ({
          target: (sessions.get(server) as Session).target,
          options: {
            url: (sessions.get(server) as Session).target.url,
            method: 'POST' as const,
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              authorization: `Bearer ${server.includes('API key') ? BENCH_API_KEY : jwt}`,
            },
            body: document.body,
            connections: CONNECTIONS,
          },
        });
        const responseBytes = new Map<Server, number>();
        for (const server of servers) {
          const { options } = loadFor(server);
          responseBytes.set(server, await preflight(options));
          await autocannon({ ...options, duration: 1 });
        }
        for (let round = 0; round < rounds; round++) {
          for (let i = 0; i < servers.length; i++) {
            const server = servers[(round + i) % servers.length] as Server;
            const { target, options } = loadFor(server);
            await target.reset();
            const result = await autocannon({ ...options, duration: seconds });
            runs.push({
              case: document.case,
              target: server,
              round,
              requestsPerSecond: round0(result.requests.average),
              latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
              errors: result.errors,
              non2xx: result.non2xx,
              responseBytes: responseBytes.get(server) ?? 0,
              process: await target.stats(),
            });
          }
        }
        return runs;
  };
  return open(0);
}

/** A server's environment: its configuration's (bench/support/deployments.ts); a session's fresh journal directory is the default. */
function environmentOf(server: Server, resources: DeploymentResources): Record<string, string> {
  if (server.includes('audit off')) return resources.env('audit off (reference)');
  if (server.includes('PostgreSQL')) return resources.env('PostgreSQL');
  if (server.includes('tracing')) return resources.env('journal + tracing');
  return resources.env('journal');
}

function round0(value: number): number {
  return round(value, 0);
}

/**
 * autocannon counts any 200 as a success, and GraphQL reports its errors with a 200: check once
 * that the document really executes, and note how big the answer is.
 */
export async function preflight(options: { url: string; headers: Record<string, string>; body: string }): Promise<number> {
  const response = await request(options.url, { method: 'POST', headers: options.headers, body: options.body });
  const text = await response.body.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (response.statusCode !== 200 || json.errors || !json.data) {
    throw new Error(`the overhead document does not execute on ${options.url}: HTTP ${response.statusCode} ${text}`);
  }
  return Buffer.byteLength(text);
}

interface RoundRatios {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

/**
 * The gateway's ratio to the bare server round by round (each round measures every server once, back
 * to back, so the two figures of a round share the machine's load): requests/s gateway ÷ bare, and
 * CPU/request bare ÷ gateway.
 */
export function roundRatios(
  runs: readonly Pick<OverheadMeasurement, 'target' | 'round' | 'requestsPerSecond' | 'process'>[],
  server: Server,
): { readonly requests: RoundRatios; readonly cpu: RoundRatios } {
  const requests: number[] = [];
  const cpu: number[] = [];
  for (const run of runs) {
    if (run.target !== server) continue;
    const bare = runs.find((other) => other.target === 'bare graphql-yoga' && other.round === run.round);
    if (!bare) continue;
    requests.push(run.requestsPerSecond / bare.requestsPerSecond);
    cpu.push(bare.process.cpuMicrosPerRequest / run.process.cpuMicrosPerRequest);
  }
  return { requests: summary(requests), cpu: summary(cpu) };
}

function summary(values: readonly number[]): RoundRatios {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: round(sorted[Math.floor(sorted.length / 2)] ?? NaN, 3),
    min: round(sorted[0] ?? NaN, 3),
    max: round(sorted.at(-1) ?? NaN, 3),
    values: values.map((value) => round(value, 3)),
  };
}

function spread(ratios: RoundRatios): string {
  return `${ratios.median.toFixed(2)} (${ratios.min.toFixed(2)}–${ratios.max.toFixed(2)})`;
}

/** The round with the median requests/s (errors summed, peak RSS the largest, over all rounds). */
function medianRound(runs: readonly OverheadMeasurement[]): OverheadMeasurement {
  const sorted = [...runs].sort((x, y) => x.requestsPerSecond - y.requestsPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)] as OverheadMeasurement;
  return {
    ...median,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    process: { ...median.process, peakRssMb: Math.max(...runs.map((run) => run.process.peakRssMb)) },
  };
}
