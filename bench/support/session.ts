/**
 * One measurement: a fresh simulator at Tencent's limit, a fresh server process pointed at it,
 * warmed up, then the scenario's load; afterwards the simulator's log holds exactly the calls the
 * load caused, and the process's figures are those of this load alone.
 */
import { randomBytes } from 'node:crypto';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
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
  readonly simulator: TencentSslSimulator;
  readonly target: Target;
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
}

export async function withSession<T>(kind: TargetKind, run: (session: Session) => Promise<T>, options: SessionOptions = {}): Promise<T> {
  const simulator = new TencentSslSimulator({
    accounts: { [BENCH_CREDENTIALS.secretId]: { secretKey: BENCH_CREDENTIALS.secretKey } },
    seed: SEEDED,
    rateLimit: RATE_LIMIT,
  });
  const endpoint = await simulator.listen();
  const target = await startTarget(kind, {
    TENCENTCLOUD_SECRET_ID: BENCH_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: BENCH_CREDENTIALS.secretKey,
    TENCENTCLOUD_SSL_ENDPOINT: endpoint,
    TENCENTCLOUD_RATE_LIMIT: String(RATE_LIMIT),
    AUTH_API_KEYS: BENCH_API_KEY,
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  }, { discardStdout: options.logLevel === 'info' });
  try {
    if (kind === 'gateway' || kind === 'baseline') await warmUp(target, simulator);
    await target.reset();
    return await run({ simulator, target });
  } finally {
    await target.stop();
    await simulator.close();
  }
}

/**
 * A fresh process compiles its code paths on first use; a deployed server has long since done so.
 * A few sequential mutations warm the HTTP, GraphQL and upstream paths; then the bench lets the
 * next rate-limit slot come free (one spacing interval) and forgets their calls.
 */
async function warmUp(target: Target, simulator: TencentSslSimulator): Promise<void> {
  for (let i = 0; i < 3; i++) await sendDelete(target.url, [WARM_UP_IDS_FROM + i]);
  await new Promise((resolve) => setTimeout(resolve, 150));
  simulator.log.splice(0);
}
