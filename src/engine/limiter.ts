/**
 * The in-process rate limiter, and the timing rules both limiters share.
 *
 * Tencent counts calls by their *arrival* in any sliding second. So the promise — never more than N
 * calls in any second — is kept on the times calls are really sent, not on the times slots were
 * reserved: a reservation that the event loop, a GC pause or a stopped process lets slip by 90 ms
 * protects nothing. Two mechanisms, one for smoothness and one for the guarantee:
 *
 *   - Scheduling: slots are handed out evenly, one every `spacingMs` (GCRA with a burst of one), so
 *     that calls do not bunch up and rarely trip the rule below. Waiting for a slot is how the engine
 *     gives callers time to fill a call (see engine.ts).
 *   - The rule: a call may only be sent if, counting it, no window of `1000 + jitterMarginMs` ms
 *     holds more than N sends of this process (`SendLog`). It is checked at the last moment before
 *     the bytes go (`SlotGrant.claim`), and the send recorded again just after they went
 *     (`SlotGrant.sent`), so nothing that happens before the write can break it. A grant that fails
 *     the rule sends nothing; the engine asks for another slot.
 *
 * So any N+1 consecutive sends of one process span at least `1000 + jitterMarginMs` ms, and they
 * arrive more than a second apart as long as their network delays differ by less than the margin.
 * That is the one assumption left, and the only thing the margin pays for. (Replicas sharing Redis
 * need one more allowance; see redis-limiter.ts.)
 */
import type { RateLimiter, SlotGrant } from './types.js';

/** Tencent's window. */
export const WINDOW_MS = 1_000;
/**
 * How much the network delay of calls within one second may differ before Tencent could see N+1
 * of them in its window (`TENCENTCLOUD_RATE_LIMIT_MARGIN_MS`). It widens the rule's window and so
 * the spacing of slots: the margin buys safety with throughput. Its default, and what it costs, are
 * stated once, in docs/contract.md §5.
 */
export const DEFAULT_JITTER_MARGIN_MS = 20;
/**
 * Slack between the in-process schedule and the rule: the schedule spaces N slots over a little more
 * than the rule's window, so that the usual few milliseconds between a timer firing and the bytes
 * going do not make the rule refuse a send.
 */
export const SCHEDULE_SLACK_MS = 10;

export interface RateTiming {
  /** N: Tencent's limit per second (`TENCENTCLOUD_RATE_LIMIT`). */
  readonly callsPerSecond: number;
  /** See `DEFAULT_JITTER_MARGIN_MS`. */
  readonly jitterMarginMs?: number;
}

/** The window the send rule counts in: Tencent's second plus the jitter margin. */
export function ruleWindowMs(timing: RateTiming): number {
  return WINDOW_MS + (timing.jitterMarginMs ?? DEFAULT_JITTER_MARGIN_MS);
}

/**
 * The schedule's spacing: the rule's window, plus `extraMs` (the in-process slack, or the lateness a
 * shared limiter allows), spread over N slots.
 */
export function spacingMs(timing: RateTiming, extraMs = SCHEDULE_SLACK_MS): number {
  return Math.ceil((ruleWindowMs(timing) + extraMs) / timing.callsPerSecond);
}

/** A plain timer, so that tests' fake timers drive it. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The limiters' clock: monotonic (a stepped wall clock must not open a window), and fakeable. */
export const monotonicNow = (): number => performance.now();

/**
 * The last N sends of one key in this process, and the rule over them: no window of `windowMs`
 * holds more than N. Keeping N times is enough: a new send keeps the rule iff the N-th send before
 * it is at least a window old.
 */
export class SendLog {
  /** A ring of the last `limit` send times, ascending from `#oldest`. */
  readonly #times: number[] = [];
  #oldest = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** The earliest time a new send keeps the rule. */
  earliest(): number {
    return this.#times.length < this.limit ? -Infinity : (this.#times[this.#oldest] as number) + this.windowMs;
  }

  /** Records a send at `at` (≥ every earlier record, on a monotonic clock) and returns it, for `moveLater`. */
  record(at: number): number {
    if (this.#times.length < this.limit) this.#times.push(at);
    else {
      this.#times[this.#oldest] = at;
      this.#oldest = (this.#oldest + 1) % this.limit;
    }
    return at;
  }

  /** The send recorded at `from` really went at `to` (≥ from); the newest records are searched first. */
  moveLater(from: number, to: number): void {
    const size = this.#times.length;
    const at = (k: number): number => (this.#oldest + k) % size;
    for (let k = size - 1; k >= 0; k--) {
      if (this.#times[at(k)] !== from) continue;
      // Keep the ring ascending: `to` moves past any later record it now follows.
      for (; k + 1 < size && (this.#times[at(k + 1)] as number) < to; k++) this.#times[at(k)] = this.#times[at(k + 1)] as number;
      this.#times[at(k)] = to;
      return;
    }
  }
}

/** A grant that checks the send rule of this process's log at `claim`. */
export class LoggedGrant implements SlotGrant {
  #recordedAt: number | undefined;

  constructor(
    readonly log: SendLog,
    readonly now: () => number,
    /** Any further condition of the limiter's (the shared one's lateness bound). */
    readonly mayStillSend: (now: number) => boolean = () => true,
    /** Told when a send went later than the grant's slot (the shared one corrects its schedule). */
    readonly onSent?: (sentAt: number) => void,
  ) {}

  claim(): boolean {
    const now = this.now();
    if (this.#recordedAt !== undefined || now < this.log.earliest() || !this.mayStillSend(now)) return false;
    this.#recordedAt = this.log.record(now);
    return true;
  }

  sent(): void {
    if (this.#recordedAt === undefined) return;
    const sentAt = this.now();
    this.log.moveLater(this.#recordedAt, sentAt);
    this.onSent?.(sentAt);
  }
}

export class LocalSpacingLimiter implements RateLimiter {
  readonly intervalMs: number;
  readonly #timing: RateTiming;
  readonly #now: () => number;
  /** Per key: the next slot (GCRA's "theoretical arrival time") and the log of real sends. */
  readonly #keys = new Map<string, { nextSlot: number; readonly log: SendLog }>();

  constructor(timing: RateTiming, now: () => number = monotonicNow) {
    this.#timing = timing;
    this.#now = now;
    this.intervalMs = spacingMs(timing);
  }

  async acquire(key: string, until: number): Promise<SlotGrant | 'deadline'> {
    const state = this.#stateOf(key);
    const now = this.#now();
    const slot = Math.max(now, state.nextSlot, state.log.earliest());
    // `until` is on the wall clock; only durations cross between the two clocks.
    if (slot - now > until - Date.now()) return 'deadline';
    state.nextSlot = slot + this.intervalMs;
    if (slot > now) await sleep(slot - now);
    return new LoggedGrant(state.log, this.#now);
  }

  #stateOf(key: string): { nextSlot: number; readonly log: SendLog } {
    let state = this.#keys.get(key);
    if (!state) {
      state = { nextSlot: -Infinity, log: new SendLog(this.#timing.callsPerSecond, ruleWindowMs(this.#timing)) };
      this.#keys.set(key, state);
    }
    return state;
  }
}
