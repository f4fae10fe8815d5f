/**
 * Starting and questioning a measured server (bench/targets/main.ts) in its own process: one
 * process per measurement, so that its peak RSS and event-loop delay belong to that measurement.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { compiled } from './build.js';
import type { ProbeReply, ProbeRequest } from './probe.js';
import type { ProcessStats } from './stats.js';

export const TARGET_KINDS = ['gateway', 'instant-gateway', 'baseline', 'bare'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Compiled by `buildTargets` before the scenarios run. */
const ENTRY = compiled('bench/targets/main.ts');

export interface Target {
  readonly kind: TargetKind;
  readonly url: string;
  /** Starts the measurement: the event-loop delay histogram restarts from here. */
  reset(): Promise<void>;
  stats(): Promise<ProcessStats>;
  /** Closes the server (draining the gateway), then the process exits. */
  stop(): Promise<void>;
}

export async function startTarget(
  kind: TargetKind,
  env: Record<string, string>,
  options: { discardStdout?: boolean; execArgv?: readonly string[]; entry?: string } = {},
): Promise<Target> {
  // Another build of the same entry when asked (bench/cpu-profile.ts --before: the code before a change).
  const child = fork(options.entry ?? ENTRY, [kind], {
    // NODE_ENV=production as deployed: graphql-js and yoga skip their development-only checks.
    env: { ...process.env, NODE_ENV: 'production', ...env },
    // Plain node unless asked (bench/cpu-profile.ts passes --cpu-prof).
    execArgv: [...(options.execArgv ?? [])],
    stdio: ['ignore', options.discardStdout ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const ready = await reply(child, 'ready');
  return {
    kind,
    url: `http://127.0.0.1:${ready.port}/graphql`,
    async reset() {
      await ask(child, { type: 'reset' }, 'reset');
    },
    async stats() {
      return (await ask(child, { type: 'stats' }, 'stats')).stats;
    },
    async stop() {
      if (child.exitCode !== null || !child.connected) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask(child, { type: 'stop' }, 'stopped');
      await exited;
    },
  };
}

type ReplyOf<T extends ProbeReply['type']> = Extract<ProbeReply, { type: T }>;

function ask<T extends ProbeReply['type']>(child: ChildProcess, request: ProbeRequest, expected: T): Promise<ReplyOf<T>> {
  const answer = reply(child, expected);
  child.send(request);
  return answer;
}

function reply<T extends ProbeReply['type']>(child: ChildProcess, expected: T): Promise<ReplyOf<T>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ProbeReply): void => {
      if (message.type !== expected) return;
      cleanup();
      resolve(message as ReplyOf<T>);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`bench target exited (code ${code}, signal ${signal}) while the bench waited for "${expected}"`));
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
