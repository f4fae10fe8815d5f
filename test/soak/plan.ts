/**
 * A soak run, drawn from a seed: who calls with which IDs and when, which IDs Tencent rejects as
 * malformed, and what the simulator does to each upstream call in turn. The same seed always draws
 * the same plan, so a failing seed can be replayed (`SOAK_SEEDS=<seed> npx vitest run test/soak`);
 * what the timing of a particular run makes of it (which call meets which fault) can still vary.
 */
import type { Fault } from '../../src/simulator/simulator.js';

/** The IDs the rig's simulator holds at start (see `startRig`); higher IDs do not exist. */
export const SEEDED_IDS = { from: 1, to: 20_000 } as const;

export interface SoakCaller {
  /** As sent: may hold duplicates, IDs that do not exist, and now and then an ID ≤ 0. */
  readonly ids: readonly number[];
  /** When it sends, in ms after the start. */
  readonly startAfterMs: number;
}

export interface SoakPlan {
  readonly seed: number;
  readonly callers: readonly SoakCaller[];
  /** IDs that several callers ask for, at overlapping times. */
  readonly shared: ReadonlySet<number>;
  /** IDs the simulator rejects with `InvalidParameter.InvalidCSRId`. */
  readonly poison: ReadonlySet<number>;
  /** What happens to the 1st, 2nd, … upstream call; `delay 0` is a clean answer. */
  readonly calls: readonly Fault[];
}

export interface PlanShape {
  readonly callers: number;
  /** Spread of the callers' start times. */
  readonly arrivalSpreadMs: number;
  /** Upstream calls given a drawn fate; the calls after them are clean. */
  readonly scheduledCalls: number;
  /** Share of those calls that meet a fault. */
  readonly faultRate: number;
  /** A delay longer than this is a timeout at the gateway (its UPSTREAM_TIMEOUT_MS). */
  readonly upstreamTimeoutMs: number;
}

/** mulberry32: a tiny, well-known seeded generator (test data only, not cryptography). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function drawPlan(seed: number, shape: PlanShape): SoakPlan {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  // Most of the callers' IDs are theirs alone, so that "reported not deleted" can be checked against
  // what the simulator deleted. A small pool is asked for by several callers: the engine then shares
  // one upstream slot between them (or, one after the other, the second is rightly told "not deleted").
  const sharedPool = Array.from({ length: 20 }, (_, i) => SEEDED_IDS.to - i);
  const shared = new Set<number>();
  let nextExisting = SEEDED_IDS.from;
  let nextMissing = SEEDED_IDS.to + 1;
  const poison = new Set<number>();
  const callers: SoakCaller[] = [];
  for (let i = 0; i < shape.callers; i++) {
    const roll = random();
    const size = roll < 0.45 ? 1 : roll < 0.85 ? int(2, 20) : int(30, 150);
    const ids: number[] = [];
    for (let k = 0; k < size; k++) {
      const kind = random();
      if (kind < 0.86) ids.push(nextExisting++);
      else if (kind < 0.92) ids.push(nextMissing++);
      else if (kind < 0.965) {
        const id = pick(sharedPool);
        shared.add(id);
        ids.push(id);
      } else if (kind < 0.995 && ids.length > 0) {
        ids.push(pick(ids)); // a duplicate within the caller
      } else {
        // A poison ID: Tencent rejects every call that carries it.
        const id = nextExisting++;
        poison.add(id);
        ids.push(id);
      }
    }
    if (random() < 0.05) ids.push(0); // refused by the gateway itself, never sent
    callers.push({ ids, startAfterMs: random() < 0.5 ? 0 : int(0, shape.arrivalSpreadMs) });
  }

  // Drawn afresh for each call (the codes and statuses too), in this order: the order is part of
  // what a seed means, so that a seed named in a bug report replays the same plan.
  const faults = (): Fault[] => [
    // Every throttling code Tencent has for this API: retried after the engine's cool-down.
    {
      kind: 'error',
      code: pick([
        'RequestLimitExceeded',
        'RequestLimitExceeded.UinLimitExceeded',
        'RequestLimitExceeded.IPLimitExceeded',
        'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
        'LimitExceeded.RateLimitExceeded',
      ]),
    },
    // Tencent failing inside: retried with backoff.
    {
      kind: 'error',
      code: pick(['InternalError', 'InternalError.BackendResponseError', 'InternalError.BackendResponseEmpty', 'ServiceUnavailable', 'ResourceUnavailable']),
    },
    // Final: not retried.
    { kind: 'error', code: pick(['FailedOperation', 'LimitExceeded', 'ResourceInUse', 'IpNotInWhitelist', 'AuthFailure.TokenFailure']) },
    { kind: 'http', status: pick([500, 502, 503]) },
    { kind: 'nonJson' },
    { kind: 'delay', ms: shape.upstreamTimeoutMs * 2 }, // a timeout; the delete lands later
    { kind: 'delay', ms: Math.floor(shape.upstreamTimeoutMs / 3) }, // slow, but in time
    { kind: 'dropBeforeApply' },
    { kind: 'dropAfterApply' }, // deleted, answer lost
  ];
  const calls: Fault[] = [];
  for (let i = 0; i < shape.scheduledCalls; i++) {
    calls.push(random() < shape.faultRate ? pick(faults()) : { kind: 'delay', ms: 0 });
  }
  return { seed, callers, shared, poison, calls };
}
