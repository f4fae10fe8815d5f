/**
 * Gateway replicas as operators run them: `src/main.ts` in child processes (spawned by
 * `spawnGateway`), configured only through their environment. "Started" is main.ts's own ready log
 * line, which carries the bound port (PORT=0).
 */
import { spawnGateway } from './process.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface GatewayProcess {
  readonly port: number;
  readonly graphqlUrl: string;
  readonly readinessUrl: string;
  /** SIGTERM (graceful: every accepted mutation is answered), then waits for the exit. */
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = spawnGateway({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env });
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gateway not ready in ${START_TIMEOUT_MS} ms:\n${gateway.stderr()}`)), START_TIMEOUT_MS);
  });
  const ready = await Promise.race([
    gateway.waitForLine((line) => typeof line['port'] === 'number' && String(line.msg).includes('ready')),
    tooLate,
  ]).finally(() => clearTimeout(timer));
  const port = ready['port'] as number;
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    graphqlUrl: `${base}/graphql`,
    readinessUrl: `${base}/readiness`,
    async stop() {
      const { child } = gateway;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await gateway.exited;
      clearTimeout(kill);
    },
  };
}

/** `count` replicas with one environment: one Tencent account and, with REDIS_URL, one shared limit. */
export function startGatewayProcesses(count: number, env: Record<string, string>): Promise<GatewayProcess[]> {
  return Promise.all(Array.from({ length: count }, () => startGatewayProcess(env)));
}
