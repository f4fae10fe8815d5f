/**
 * Chaos, end to end and bounded (tens of seconds each): gateway processes in front of one simulator
 * process that judges what arrives — three replicas sharing one Redis, and one replica alone with its
 * in-process limit. Steady load of callers of every size, bursts of 1,000 one-ID callers, one replica
 * at a time frozen (SIGSTOP) for 100–250 ms and thawed (SIGCONT), and a seeded random mix of upstream
 * faults: error codes, HTTP 5xx, non-JSON, timeouts, answers lost before and after the delete was
 * applied, poison IDs. Whatever the timing makes of it, the contract's invariants must hold:
 *
 *   - every mutation is answered, with a result that accounts for the caller's IDs exactly (§4);
 *   - every call carries 1–100 distinct IDs, all of them asked for by some caller (§5);
 *   - no sliding second holds more than the limit's calls, as the simulator saw them arrive (§5);
 *   - honest accounting (§4): an ID the simulator deleted is reported in `deletedIds` or `unknownIds`,
 *     never in `notDeletedIds` or `errors`; an ID reported deleted is gone from the simulator;
 *   - only poison IDs are blamed (`InvalidCSRIdError`), and no poison ID is reported answered;
 *   - once every mutation is answered, no replica holds a pending ID.
 *
 * (The store checks skip the few IDs that several callers ask for: for those, one caller's "not
 * deleted" may rightly follow another's delete.)
 *
 * Each run draws a fresh seed, printed when it fails; `CHAOS_SEED=<seed>` replays that plan.
 */
import { randomInt } from 'node:crypto';
import { afterEach, expect, it, onTestFailed } from 'vitest';
import { DEFAULT_KEY_PREFIX } from '../../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../../src/engine/redis-schedule.js';
import type { CallRecord } from '../../../src/simulator/simulator.js';
import { TEST_REDIS_URL } from '../../support/environment.js';
import { deleteCSRs, expectPartition, type ErrorShape, type ResultShape } from '../../support/gateway.js';
import { freshConnections, startGatewayProcesses, type GatewayProcess } from '../../support/gateway-process.js';
import { spawnNode, START_TIMEOUT_MS, type NodeProcess } from '../../support/process.js';
import { deleteKeys } from '../../support/redis-server.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';
import { drawPlan, type ChaosPlan, type ChaosShape } from './plan.js';

const LIMIT = 10;
const UPSTREAM_TIMEOUT_MS = 300;
const MUTATION_DEADLINE_MS = 4_000;
const SHAPE: Omit<ChaosShape, 'replicas'> = {
  steadyCallers: 120,
  loadMs: 5_000,
  bursts: 2,
  burstSize: 1_000,
  scheduledCalls: 60,
  faultRate: 0.45,
  upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
  pauseMs: [100, 250],
  pauseGapMs: [150, 600],
};
/**
 * A mutation waits at most its deadline, plus the call in flight then (bounded by the upstream
 * timeout), plus the pauses it sat through. Counted from when the last caller was sent, with room for
 * a machine so loaded that every process runs seconds late: one not answered by then never will be,
 * and the test says which and why.
 */
const UNANSWERED_AFTER_MS = MUTATION_DEADLINE_MS + UPSTREAM_TIMEOUT_MS + 30_000;

const seed = Number(process.env['CHAOS_SEED']) || randomInt(1, 2 ** 31 - 1);

/** [what, replicas, whether they share the limit through Redis] */
const TOPOLOGIES: readonly (readonly [string, number, boolean])[] = [
  // The limit shared through Redis: a frozen replica must not spend a slot it reserved before the freeze.
  ['three replicas sharing Redis', 3, true],
  // The in-process limit: a frozen process must not send, on waking, calls it was granted before.
  ['one replica with its in-process limit', 1, false],
];

let simulator: SimulatorProcess | undefined;
let gateways: GatewayProcess[] = [];
let freezer: NodeProcess | undefined;
afterEach(async () => {
  await freezer?.stop(); // thaws the replica it holds frozen, if any
  freezer = undefined;
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await simulator?.close();
  if (simulator) await deleteKeys(TEST_REDIS_URL, scheduleKey(DEFAULT_KEY_PREFIX, simulator.credentials.secretId, '*'));
  gateways = [];
  simulator = undefined;
});

/** An answer, or what came instead of one (a GraphQL error, a broken connection). */
type Answer = { readonly result: ResultShape } | { readonly failure: string };

/** A replica frozen from `from` to `to`, Unix ms (the simulator's arrival times are on the same scale). */
interface Pause {
  readonly from: number;
  readonly to: number;
}

it.each(TOPOLOGIES)(`chaos, %s (seed ${seed}): freezes, bursts and upstream faults break no invariant`, async (_, replicas, redis) => {
  onTestFailed(() => {
    console.error(`chaos test failed with seed ${seed}; replay its plan: CHAOS_SEED=${seed} npx vitest run test/integration/chaos`);
  });
  const plan = drawPlan(seed, { ...SHAPE, replicas });
  simulator = await startSimulatorProcess({ seed: plan.existing, invalidIds: plan.poison, rateLimit: LIMIT });
  await simulator.injectAll(plan.calls.map((fault) => ({ fault })));
  gateways = await startGatewayProcesses(replicas, {
    ...simulator.gatewayEnv,
    ...(redis ? { REDIS_URL: TEST_REDIS_URL } : {}),
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    MUTATION_DEADLINE_MS: String(MUTATION_DEADLINE_MS),
  });

  freezer = await startFreezer(plan);
  const answers = await runCallers(plan, simulator);
  const pauses = await pausesOf(freezer);
  // Nothing is left waiting in any replica once its callers are answered (the gauge may lag an
  // in-flight call by at most the upstream timeout).
  for (const gateway of gateways) {
    await expect.poll(() => gateway.pendingIds(), { timeout: 10_000, interval: 50 }).toBe(0);
  }
  // Stopped replicas send nothing more; a delayed answer applies its delete when it is finally sent,
  // after the gateway gave up on it: judge the store once every call received has played out.
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await expect.poll(async () => (await simulator!.calls()).filter((call) => call.outcome === 'Delayed'), { timeout: 10_000 }).toEqual([]);

  await checkInvariants(plan, answers, simulator, pauses);
}, 180_000);

/** Sends every caller's mutation at its time to its replica; fails, naming the callers left waiting, if any is never answered. */
async function runCallers(plan: ChaosPlan, sim: SimulatorProcess): Promise<Answer[]> {
  const answers: (Answer | undefined)[] = plan.callers.map(() => undefined);
  const sent: Promise<void>[] = [];
  const answered = Promise.all(
    plan.callers.map(async ({ ids, startAfterMs, replica }, index) => {
      const sending = delay(startAfterMs);
      sent.push(sending);
      await sending;
      answers[index] = await deleteCSRs(gateways[replica]!.graphqlUrl, ids, {}, freshConnections).then(
        (result) => ({ result }),
        (error: unknown) => ({ failure: describeError(error) }),
      );
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const unanswered = Promise.all(sent).then(
    () => new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), UNANSWERED_AFTER_MS))),
  );
  const settled = await Promise.race([answered, unanswered]);
  clearTimeout(timer);
  if (settled === 'unanswered') throw new Error(describeUnanswered(plan, answers, await sim.calls()));
  return answers as Answer[];
}

/** One replica at a time frozen for 100–250 ms, as the plan says, by a process whose timers run on time. */
async function startFreezer(plan: ChaosPlan): Promise<NodeProcess> {
  const schedule = plan.pauses.map(({ replica, atMs, forMs }) => ({ pid: gateways[replica]!.process.child.pid, atMs, forMs }));
  const started = spawnNode('test/integration/chaos/freezer.ts', {}, [JSON.stringify(schedule)], { prioritised: true });
  await started.waitForLine((line) => line.msg === 'started', START_TIMEOUT_MS);
  return started;
}

/** The pauses as they really happened, once the freezer is done. */
async function pausesOf(running: NodeProcess): Promise<Pause[]> {
  await running.waitForLine((line) => line.msg === 'done');
  return running.lines.filter((line) => line.msg === 'paused').map((line) => ({ from: line['from'] as number, to: line['to'] as number }));
}

function describeUnanswered(plan: ChaosPlan, answers: readonly (Answer | undefined)[], calls: readonly CallRecord[]): string {
  const lines = [`seed ${plan.seed}: mutations never answered`];
  plan.callers.forEach(({ ids, replica }, index) => {
    if (answers[index]) return;
    lines.push(`  caller ${index} (replica ${replica}): ${JSON.stringify(ids)}`, callsCarrying(ids, calls));
  });
  return lines.join('\n');
}

/** The upstream calls that carried any of `ids`, as the simulator saw them. */
function callsCarrying(ids: readonly number[], calls: readonly CallRecord[]): string {
  const first = calls[0]?.arrivedAt ?? 0;
  return calls
    .filter((call) => call.ids.some((id) => ids.includes(id)))
    .map((call) => {
      const mine = call.ids.filter((id) => ids.includes(id));
      const deleted = call.deleted.filter((id) => ids.includes(id));
      return `    call of ${call.ids.length} IDs at +${(call.arrivedAt - first).toFixed(0)} ms: ${call.outcome}, carrying ${JSON.stringify(mine)}, deleting ${JSON.stringify(deleted)} (RequestId ${call.requestId ?? 'none'})`;
    })
    .join('\n');
}

/**
 * Checks every invariant over the whole run and fails once, listing every kind of violation found
 * (a few examples of each, with the upstream calls that explain them), so that one run shows all
 * that broke rather than the first thing.
 */
async function checkInvariants(plan: ChaosPlan, answers: readonly Answer[], sim: SimulatorProcess, pauses: readonly Pause[]): Promise<void> {
  // The deletes; the read side's calls (existence checks of lost answers) have limits of their own.
  const calls = (await sim.calls()).filter((call) => call.action === 'BatchDeleteCSR');
  const deletedUpstream = new Set(calls.flatMap((call) => call.deleted));
  const asked = new Set(plan.callers.flatMap((caller) => caller.ids));
  const existing = (id: number): boolean => id >= plan.existing.from && id <= plan.existing.to;
  const stillThere = new Set(await sim.exists([...asked].filter(existing)));
  const violations = new Map<string, string[]>();
  const violation = (invariant: string, detail: string): void => {
    violations.set(invariant, [...(violations.get(invariant) ?? []), detail]);
  };

  answers.forEach((answer, index) => {
    if ('failure' in answer) return violation('every mutation is answered with a result', `caller ${index}: ${answer.failure}`);
    const { result } = answer;
    const sent = plan.callers[index]!.ids;
    const told = `caller ${index} was told ${JSON.stringify(result)}`;
    try {
      expectPartition(result, sent);
    } catch (error) {
      violation('partition: each of the caller\'s IDs exactly once', `${told}\n  ${String(error)}`);
    }

    // A lost answer's check that finds an ID gone reports it deleted; for an ID that never existed it
    // finds it gone too (contract §5, "Reconciliation"): only an existing one must have been deleted upstream.
    const wronglyDeleted = (result.deletedIds ?? []).filter((id) => stillThere.has(id) || (existing(id) && !deletedUpstream.has(id)));
    if (wronglyDeleted.length > 0) {
      violation('an ID reported deleted is deleted in the simulator', `${told}\n  but ${JSON.stringify(wronglyDeleted)} were not deleted\n${callsCarrying(wronglyDeleted, calls)}`);
    }
    const deletedOrUnknown = new Set([...(result.deletedIds ?? []), ...(result.unknownIds ?? [])]);
    const denied = [...new Set(sent)].filter((id) => deletedUpstream.has(id) && !plan.shared.has(id) && !deletedOrUnknown.has(id));
    if (denied.length > 0) {
      violation(
        'an ID the simulator deleted is reported in deletedIds or unknownIds, never notDeletedIds or errors',
        `${told}\n  but ${JSON.stringify(denied)} were deleted\n${callsCarrying(denied, calls)}`,
      );
    }
    const innocent = errorsOf(result)
      .filter((error) => error.__typename === 'InvalidCSRIdError')
      .flatMap((error) => error.csrIds.filter((id) => id > 0 && !plan.poison.has(id)));
    if (innocent.length > 0) violation('only poison IDs are blamed as invalid', `${told}\n  but ${JSON.stringify(innocent)} are not poison`);
    // Tencent rejects every call that carries a poison ID, so none can have been answered.
    const poisonAnswered = [...(result.deletedIds ?? []), ...(result.notDeletedIds ?? [])].filter((id) => plan.poison.has(id));
    if (poisonAnswered.length > 0) violation('no poison ID is reported answered by Tencent', `${told}`);
  });

  for (const call of calls) {
    const nobodys = call.ids.filter((id) => !asked.has(id) || id <= 0);
    if (call.ids.length === 0 || call.ids.length > 100 || new Set(call.ids).size !== call.ids.length || nobodys.length > 0) {
      violation('every call carries 1-100 distinct IDs that callers asked for', JSON.stringify({ ids: call.ids, outcome: call.outcome }));
    }
  }
  const densest = densestWindow(calls, 1_000);
  if (densest.length > LIMIT) {
    violation(`no sliding second holds more than ${LIMIT} calls`, `${densest.length} calls within one second:\n${describeWindow(densest, pauses)}`);
  }

  if (violations.size === 0) return;
  const report = [...violations].map(
    ([invariant, details]) =>
      `✗ ${invariant}: ${details.length} violation(s)\n${details.slice(0, 3).join('\n')}${details.length > 3 ? `\n  … and ${details.length - 3} more` : ''}`,
  );
  expect.fail(`seed ${plan.seed}: ${violations.size} invariant(s) broken (${calls.length} upstream calls)\n\n${report.join('\n\n')}`);
}

/** The result's errors, whether it is a success holding some or one error type standing for all IDs. */
function errorsOf(result: ResultShape): Pick<ErrorShape, '__typename' | 'code' | 'csrIds'>[] {
  if (result.__typename === 'BatchDeleteCSRsSuccess') return result.errors ?? [];
  return [{ __typename: result.__typename, code: result.code ?? '', csrIds: result.csrIds ?? [] }];
}

/** The most calls that arrived within any `windowMs`, oldest first (the simulator has one account here). */
function densestWindow(calls: readonly CallRecord[], windowMs: number): CallRecord[] {
  const sorted = [...calls].sort((a, b) => a.arrivedAt - b.arrivedAt);
  let best: CallRecord[] = [];
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]!.arrivedAt - sorted[start]!.arrivedAt >= windowMs) start++;
    if (end - start + 1 > best.length) best = sorted.slice(start, end + 1);
  }
  return best;
}

function describeWindow(window: readonly CallRecord[], pauses: readonly Pause[]): string {
  const first = window[0]?.arrivedAt ?? 0;
  const last = window.at(-1)?.arrivedAt ?? 0;
  const at = (time: number): string => `${time - first >= 0 ? '+' : ''}${(time - first).toFixed(1)} ms`;
  const lines = window.map((call) => `  ${at(call.arrivedAt)}: a call of ${call.ids.length} IDs, ${call.outcome}`);
  for (const pause of pauses.filter(({ from, to }) => to > first - 1_000 && from < last)) {
    lines.push(`  a replica frozen from ${at(pause.from)} to ${at(pause.to)}`);
  }
  return lines.join('\n');
}

/** An error and its causes (undici's `fetch failed` says why only in its cause). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && parts.length < 4; cause = cause.cause) {
    parts.push(`${cause.name}: ${cause.message}`);
  }
  return parts.join(' ← ') || JSON.stringify(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
