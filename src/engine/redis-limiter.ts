/**
 * The rate limiter that replicas share through Redis: each upstream call takes the next slot of one
 * schedule per Tencent bucket (`redis-schedule.ts`), so that all replicas together never send more
 * than the limit in any sliding second.
 *
 * Two timing rules keep that promise between the slot and Tencent:
 *
 *   - The spacing margin (`spacingMs`, 5 %) is the whole jitter budget: ten slots span 1,050 ms, so
 *     eleven calls can only land in one second if some call arrives 50 ms later than its slot. A
 *     replica grants a slot only if it can go at most half of that budget after the slot (the other
 *     half is for the trip to Tencent). A grant that would be later — a timer that fired late, an
 *     event loop busy with a burst of requests — gives the slot up and reserves another: a slot
 *     nobody uses costs capacity, never the limit. "Late" is measured from when the reservation was
 *     asked for, so Redis's round trip counts against it, and no clock but this process's is read.
 *
 *   - While Redis is unreachable, this replica sends nothing: `acquire` waits for Redis to come back,
 *     up to the caller's deadline. Why not fall back to a local share of the limit: a share is only
 *     safe if every replica falls back at the same moment. That holds for a Redis that dies, but not
 *     for the failures that come one replica at a time — a command timeout, a dropped connection, a
 *     failover that some replicas follow sooner than others — and a replica spending its share while
 *     the others still share through Redis exceeds the limit by that share. The gain would be small:
 *     readiness turns 503 meanwhile (docs/contract.md §3), so a load balancer sends new work elsewhere, and
 *     what this replica already accepted waits, up to its deadline, for Redis to return. Short
 *     outages (a Redis restart) cost callers a pause, not an error; when Redis returns, sharing
 *     resumes on the next reservation, and a Redis that lost its data starts the schedule one guard
 *     later (see `redis-schedule.ts`).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { sleep, spacingMs } from './limiter.js';
import { connectRedis, reserveSlot, scheduleKey, type ScheduleTiming } from './redis-schedule.js';
import type { RateLimiter } from './types.js';

export interface RedisRateLimiterOptions {
  /** `redis://` or `rediss://`. */
  readonly url: string;
  /** Tencent's limit: calls in any sliding second, across all replicas. */
  readonly callsPerSecond: number;
  /** What identifies Tencent's bucket besides the SecretId: the endpoint host and the Action. */
  readonly scope: string;
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** The longest a grant may follow its slot; defaults to half the jitter budget (see the header). */
  readonly lateToleranceMs?: number;
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
/** After a failed reservation on a live connection (e.g. a timeout), before the next try. */
const RETRY_AFTER_ERROR_MS = 100;

export class RedisRateLimiter implements RateLimiter {
  readonly intervalMs: number;
  readonly lateToleranceMs: number;
  readonly #redis: Redis;
  readonly #timing: ScheduleTiming;
  readonly #options: RedisRateLimiterOptions;
  readonly #prefix: string;
  /** Wakes `acquire` calls paused for Redis, when the limiter closes. */
  readonly #wakers = new Set<() => void>();
  #closed = false;
  #lastError: string | undefined;
  #reservationsFailing = false;

  constructor(options: RedisRateLimiterOptions) {
    this.#options = options;
    this.#prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.intervalMs = spacingMs(options.callsPerSecond);
    this.lateToleranceMs = options.lateToleranceMs ?? (options.callsPerSecond * this.intervalMs - 1_000) / 2;
    this.#timing = {
      intervalMs: this.intervalMs,
      freshStartGuardMs: options.freshStartGuardMs ?? DEFAULT_FRESH_START_GUARD_MS,
      rememberMs: REMEMBER_IDLE_SCHEDULE_MS,
    };
    this.#redis = connectRedis(options.url);
    this.#watchConnection();
  }

  async acquire(key: string, until: number): Promise<'granted' | 'deadline'> {
    const scheduled = scheduleKey(this.#prefix, key, this.#options.scope);
    while (!this.#closed) {
      const maxWait = until - Date.now();
      if (maxWait < 0) return 'deadline';
      if (this.#redis.status !== 'ready') {
        await this.#redisBack(until);
        continue;
      }
      const asked = performance.now();
      let wait: number;
      try {
        wait = await reserveSlot(this.#redis, scheduled, maxWait, this.#timing);
      } catch (error) {
        // Whether the script ran is unknown (a timeout); if it did, the slot just goes unused.
        this.#reservationFailed(error);
        await sleep(Math.min(RETRY_AFTER_ERROR_MS, Math.max(0, until - Date.now())));
        continue;
      }
      this.#reservationWorked();
      if (wait < 0) return 'deadline';
      if (wait > 0) await sleep(wait);
      const late = performance.now() - asked - wait;
      if (late <= this.lateToleranceMs) return 'granted';
      this.#options.logger?.debug({ lateMs: Math.round(late) }, 'rate-limit slot given up: too late to use it safely');
    }
    return 'deadline';
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
    this.#redis.on('ready', () => {
      shared = true;
      this.#lastError = undefined;
      logger?.info({ intervalMs: this.intervalMs }, 'Redis reachable: the rate limit is shared with the other replicas');
    });
    this.#redis.on('error', (error: Error) => this.#noteError(error));
    this.#redis.on('close', () => {
      if (!shared || this.#closed) return;
      shared = false;
      logger?.warn(
        { error: this.#lastError },
        'Redis unreachable: no upstream call is sent until it returns (queued mutations wait up to their deadline); /readiness is 503',
      );
    });
  }
}
