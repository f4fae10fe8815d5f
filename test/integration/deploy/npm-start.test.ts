/**
 * `npm start` as a newcomer runs it (docs/contract.md §1): it compiles nothing when no source changed,
 * and SIGTERM to npm stops the gateway — npm forwards the signal to its script, which `exec`s node, so
 * the gateway drains and exits and npm with it (it used to reach a shell that died, leaving the gateway
 * serving). Also `npm run simulator` alone: it prints its published development credentials, and a
 * gateway given only its endpoint uses them and says so.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_CREDENTIALS } from '../../../src/simulator/embedded.js';
import { ROOT } from './production-install.js';

interface Npm {
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  readonly pid: number;
  waitFor(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

let dataDir: string;
const children: Npm[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
});
afterAll(async () => {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dataDir, { recursive: true, force: true });
});

function npm(args: readonly string[], env: Record<string, string>): Npm {
  const child = spawn('npm', args, {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      AUDIT_DATA_DIR: join(dataDir, 'audit'),
      JOBS_DATA_DIR: join(dataDir, 'jobs'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so that cleanup reaches whatever npm started, even an orphan.
    detached: true,
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as Record<string, unknown>);
    } catch {
      lines.push({ msg: text });
    }
    for (const waiter of [...waiters]) waiter();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started: Npm = {
    lines,
    exited,
    pid: child.pid ?? -1,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = lines.find(predicate);
          if (line) resolve(line);
        };
        waiters.push(check);
        check();
        void exited.then((code) => reject(new Error(`npm ${args.join(' ')} exited (${code}) first; stderr: ${stderr}`)));
      }),
  };
  children.push(started);
  return started;
}

const isReady = (line: Record<string, unknown>): boolean => typeof line['port'] === 'number';

describe('npm start', () => {
  it('compiles nothing when no source changed, and stops the gateway on SIGTERM', async () => {
    const build = npm(['run', 'build', '--silent'], {});
    expect(await build.exited).toBe(0);
    const builtAt = (await stat(join(ROOT, 'dist/main.js'))).mtimeMs;

    const start = npm(['start', '--silent'], { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const ready = await start.waitFor(isReady);
    expect((await stat(join(ROOT, 'dist/main.js'))).mtimeMs).toBe(builtAt);
    const health = `http://127.0.0.1:${ready['port'] as number}/health`;
    expect((await fetch(health)).status).toBe(200);

    process.kill(start.pid, 'SIGTERM');
    expect(await start.exited).not.toBeNull();
    await start.waitFor((line) => line['msg'] === 'stopped');
    // Nothing is left serving.
    await expect(fetch(health)).rejects.toThrow();
  }, 180_000);
});

describe('npm run simulator, alone', () => {
  it('prints its development credentials, and a gateway given only its endpoint signs with them', async () => {
    const simulator = npm(['run', 'simulator', '--silent', '--', '--port', '0'], {});
    const listening = await simulator.waitFor((line) => typeof line['url'] === 'string');
    expect(listening).toMatchObject({ secretId: DEVELOPMENT_CREDENTIALS.secretId, secretKey: DEVELOPMENT_CREDENTIALS.secretKey });
    expect(listening['msg']).toContain(`TENCENTCLOUD_SECRET_KEY=${DEVELOPMENT_CREDENTIALS.secretKey}`);

    const gateway = npm(['start', '--silent'], {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TENCENTCLOUD_SSL_ENDPOINT: listening['url'] as string,
    });
    const ready = await gateway.waitFor(isReady);
    const said = gateway.lines.find((line) => typeof line['msg'] === 'string' && line['msg'].includes('SIMULATOR MODE'));
    expect(said?.['msg']).toContain(`TENCENTCLOUD_SSL_ENDPOINT=${listening['url'] as string}`);
    expect(ready['endpoint']).toBe(listening['url']);

    const response = await fetch(`http://127.0.0.1:${ready['port'] as number}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { batchDeleteCSRs(ids: [7, 8]) { ... on BatchDeleteCSRsSuccess { deletedIds } } }' }),
    });
    expect(await response.json()).toEqual({ data: { batchDeleteCSRs: { deletedIds: [7, 8] } } });

    process.kill(gateway.pid, 'SIGTERM');
    process.kill(simulator.pid, 'SIGTERM');
    expect(await gateway.exited).toBe(0);
    await simulator.exited;
  }, 180_000);

  it("refuses Tencent's own endpoint without credentials, saying what to set", async () => {
    const gateway = npm(['start', '--silent'], { PORT: '0', HOST: '127.0.0.1', TENCENTCLOUD_SSL_ENDPOINT: 'https://ssl.tencentcloudapi.com' });
    expect(await gateway.exited).toBe(1);
  }, 120_000);
});
