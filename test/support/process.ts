/**
 * The gateway as a real process (`node --import tsx src/main.ts`), as an operator runs it: its own
 * environment, signals, exit code, and its JSON log lines on stdout to wait on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface LogLine {
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  /** Every stdout line so far, parsed (non-JSON lines as `{ msg: line }`). */
  readonly lines: LogLine[];
  readonly stderr: () => string;
  /** Resolves with the first line (past or future) that matches. */
  waitForLine(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Starts the gateway with exactly `env` (plus PATH and HOME): nothing leaks in from the test's own environment. */
export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(predicate) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then((code) => reject(new Error(`gateway exited (${code}) before the line came; stderr: ${stderr}`)));
      });
    },
  };
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { msg: text };
  }
}
