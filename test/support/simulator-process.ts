/**
 * The Tencent simulator as a process of its own (`src/simulator/main.ts --admin`), read and steered
 * through its admin API. The judge of the rate limit timestamps arrivals on its own event loop, so a
 * loaded test runner cannot bunch them into a "second over the limit" that never happened upstream.
 */
import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import type { TencentCredentials } from '../../src/config.js';
import type { CallRecord, Fault } from '../../src/simulator/simulator.js';
import { spawnNode, START_TIMEOUT_MS, type NodeProcess } from './process.js';

export interface SimulatorProcessOptions {
  /** The IDs that exist at start, inclusive (default 1–20000, as `startRig`'s). */
  readonly seed?: { readonly from: number; readonly to: number };
  /** Calls per sliding second per SecretId (default 10). */
  readonly rateLimit?: number;
  /** Calls of each read action (DescribeCSRSet, DescribeCSR) per sliding second per SecretId (default 10). */
  readonly readRateLimit?: number;
  /** IDs rejected as malformed (`InvalidParameter.InvalidCSRId`). */
  readonly invalidIds?: Iterable<number>;
  /** Default: a fresh account, so that a Redis schedule keyed by SecretId is this simulator's alone. */
  readonly credentials?: TencentCredentials;
}

export interface FaultRequest {
  readonly fault: Fault;
  /** How many matching calls it applies to (default 1); `Infinity` until cleared. */
  readonly times?: number;
  readonly whenIds?: readonly number[];
  /** The action whose calls it applies to (default BatchDeleteCSR). */
  readonly action?: string;
}

export interface SimulatorProcess {
  readonly url: string;
  readonly credentials: TencentCredentials;
  readonly rateLimit: number;
  /** What a gateway needs to talk to this simulator with its account: endpoint, credentials, rate limit. */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly process: NodeProcess;
  /** Every call received so far, oldest first; `arrivedAt` is on the simulator process's clock. */
  calls(): Promise<CallRecord[]>;
  inject(fault: Fault, options?: Omit<FaultRequest, 'fault'>): Promise<void>;
  /** Queues several faults in one request, in order. */
  injectAll(faults: readonly FaultRequest[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** Those of `ids` the simulator still holds. */
  exists(ids: readonly number[]): Promise<number[]>;
  storeSize(): Promise<number>;
  /** The most calls of one action from one SecretId that arrived within any `windowMs` (of `action` alone when given). */
  maxCallsInWindow(windowMs?: number, action?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startSimulatorProcess(options: SimulatorProcessOptions = {}): Promise<SimulatorProcess> {
  const credentials = options.credentials ?? {
    secretId: `AKIDSIM${randomBytes(14).toString('hex').toUpperCase()}`,
    secretKey: randomBytes(16).toString('hex'),
  };
  const seed = options.seed ?? { from: 1, to: 20_000 };
  const rateLimit = options.rateLimit ?? 10;
  const readRateLimit = options.readRateLimit ?? 10;
  const invalidIds = [...(options.invalidIds ?? [])];
  const child = spawnNode(
    'src/simulator/main.ts',
    {
      TENCENTCLOUD_SECRET_ID: credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
      ...(credentials.sessionToken ? { TENCENTCLOUD_SESSION_TOKEN: credentials.sessionToken } : {}),
    },
    [
      '--admin',
      '--port=0',
      `--seed=${seed.from}-${seed.to}`,
      `--rate-limit=${rateLimit}`,
      `--read-rate-limit=${readRateLimit}`,
      ...(invalidIds.length > 0 ? [`--invalid-ids=${invalidIds.join(',')}`] : []),
    ],
    // The judge: its arrival times must not wait for a CPU that the gateways, the runner and a busy
    // loop are fighting over, as Tencent's own servers do not.
    { prioritised: true },
  );
  const ready = await child.waitForLine((line) => typeof line['url'] === 'string', START_TIMEOUT_MS).catch(async (error: unknown) => {
    await child.stop('SIGKILL');
    throw error;
  });
  const url = ready['url'] as string;

  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/_simulator/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator admin ${method} ${path}: HTTP ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const injectAll = (faults: readonly FaultRequest[]): Promise<void> =>
    admin(
      'POST',
      'faults',
      // JSON has no Infinity: null means "until cleared".
      faults.map(({ times, ...rest }) => ({ ...rest, times: times === Infinity ? null : times })),
    );

  return {
    url,
    credentials,
    rateLimit,
    gatewayEnv: {
      TENCENTCLOUD_SSL_ENDPOINT: url,
      TENCENTCLOUD_SECRET_ID: credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: credentials.secretKey,
      ...(credentials.sessionToken ? { TENCENTCLOUD_SESSION_TOKEN: credentials.sessionToken } : {}),
      TENCENTCLOUD_RATE_LIMIT: String(rateLimit),
      TENCENTCLOUD_READ_RATE_LIMIT: String(readRateLimit),
    },
    process: child,
    calls: async () => (await admin<{ calls: CallRecord[] }>('GET', 'calls')).calls,
    inject: (fault, injectOptions = {}) => injectAll([{ fault, ...injectOptions }]),
    injectAll,
    clearFaults: () => admin('DELETE', 'faults'),
    exists: async (ids) => (await admin<{ existing: number[] }>('POST', 'store/exists', { ids })).existing,
    storeSize: async () => (await admin<{ size: number }>('GET', 'store')).size,
    maxCallsInWindow: async (windowMs = 1000, action?: string) =>
      (await admin<{ maxCallsInWindow: number }>('GET', `max-calls-in-window?windowMs=${windowMs}${action ? `&action=${action}` : ''}`))
        .maxCallsInWindow,
    close: () => child.stop('SIGTERM'),
  };
}
