/**
 * A chaos run, drawn from a seed: who calls which replica with which IDs and when, the bursts of
 * one-ID callers, which IDs Tencent rejects as malformed, what the simulator does to each upstream
 * call in turn, and when which replica is frozen. The same seed always draws the same plan, so a
 * failing seed can be replayed (`CHAOS_SEED=<seed> npx vitest run test/integration/chaos`); what the timing of a
 * particular run makes of it (which call meets which fault) still varies, and the invariants must
 * hold whatever it makes.
 */
import type { Fault } from '../../../src/simulator/simulator.js';

/** IDs from here up do not exist in the simulator. */
const FIRST_MISSING_ID = 1_000_000;
/** How many existing IDs several callers ask for, at overlapping times. */
const SHARED_POOL_SIZE = 20;

export interface ChaosCaller {
  /** As sent: may hold duplicates, IDs that do not exist, and now and then an ID ≤ 0. */
  readonly ids: readonly number[];
  /** When it sends, in ms after the start. */
  readonly startAfterMs: number;
  /** Which replica it sends to. */
  readonly replica: number;
}

export interface Pause {
  readonly replica: number;
  /** When the replica is frozen (SIGSTOP), in ms after the start. */
  readonly atMs: number;
  /** How long until it is thawed (SIGCONT). */
  readonly forMs: number;
}

export interface ChaosPlan {
  readonly seed: number;
  /** Steady callers and the bursts' one-ID callers alike. */
  readonly callers: readonly ChaosCaller[];
  /** The IDs that exist at start, inclusive. */
  readonly existing: { readonly from: number; readonly to: number };
  /** IDs that several callers ask for: one caller's "not deleted" may rightly follow another's delete. */
  readonly shared: ReadonlySet<number>;
  /** IDs the simulator rejects with `InvalidParameter.InvalidCSRId`. */
  readonly poison: ReadonlySet<number>;
  /** What happens to the 1st, 2nd, … upstream call; `delay 0` is a clean answer. */
  readonly calls: readonly Fault[];
  /** One after another, never two replicas frozen at once. */
  readonly pauses: readonly Pause[];
}

export interface ChaosShape {
  readonly replicas: number;
  /** Callers of every size, their start times spread over `loadMs`. */
  readonly steadyCallers: number;
  readonly loadMs: number;
  /** Bursts of `burstSize` one-ID callers at once, at random moments of the load. */
  readonly bursts: number;
  readonly burstSize: number;
  /** Upstream calls given a drawn fate; the calls after them are clean. */
  readonly scheduledCalls: number;
  /** Share of those calls that meet a fault. */
  readonly faultRate: number;
  /** A delay longer than this is a timeout at the gateway (its UPSTREAM_TIMEOUT_MS). */
  readonly upstreamTimeoutMs: number;
  /** A pause's length, and the gap before the next, in ms: [min, max]. */
  readonly pauseMs: readonly [number, number];
  readonly pauseGapMs: readonly [number, number];
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

export function drawPlan(seed: number, shape: ChaosShape): ChaosPlan {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  // Most IDs are one caller's alone, so that what the simulator deleted can be held against what
  // that caller was told. A small pool is asked for by several callers: the engine then shares one
  // upstream slot between them (or, one after the other, the second is rightly told "not deleted").
  const sharedPool = Array.from({ length: SHARED_POOL_SIZE }, (_, i) => 1 + i);
  let nextExisting = 1 + SHARED_POOL_SIZE;
  let nextMissing = FIRST_MISSING_ID;
  const shared = new Set<number>();
  const poison = new Set<number>();
  const callers: ChaosCaller[] = [];
  for (let i = 0; i < shape.steadyCallers; i++) {
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
    callers.push({ ids, startAfterMs: int(0, shape.loadMs), replica: int(0, shape.replicas - 1) });
  }
  for (let burst = 0; burst < shape.bursts; burst++) {
    const at = int(0, shape.loadMs);
    for (let i = 0; i < shape.burstSize; i++) {
      callers.push({ ids: [nextExisting++], startAfterMs: at, replica: i % shape.replicas });
    }
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

  const pauses: Pause[] = [];
  for (let at = int(...shape.pauseGapMs); at < shape.loadMs; ) {
    const forMs = int(...shape.pauseMs);
    pauses.push({ replica: int(0, shape.replicas - 1), atMs: at, forMs });
    at += forMs + int(...shape.pauseGapMs);
  }

  return { seed, callers, existing: { from: 1, to: nextExisting - 1 }, shared, poison, calls, pauses };
}
