/**
 * What the container image does, without a container engine: the runtime stage laid out as the
 * Dockerfile makes it (`npm ci --omit=dev` into an empty folder, the compiled `dist/` copied in), started
 * as an unprivileged user with the image's exact CMD and ENV (read from the Dockerfile), plus what an
 * operator passes with `docker run -e` (credentials, API keys, ports). It must get ready, answer its
 * HEALTHCHECK, keep /metrics off the public port, and on SIGTERM with mutations in flight answer every
 * one in full and exit 0 — the signal reaching node directly, as it does when node is PID 1.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPartition, RESULT_FIELDS, type ResultShape } from '../../support/gateway.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';
import { productionInstall, readRuntimeStage, type RuntimeStage } from './production-install.js';

const run = promisify(execFile);
const API_KEY = 'production-layout-api-key-0123456789';
/** The unprivileged user the test runs the gateway as (the image's own, `node`, may not exist on this machine). */
const UNPRIVILEGED = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];
const CALLERS = 3;
const IDS_PER_CALLER = 400;

let stage: RuntimeStage;
let app: { dir: string; npmOutput: string };
let simulator: SimulatorProcess;

beforeAll(async () => {
  stage = await readRuntimeStage();
  [app, simulator] = await Promise.all([productionInstall(), startSimulatorProcess({ seed: { from: 1, to: 5_000 } })]);
  // The image's data/ belongs to its user.
  await rm(join(app.dir, 'data'), { recursive: true, force: true });
  await mkdir(join(app.dir, 'data'));
  await run('chown', ['nobody:nogroup', join(app.dir, 'data')]);
}, 600_000);

afterAll(async () => {
  await simulator?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
  readonly pid: number;
  /** Undefined while it runs. */
  exitCode(): number | null | undefined;
  waitFor(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** `argv` as the image runs it: in WORKDIR's stand-in, as an unprivileged user, with exactly `env` (node found on PATH). */
function startAsImage(argv: readonly string[], env: Record<string, string>): Started {
  const child = spawn('setpriv', [...UNPRIVILEGED, '--', ...argv], {
    cwd: app.dir,
    env: { PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  return {
    lines,
    exited,
    exitCode: () => exitCode,
    pid: child.pid ?? -1,
    waitFor: (predicate) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = lines.find(predicate);
          if (line) resolve(line);
        };
        waiters.push(check);
        check();
        void exited.then((code) => reject(new Error(`exited (${code}) first; stderr: ${stderr}`)));
      }),
  };
}

describe('the image, laid out without a container engine', () => {
  it('runs production dependencies only, as a non-root user, with node itself as the command', () => {
    expect(stage.user).toBeDefined();
    expect(['root', '0']).not.toContain(stage.user);
    expect(stage.cmd[0]).toBe('node');
    expect(stage.cmd).not.toContain('npm');
    expect(stage.env['NODE_ENV']).toBe('production');
    expect(stage.env['HOST']).toBe('0.0.0.0');
    expect(stage.expose).toEqual(expect.arrayContaining([Number(stage.env['PORT']), Number(stage.env['METRICS_PORT'])]));
    // On a supported Node line, the production tree installs without an engine warning.
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 15)) expect(app.npmOutput).not.toContain('EBADENGINE');
  });

  it('gets ready, passes its HEALTHCHECK, and on SIGTERM answers every in-flight mutation in full, then exits 0', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const env = {
      ...stage.env,
      // What `docker run -e` adds: the operator's ports, Tencent account and callers' keys.
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      ...simulator.gatewayEnv,
      AUTH_API_KEYS: `layout:${API_KEY}`,
      LOG_LEVEL: 'info',
    };
    const gateway = startAsImage(stage.cmd, env);
    try {
      await gateway.waitFor((line) => typeof line['port'] === 'number');
      const readiness = await fetch(`http://127.0.0.1:${metricsPort}/readiness`);
      expect(readiness.status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readiness`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
      // Metrics have a listener of their own: the public port does not serve them.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      // GraphiQL is off in production: a browser gets no page.
      const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
      expect(await page.text()).not.toContain('<html');
      if (stage.healthcheck) {
        const healthcheck = startAsImage(stage.healthcheck, env);
        expect(await healthcheck.exited).toBe(0);
      }

      const idsOf = (caller: number): number[] => Array.from({ length: IDS_PER_CALLER }, (_, i) => 1 + caller * IDS_PER_CALLER + i);
      const answers = Array.from({ length: CALLERS }, (_, caller) =>
        fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify({
            query: `mutation Delete($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { ${RESULT_FIELDS} } }`,
            variables: { ids: idsOf(caller) },
          }),
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as { data: { batchDeleteCSRs: ResultShape } } })),
      );
      // The first upstream call has arrived: the mutations are accepted, most of their calls still to come.
      await expect.poll(async () => (await simulator.calls()).length, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
      process.kill(gateway.pid, 'SIGTERM');

      const settled = await Promise.all(answers);
      for (const [caller, { status, body }] of settled.entries()) {
        expect(status).toBe(200);
        expectPartition(body.data.batchDeleteCSRs, idsOf(caller));
        expect(body.data.batchDeleteCSRs.deletedIds).toHaveLength(IDS_PER_CALLER);
      }
      expect(await gateway.exited).toBe(0);
      expect(gateway.lines.at(-1)?.['msg']).toBe('stopped');
      // The simulator, in a process of its own, saw every ID deleted, and the shutdown began mid-work.
      expect(await simulator.exists(settled.flatMap((_, caller) => idsOf(caller)))).toEqual([]);
      expect((await simulator.calls()).length).toBe((CALLERS * IDS_PER_CALLER) / 100);
    } finally {
      if (gateway.exitCode() === undefined) process.kill(gateway.pid, 'SIGKILL');
    }
  }, 180_000);
});
