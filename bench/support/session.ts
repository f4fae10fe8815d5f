/**
 * One measurement: a fresh simulator at Tencent's limit, a fresh server process pointed at it,
 * warmed up, then the scenario's load; afterwards `calls()` holds exactly the calls the load caused,
 * and the process's figures are those of this load alone.
 *
 * The simulator runs in a process of its own (`src/simulator/main.ts --admin`): it judges the rate
 * limit by arrival time, and the bench process, busy with thousands of clients, would timestamp
 * arrivals late and bunched — a "second over the limit" that never happened upstream.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallRecord } from '../../src/simulator/simulator.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../test/support/simulator-process.js';
import { BENCH_API_KEY, sendDelete } from './load.js';
import { startTarget, type Target, type TargetKind } from './target.js';

const BENCH_CREDENTIALS = { secretId: 'AKIDBENCH000000000000000000000000000', secretKey: randomBytes(16).toString('hex') };

/** Tencent's documented limit for BatchDeleteCSR. */
export const RATE_LIMIT = 10;
/** IDs the simulator holds at the start of each measurement. */
const SEEDED = { from: 1, to: 300_000 } as const;
/** Warm-up mutations use IDs above the ones scenarios use. */
const WARM_UP_IDS_FROM = 250_000;

export interface Session {
  readonly simulator: SimulatorProcess;
  readonly target: Target;
  /**
   * Where a gateway target keeps its audit trail, as every table names it (issue 22): `journal` (the
   * embedded one on disk, npm start's default), `PostgreSQL`, or `audit off (reference)`; none for
   * the baseline and bare servers, which have no audit trail.
   */
  readonly auditStore?: string;
  /** The calls the simulator received since the warm-up, oldest first (arrival times on its clock). */
  calls(): Promise<CallRecord[]>;
}

/** The bench's HS256 secret for JWT callers (`AUTH_JWT_SECRET` of every measured gateway). */
export const BENCH_JWT_SECRET = randomBytes(32).toString('hex');

export interface SessionOptions {
  /**
   * `info` logs a line per request, as deployed; the lines go to /dev/null (the cost of writing
   * them is measured, not their volume on the bench's terminal). Default `warn`.
   */
  readonly logLevel?: 'info' | 'warn';
  /** More of the target's environment (tracing's OTEL_* variables, the audit trail's, say). */
  readonly env?: Record<string, string>;
  /** Node options for the target process (`--cpu-prof`, say). */
  readonly execArgv?: readonly string[];
  /** Another compiled bench/targets/main.js to run (bench/cpu-profile.ts --before). */
  readonly entry?: string;
}

export async function withSession<T>(kind: TargetKind, run: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
  // The gateway keeps its audit trail as deployed (bench/targets/main.ts): the embedded journal, in a
  // directory of this session's unless the scenario names a store.
  const journal = await mkdtemp(join(tmpdir(), 'bench-journal-'));
  try {
    return await withSessionIn(kind, run, { ...options, env: { AUDIT_DATA_DIR: journal, ...options.env } });
  } finally {
    await rm(journal, { recursive: true, force: true });
  }
}

async function withSessionIn<T>(kind: TargetKind, run: (session: Session) => Promise<T>, options: SessionOptions): Promise<T> {
  const simulator = await startSimulatorProcess({ credentials: BENCH_CREDENTIALS, seed: SEEDED, rateLimit: RATE_LIMIT });
  const endpoint = simulator.url;
  // A target that fails to start must not leave the simulator's process running after the bench.
  const target = await startTarget(kind, {
    TENCENTCLOUD_SECRET_ID: BENCH_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: BENCH_CREDENTIALS.secretKey,
    TENCENTCLOUD_SSL_ENDPOINT: endpoint,
    TENCENTCLOUD_RATE_LIMIT: String(RATE_LIMIT),
    AUTH_API_KEYS: BENCH_API_KEY,
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  }, { discardStdout: options.logLevel === 'info', ...(options.execArgv ? { execArgv: options.execArgv } : {}), ...(options.entry ? { entry: options.entry } : {}) }).catch(async (error: unknown) => {
    await simulator.close();
    throw error;
  });
  try {
    if (kind === 'gateway' || kind === 'baseline') await warmUp(target);
    const warmUpCalls = (await simulator.calls()).length;
    await target.reset();
    const auditStore = auditStoreOf(kind, options.env ?? {});
    return await run({ simulator, target, ...(auditStore ? { auditStore } : {}), calls: async () => (await simulator.calls()).slice(warmUpCalls) });
  } finally {
    await target.stop();
    await simulator.close();
  }
}

/** The audit store a target's environment gives it (bench/targets/main.ts reads the same variables). */
function auditStoreOf(kind: TargetKind, env: Record<string, string>): string | undefined {
  if (kind !== 'gateway' && kind !== 'instant-gateway') return undefined;
  if (env['BENCH_AUDIT'] === 'off') return 'audit off (reference)';
  return env['AUDIT_DATABASE_URL'] || env['DATABASE_URL'] ? 'PostgreSQL' : 'journal';
}

/**
 * A fresh process compiles its code paths on first use; a deployed server has long since done so.
 * A few sequential mutations warm the HTTP, GraphQL and upstream paths; then the bench lets the
 * next rate-limit slot come free (one spacing interval); `calls()` leaves their calls out.
 */
async function warmUp(target: Target): Promise<void> {
  for (let i = 0; i < 3; i++) await sendDelete(target.url, [WARM_UP_IDS_FROM + i]);
  await new Promise((resolve) => setTimeout(resolve, 150));
}
