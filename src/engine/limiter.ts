/**
 * The in-process rate limiter: even spacing of calls (GCRA with a burst of one), with a margin.
 *
 * Why spacing and not "10 per second": Tencent counts calls by their arrival time in any sliding
 * second. A fixed-window counter lets 2N through across a boundary, and an exact N-per-1000 ms window
 * is broken by the jitter between sending and arriving. One slot every `1000/N × (1 + margin)` ms
 * holds as long as the jitter stays under `margin × 1000` ms over ten calls (50 ms at the default).
 * See docs/notes/rate-limiting-and-batching.md §2.2 for the measurements.
 */
import type { RateLimiter } from './types.js';

/** The margin over the exact spacing; 5 % keeps ≥ 0.95 of the ceiling while tolerating 50 ms of jitter. */
export const DEFAULT_SPACING_MARGIN = 0.05;

export function spacingMs(callsPerSecond: number, margin = DEFAULT_SPACING_MARGIN): number {
  return Math.ceil((1000 / callsPerSecond) * (1 + margin));
}

/** A plain timer, so that tests' fake timers drive it. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class LocalSpacingLimiter implements RateLimiter {
  /** Per key, the earliest time the next call may go (GCRA's "theoretical arrival time"). */
  readonly #nextSlot = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  async acquire(key: string, until: number): Promise<'granted' | 'deadline'> {
    const now = Date.now();
    const slot = Math.max(now, this.#nextSlot.get(key) ?? 0);
    if (slot > until) return 'deadline';
    this.#nextSlot.set(key, slot + this.intervalMs);
    if (slot > now) await sleep(slot - now);
    // A timer that fires late would shorten the gap to the next call: space from when we really go.
    const granted = Date.now();
    if (granted > slot) this.#nextSlot.set(key, Math.max(this.#nextSlot.get(key) ?? 0, granted + this.intervalMs));
    return 'granted';
  }
}
