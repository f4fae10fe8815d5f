/**
 * The project's entry points as real processes (`node --import tsx <entry>`), as an operator runs
 * them: their own environment, signals, exit code, and their JSON lines on stdout to wait on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PGLITE_TEMPLATE } from './pglite-template.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LogLine {
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed (non-JSON lines as `{ msg: line }`). */
  readonly lines: LogLine[];
  readonly stderr: () => string;
  /** Resolves with the first line (past or future) that matches; rejects if the process exits first, or after `timeoutMs`. */
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** `signal` (SIGTERM by default), SIGKILL if it has not exited after `killAfterMs`; resolves once it has exited. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<void>;
}

const DEFAULT_KILL_AFTER_MS = 15_000;
/** How long an entry point may take to say it is ready: generous, since on a loaded 2-core machine loading its modules through tsx takes seconds. */
export const START_TIMEOUT_MS = 60_000;

export interface SpawnOptions {
  /**
   * Ask the kernel to run it ahead of the rest (a negative nice value) — for the test's judges and
   * clocks, never for the system under test. Needs the right to (root, CAP_SYS_NICE); without it the
   * process runs at normal priority, which only makes its timing noisier on a loaded machine.
   */
  readonly prioritised?: boolean;
}

/** The nice value of a prioritised process: ahead of the gateways, the runner, and a busy loop. */
const PRIORITISED_NICE = -10;

/**
 * Starts `entry` (a path from the repository's root) with exactly `env` (plus PATH and HOME): nothing
 * leaks in from the test's own environment.
 */
export function spawnNode(
  entry: string,
  env: Record<string, string>,
  args: readonly string[] = [],
  options: SpawnOptions = {},
): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (options.prioritised && child.pid !== undefined) {
    try {
      setPriority(child.pid, PRIORITISED_NICE);
    } catch {
      // Not permitted here: normal priority it is.
    }
  }
  const lines: LogLine[] = [];
  const waiters: { predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = parseLine(text);
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(predicate, timeoutMs) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(() => reject(new Error(`${entry}: no such line in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${entry} exited (${code}) before the line came; stderr: ${stderr}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', killAfterMs = DEFAULT_KILL_AFTER_MS) {
      if (!running()) return;
      // A paused process would never act on the signal.
      child.kill('SIGCONT');
      child.kill(signal);
      const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(kill);
    },
  };
}

/**
 * The gateway, `src/main.ts`. Without `DATABASE_URL` (or `AUDIT_DATABASE_URL`) or a `JOBS_DATA_DIR`
 * of the test's choosing, it gets an embedded job database of its own — a copy of the initialised
 * template (pglite-template.ts) in a temporary directory, removed when it exits — as two replicas of
 * one machine would be configured: one process per directory.
 */
export function spawnGateway(env: Record<string, string>): NodeProcess {
  const sharesADatabase = env['DATABASE_URL'] ?? env['AUDIT_DATABASE_URL'] ?? env['JOBS_DATA_DIR'];
  if (sharesADatabase !== undefined) return spawnNode('src/main.ts', env);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-jobs-'));
  if (existsSync(PGLITE_TEMPLATE)) cpSync(PGLITE_TEMPLATE, dir, { recursive: true });
  const gateway = spawnNode('src/main.ts', { ...env, JOBS_DATA_DIR: dir });
  void gateway.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  return gateway;
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { msg: text };
  }
}
