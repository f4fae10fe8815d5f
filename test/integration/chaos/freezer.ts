/**
 * Freezes processes on a schedule — SIGSTOP, then SIGCONT once the pause is over — from a process of
 * its own. The test runner cannot time the pauses itself: loaded with a thousand callers, its timers
 * fire seconds late, and a "200 ms" pause would last however long the runner was busy. This process
 * does nothing but sleep between signals, so it wakes on time.
 *
 *   node --import tsx test/integration/chaos/freezer.ts '[{"pid":123,"atMs":400,"forMs":150},…]'
 *
 * Prints `{"msg":"started"}` when its clock starts, one line per pause as it really happened (`from`
 * and `to` in Unix ms, comparable with the simulator's arrival times), and `{"msg":"done"}`. A frozen process is thawed whatever happens to this one short of SIGKILL.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

interface ScheduledPause {
  readonly pid: number;
  readonly atMs: number;
  readonly forMs: number;
}

const schedule = JSON.parse(process.argv[2] ?? '[]') as ScheduledPause[];
let frozen: number | undefined;

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false; // the process is gone: nothing to freeze or thaw
  }
}

function thawAndExit(): void {
  if (frozen !== undefined) signal(frozen, 'SIGCONT');
  process.exit(0);
}
process.once('SIGTERM', thawAndExit);
process.once('SIGINT', thawAndExit);

const start = performance.now();
console.log(JSON.stringify({ msg: 'started' }));
for (const { pid, atMs, forMs } of schedule) {
  await sleep(Math.max(0, atMs - (performance.now() - start)));
  const from = performance.timeOrigin + performance.now();
  if (!signal(pid, 'SIGSTOP')) continue;
  frozen = pid;
  await sleep(forMs);
  signal(pid, 'SIGCONT');
  frozen = undefined;
  console.log(JSON.stringify({ msg: 'paused', pid, from, to: performance.timeOrigin + performance.now() }));
}
console.log(JSON.stringify({ msg: 'done' }));
