/**
 * The server side of a measured process: tells the bench which port it listens on, and answers its
 * questions over the IPC channel — how late the event loop ran (reset at the start of a measurement)
 * and the peak RSS. The load generator lives in the parent, so these figures are the server's alone.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ProcessStats } from './stats.js';

export type ProbeRequest = { readonly type: 'reset' } | { readonly type: 'stats' } | { readonly type: 'stop' };
export type ProbeReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'reset' }
  | { readonly type: 'stats'; readonly stats: ProcessStats }
  | { readonly type: 'stopped' };

/** Serves the probe for a server listening on `port`; `stop` runs the server's own shutdown. */
export function serveProbe(port: number, stop: () => Promise<void>): void {
  if (!process.send) throw new Error('bench targets run as child processes of bench/run.ts (no IPC channel)');
  const send = (reply: ProbeReply): void => {
    process.send?.(reply);
  };
  // 10 ms sampling, the default: it sees every stall that matters to a request, and costs nothing.
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();

  process.on('message', (message: ProbeRequest) => {
    switch (message.type) {
      case 'reset':
        delay.reset();
        cpuAtReset = process.cpuUsage();
        send({ type: 'reset' });
        return;
      case 'stats':
        send({ type: 'stats', stats: statsOf(delay) });
        return;
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
/** The process's CPU time when the measurement began. */
let cpuAtReset = process.cpuUsage();

function statsOf(delay: ReturnType<typeof monitorEventLoopDelay>): ProcessStats {
  // The histogram records the time between samples, so an idle loop reads the resolution itself.
  const ms = (ns: number): number => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
  const sampled = delay.count > 0;
  return {
    // `maxRSS` is the kernel's high-water mark (KiB) for the whole life of the process.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    cpuMs: (({ user, system }) => Math.round((user + system) / 1_000))(process.cpuUsage(cpuAtReset)),
    eventLoopDelayMs: {
      p50: sampled ? ms(delay.percentile(50)) : 0,
      p99: sampled ? ms(delay.percentile(99)) : 0,
      max: sampled ? ms(delay.max) : 0,
    },
  };
}
