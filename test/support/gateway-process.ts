/**
 * Gateway replicas as operators run them: `src/main.ts` in child processes (spawned by
 * `spawnGateway`), configured only through their environment. "Started" is main.ts's own ready log
 * line, which carries the bound port (PORT=0).
 */
import { Agent, fetch } from 'undici';
import { spawnGateway, START_TIMEOUT_MS, type NodeProcess } from './process.js';

/**
 * A dispatcher that opens a connection per request, for load against gateway processes. Reusing an
 * idle keep-alive connection races the gateway closing it (Node's 5 s keepAliveTimeout): a loaded test
 * runner, seconds late on its own timers, sends on a socket the gateway has just closed and gets a
 * reset for a request the gateway never read. That is a client's retry to make, not a gateway
 * invariant, and a test must not fail on it.
 */
export const freshConnections = new Agent({ pipelining: 0 });

export interface GatewayProcess {
  readonly port: number;
  readonly graphqlUrl: string;
  readonly readinessUrl: string;
  readonly process: NodeProcess;
  /** The IDs it holds, accepted and not yet answered (its `tencent_ssl_pending_ids` gauge). */
  pendingIds(): Promise<number>;
  /** SIGTERM (graceful: every accepted mutation is answered), then waits for the exit. */
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = spawnGateway({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env });
  const ready = await gateway
    .waitForLine((line) => typeof line['port'] === 'number' && String(line.msg).includes('ready'), START_TIMEOUT_MS)
    .catch(async (error: unknown) => {
      await gateway.stop('SIGKILL');
      throw error;
    });
  const port = ready['port'] as number;
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    graphqlUrl: `${base}/graphql`,
    readinessUrl: `${base}/readiness`,
    process: gateway,
    async pendingIds() {
      const metrics = await (await fetch(`${base}/metrics`, { dispatcher: freshConnections })).text();
      const line = metrics.split('\n').find((entry) => entry.startsWith('tencent_ssl_pending_ids '));
      if (!line) throw new Error('no tencent_ssl_pending_ids in /metrics');
      return Number(line.split(' ')[1]);
    },
    stop: () => gateway.stop('SIGTERM'),
  };
}

/** `count` replicas with one environment: one Tencent account and, with REDIS_URL, one shared limit. */
export async function startGatewayProcesses(count: number, env: Record<string, string>): Promise<GatewayProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => startGatewayProcess(env)));
  const gateways = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = started.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    // Leave no replica behind when one of them could not start.
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    throw failure.reason;
  }
  return gateways;
}
