/**
 * The server side of a measured process: tells the bench which port it listens on, and answers its
 * questions over the IPC channel — how late the event loop ran (reset at the start of a measurement)
 * and the peak RSS. The load generator lives in the parent, so these figures are the server's alone.
 */
import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProcessStats } from './stats.js';

export type ProbeRequest = { readonly type: 'reset' } | { readonly type: 'stats' } | { readonly type: 'stop' };
export type ProbeReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'reset' }
  | { readonly type: 'stats'; readonly stats: ProcessStats }
  | { readonly type: 'stopped' };

/**
 * Serves the probe for `server`, listening on `port`; `stop` runs the server's own shutdown.
 */
export function serveProbe(server: Server, port: number, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('bench targets run as child processes of bench/run.ts (no IPC channel)');
  const send = (reply: ProbeReply): void => {
    process.send?.(reply);
  };
  // 10 ms sampling, the default: it sees every stall that matters to a request, and costs nothing.
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let requests = 0;
  server.on('request', () => (requests += 1));
  let since = { cpu: process.cpuUsage(), requests };

  const profiler = cpuProfiler(process.env['BENCH_CPU_PROFILE']);

  process.on('message', (message: ProbeRequest) => {
    switch (message.type) {
      case 'reset':
        void profiler.start().then(() => {
          delay.reset();
          since = { cpu: process.cpuUsage(), requests };
          send({ type: 'reset' });
        });
        return;
      case 'stats': {
        const stats = statsOf(delay, process.cpuUsage(since.cpu), requests - since.requests);
        void profiler.stop().then(() => send({ type: 'stats', stats }));
        return;
      }
      case 'stop':
        // Exit rather than wait for the event loop to empty: a baseline cut off mid-run still has
        // resolvers sleeping towards rate-limit slots minutes away.
        void stop().finally(() => process.send?.({ type: 'stopped' } satisfies ProbeReply, () => process.exit(0)));
        return;
    }
  });
  send({ type: 'ready', port });
}

const RESOLUTION_MS = 10;

/**
 * V8's CPU profiler over exactly the measurement (reset to stats), written as a .cpuprofile to `path`
 * (`BENCH_CPU_PROFILE`, set by bench/cpu-profile.ts); nothing without it.
 */
function cpuProfiler(path: string | undefined): { start(): Promise<void>; stop(): Promise<void> } {
  if (!path) return { start: () => Promise.resolve(), stop: () => Promise.resolve() };
  const session = new Session();
  session.connect();
  let running = false;
  return {
    async start() {
      if (running) await session.post('Profiler.stop');
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      const { profile } = await session.post('Profiler.stop');
      await writeFile(path, JSON.stringify(profile));
    },
  };
}

function statsOf(delay: ReturnType<typeof monitorEventLoopDelay>, cpu: NodeJS.CpuUsage, requests: number): ProcessStats {
  // The histogram records the time between samples, so an idle loop reads the resolution itself.
  const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const sampled = delay.count > 0;
  return {
    // `maxRSS` is the kernel's high-water mark (KiB) for the whole life of the process.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    eventLoopDelayMs: {
      p50: sampled ? ms(delay.percentile(50)) : 0,
      p99: sampled ? ms(delay.percentile(99)) : 0,
      max: sampled ? ms(delay.max) : 0,
    },
    cpuMicrosPerRequest: requests > 0 ? Math.round(((cpu.user + cpu.system) / requests) * 10) / 10 : 0,
    cpuSystemMicrosPerRequest: requests > 0 ? Math.round((cpu.system / requests) * 10) / 10 : 0,
  };
}
