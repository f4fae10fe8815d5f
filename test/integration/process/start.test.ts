/**
 * The README's quick start, as a new user runs it: `npm start` with nothing configured builds the
 * gateway, starts it against the embedded simulator (saying so loudly), serves GraphiQL and the
 * mutation, and stops cleanly on SIGTERM.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { fetch } from 'undici';
import { deleteCSRs } from '../../support/gateway.js';

let child: ChildProcessByStdio<null, Readable, Readable> | undefined;
afterEach(() => {
  // npm does not pass signals on to the gateway; signal the whole group, as a terminal's Ctrl-C does.
  if (child?.pid) process.kill(-child.pid, 'SIGKILL');
  child = undefined;
});

interface LogLine {
  msg?: string;
  port?: number;
  level?: number;
}

it('`npm start` with no configuration runs on the embedded simulator and stops cleanly', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  for (const name of Object.keys(env)) if (name.startsWith('TENCENTCLOUD_') || name.startsWith('AUTH_')) delete env[name];
  delete env.NODE_ENV;
  child = spawn('npm', ['start', '--silent'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: LogLine[] = [];
  const ready = new Promise<number>((resolve, reject) => {
    createInterface({ input: child!.stdout }).on('line', (text) => {
      try {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        if (line.msg?.startsWith('GraphQL gateway ready') && line.port) resolve(line.port);
      } catch {
        // npm's own output, the build's: not log lines.
      }
    });
    child!.once('exit', (code) => reject(new Error(`npm start exited early with ${code}`)));
  });
  const port = await ready;
  expect(lines.some((line) => line.msg?.includes('SIMULATOR MODE') && line.level === 40)).toBe(true);
  expect(lines.some((line) => line.msg?.includes('AUTH OFF'))).toBe(true);

  const page = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('batchDeleteCSRs');

  const result = await deleteCSRs(`http://127.0.0.1:${port}/graphql`, [1, 2, 3]);
  expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [1, 2, 3] });

  // Ctrl-C in the terminal: SIGINT to the process group. The gateway drains, says so, and exits.
  const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
  const stopped = new Promise<void>((resolve) => {
    const check = (): void => {
      if (lines.some((line) => line.msg === 'stopped')) resolve();
    };
    createInterface({ input: child!.stdout }).on('line', check);
    check();
  });
  process.kill(-child.pid!, 'SIGINT');
  await Promise.all([stopped, exited]);
  child = undefined;
}, 60_000);
