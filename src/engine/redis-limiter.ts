/**
 * The rate limiter that replicas share through Redis: each upstream call takes the next slot of one
 * schedule per Tencent bucket (`redis-schedule.ts`), so that all replicas together never send more
 * than the limit in any sliding second.
 *
 * The guarantee is kept on send times, as in limiter.ts, with one allowance more. A replica cannot
 * ask Redis at the instant its bytes go, so a grant may be used at most `lateToleranceMs` after its
 * slot (`claim` refuses later sends; the engine asks for another slot), and the schedule spaces
 * slots so that this lateness fits: N+1 calls from any replicas span at least
 * `N × spacing − lateness ≥ 1000 + jitter margin` ms. A send that went late at all pushes the shared
 * schedule back (`correctSchedule`), so slots reserved afterwards, by any replica, are spaced from
 * the real send. Each replica also keeps the exact rule over its own sends (`SendLog`).
 * "Late" is measured from when the reservation was asked for, so Redis's round trip counts against
 * it, and no clock but this process's is read.
 *
 * While Redis is unreachable, this replica sends nothing: a slot asked for waits for Redis to come
 * back for at most `unavailableAfterMs`, then the limiter rejects and the engine answers the waiting
 * IDs with `Gateway.LimiterUnavailable`. Why not fall back to a local share of the limit: a share is
 * only safe if every replica falls back at the same moment. That holds for a Redis that dies, but not
 * for the failures that come one replica at a time — a command timeout, a dropped connection, a
 * failover that some replicas follow sooner than others — and a replica spending its share while the
 * others still share through Redis exceeds the limit by that share. Readiness turns 503 meanwhile
 * (docs/contract.md §3), so a load balancer sends new work elsewhere. When Redis returns, sharing
 * resumes on the next reservation, and a Redis that lost its data starts the schedule one guard later
 * (see `redis-schedule.ts`).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { LoggedGrant, monotonicNow, ruleWindowMs, SendLog, sleep, spacingMs, type RateTiming } from './limiter.js';
import { connectRedis, correctSchedule, reserveSlot, scheduleKey, type Reservation, type ScheduleTiming } from './redis-schedule.js';
import type { RateLimiter, SlotGrant } from './types.js';

export interface RedisRateLimiterOptions extends RateTiming {
  /** `redis://` or `rediss://`. */
  readonly url: string;
  /** What identifies Tencent's bucket besides the SecretId: the endpoint host and the Action. */
  readonly scope: string;
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** The longest a send may follow its slot (see the header); `DEFAULT_LATE_TOLERANCE_MS`. */
  readonly lateToleranceMs?: number;
  /** How long a slot asked for waits for an unreachable Redis before `acquire` rejects. */
  readonly unavailableAfterMs?: number;
  /** See `ScheduleTiming.freshStartGuardMs`. */
  readonly freshStartGuardMs?: number;
}

export const DEFAULT_KEY_PREFIX = 'tencent-ssl-gateway:';
/**
 * Tencent's window, plus about a second of slots that a lost schedule may have handed out and not yet
 * seen used (one per replica waiting for its slot: up to nine replicas at ten calls a second).
 */
export const DEFAULT_FRESH_START_GUARD_MS = 2_000;
/** Long enough that the guard is paid once a day at most, short enough that keys do not pile up. */
const REMEMBER_IDLE_SCHEDULE_MS = 24 * 60 * 60 * 1_000;
/**
 * How late a send may follow its slot. A timer firing late under load, and the work between a slot
 * and its send, mostly fit in it on a loaded 2-core machine (a send that does not, waits for another
 * slot). The spacing grows with it; the value and its cost are docs/contract.md §5's.
 */
export const DEFAULT_LATE_TOLERANCE_MS = 20;
/** A mutation waiting for an unreachable Redis is answered after about this long. */
export const DEFAULT_UNAVAILABLE_AFTER_MS = 2_000;
/** The limiter could not grant a slot: Redis has been unreachable (or failing) for too long. */
export class LimiterUnavailableError extends Error {
  override readonly name = 'LimiterUnavailableError';
}
/** After a failed reservation on a live connection (e.g. a timeout), before the next try. */
const RETRY_AFTER_ERROR_MS = 100;

export class RedisRateLimiter implements RateLimiter {
  readonly intervalMs: number;
  readonly lateToleranceMs: number;
  readonly unavailableAfterMs: number;
  readonly #redis: Redis;
  readonly #timing: ScheduleTiming;
  readonly #options: RedisRateLimiterOptions;
  readonly #prefix: string;
  readonly #now: () => number = monotonicNow;
  /** Per key, this replica's own sends (see the header). */
  readonly #logs = new Map<string, SendLog>();
  /** Wakes `acquire` calls paused for Redis, when the limiter closes. */
  readonly #wakers = new Set<() => void>();
  #closed = false;
  #lastError: string | undefined;
  #reservationsFailing = false;

  constructor(options: RedisRateLimiterOptions) {
    this.#options = options;
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.lateToleranceMs = options.lateToleranceMs ?? DEFAULT_LATE_TOLERANCE_MS;
    this.unavailableAfterMs = options.unavailableAfterMs ?? DEFAULT_UNAVAILABLE_AFTER_MS;
    this.intervalMs = spacingMs(options, this.lateToleranceMs);
    this.#timing = {
      intervalMs: this.intervalMs,
      freshStartGuardMs: options.freshStartGuardMs ?? DEFAULT_FRESH_START_GUARD_MS,
      rememberMs: REMEMBER_IDLE_SCHEDULE_MS,
    };
    this.#redis = connectRedis(options.url);
    this.#watchConnection();
  }

  async acquire(key: string, until: number): Promise<SlotGrant | 'deadline'> {
    const scheduled = scheduleKey(this.#prefix, key, this.#options.scope);
    const unavailableAt = Date.now() + this.unavailableAfterMs;
    while (!this.#closed) {
      const maxWait = until - Date.now();
      if (maxWait < 0) return 'deadline';
      if (this.#redis.status !== 'ready') {
        if (Date.now() >= unavailableAt) throw this.#unavailable();
        await this.#redisBack(Math.min(until, unavailableAt));
        continue;
      }
      const asked = this.#now();
      let reservation: Reservation;
      try {
        reservation = await reserveSlot(this.#redis, scheduled, maxWait, this.#timing);
      } catch (error) {
        // Whether the script ran is unknown (a timeout); if it did, the slot just goes unused.
        this.#reservationFailed(error);
        if (Date.now() >= unavailableAt) throw this.#unavailable();
        await sleep(Math.min(RETRY_AFTER_ERROR_MS, Math.max(0, until - Date.now())));
        continue;
      }
      this.#reservationWorked();
      if (reservation.waitMs < 0) return 'deadline';
      const dueAt = asked + reservation.waitMs;
      if (reservation.waitMs > 0) await sleep(reservation.waitMs);
      // A timer that fired too late: do not even form a call on this slot.
      if (this.#now() - dueAt > this.lateToleranceMs) continue;
      return this.#grant(key, scheduled, reservation, dueAt);
    }
    return 'deadline';
  }

  #grant(key: string, scheduled: string, reservation: Reservation, dueAt: number): SlotGrant {
    return new LoggedGrant(
      this.#logOf(key),
      this.#now,
      (now) => now - dueAt <= this.lateToleranceMs,
      (sentAt) => {
        const lateMs = sentAt - dueAt;
        if (lateMs < 1) return;
        correctSchedule(this.#redis, scheduled, reservation.slotAt + lateMs + this.intervalMs, this.#timing).catch(
          (error: unknown) => this.#noteError(error),
        );
      },
    );
  }

  #logOf(key: string): SendLog {
    let log = this.#logs.get(key);
    if (!log) {
      log = new SendLog(this.#options.callsPerSecond, ruleWindowMs(this.#options));
      this.#logs.set(key, log);
    }
    return log;
  }

  #unavailable(): LimiterUnavailableError {
    return new LimiterUnavailableError(
      `Redis (REDIS_URL) has not answered for ${this.unavailableAfterMs} ms${this.#lastError ? `: ${this.#lastError}` : ''}`,
    );
  }

  /**
   * For `/readiness`: whether a reservation can be made right now. It runs the reservation script on
   * a probe key, never reserving (a wait of -1 ms is never acceptable), so a Redis that answers PING
   * but refuses scripts or writes (a read-only replica after a failover, an ACL) reads as not ready.
   */
  async reachable(): Promise<boolean> {
    if (this.#closed || this.#redis.status !== 'ready') return false;
    try {
      await reserveSlot(this.#redis, `${this.#prefix}probe`, -1, this.#timing);
      return true;
    } catch (error) {
      this.#noteError(error);
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const wake of [...this.#wakers]) wake();
    if (this.#redis.status === 'ready') await this.#redis.quit().catch(() => undefined);
    this.#redis.disconnect();
  }

  /** Resolves when Redis is back, at `until`, or when the limiter closes, whichever comes first. */
  #redisBack(until: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#redis.off('ready', done);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      this.#redis.once('ready', done);
      this.#wakers.add(done);
    });
  }

  #noteError(error: unknown): void {
    this.#lastError = error instanceof Error ? error.message : String(error);
  }

  /** A connected Redis that fails reservations (a timeout, a read-only replica) is logged once per episode. */
  #reservationFailed(error: unknown): void {
    this.#noteError(error);
    if (this.#reservationsFailing) return;
    this.#reservationsFailing = true;
    this.#options.logger?.warn({ error: this.#lastError }, 'rate-limit reservation failed in Redis: retrying; no upstream call is sent meanwhile');
  }

  #reservationWorked(): void {
    if (!this.#reservationsFailing) return;
    this.#reservationsFailing = false;
    this.#options.logger?.info('rate-limit reservations work again');
  }

  /** Logs the transitions an operator needs (not every failed reconnection attempt). */
  #watchConnection(): void {
    const logger = this.#options.logger;
    let shared = false;
    let everReady = false;
    this.#redis.on('ready', () => {
      shared = true;
      everReady = true;
      this.#lastError = undefined;
      logger?.info({ intervalMs: this.intervalMs }, 'Redis reachable: the rate limit is shared with the other replicas');
    });
    this.#redis.on('error', (error: Error) => {
      const first = this.#lastError === undefined && !everReady;
      this.#noteError(error);
      // At start-up, say which setting points at the Redis that does not answer (once).
      if (first) {
        logger?.warn(
          { redis: redisAddress(this.#options.url), error: this.#lastError, unavailableAfterMs: this.unavailableAfterMs },
          'REDIS_URL: Redis does not answer; no upstream call is sent until it does, and mutations get ' +
            'RateLimitExceededError (Gateway.LimiterUnavailable) after unavailableAfterMs; /readiness is 503',
        );
      }
    });
    this.#redis.on('close', () => {
      if (!shared || this.#closed) return;
      shared = false;
      logger?.warn(
        { error: this.#lastError, unavailableAfterMs: this.unavailableAfterMs },
        'Redis unreachable: no upstream call is sent until it returns (waiting mutations get Gateway.LimiterUnavailable ' +
          'after unavailableAfterMs); /readiness is 503',
      );
    });
  }
}

/** host:port of a Redis URL, without credentials, for logs. */
function redisAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'unparseable REDIS_URL';
  }
}
