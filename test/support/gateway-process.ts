/**
 * The gateway as operators run it: `src/main.ts` in a child process, configured only through its
 * environment. "Started" is main.ts's own ready log line, which carries the bound port (PORT=0).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface GatewayProcess {
  readonly port: number;
  readonly graphqlUrl: string;
  readonly readinessUrl: string;
  /** The JSON log lines so far (for a failing test's message). */
  readonly logs: readonly Record<string, unknown>[];
  /** SIGTERM (graceful: every accepted mutation is answered), then waits for the exit. */
  stop(): Promise<void>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    // Only what is given: nothing of the test runner's environment leaks into the configuration.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway not ready in ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (typeof entry.port === 'number' && String(entry.msg).includes('ready')) {
        clearTimeout(timer);
        resolve(entry.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}) before it was ready:\n${stderr}`));
    });
  });

  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    graphqlUrl: `${base}/graphql`,
    readinessUrl: `${base}/readiness`,
    logs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
