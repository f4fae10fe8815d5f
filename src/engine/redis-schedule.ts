/**
 * The schedule of upstream calls that replicas share: one Redis key per Tencent bucket (SecretId,
 * endpoint host, Action) holds the time at which the next call may go, and one atomic Lua script
 * reserves the next free slot — GCRA with a burst of one, written as a reservation ("virtual
 * scheduling"): it returns how long to wait instead of a refusal.
 *
 * Why a script of our own: the packages that come close fail this use. rate-limiter-flexible's Redis
 * limiter counts fixed windows (2N calls across a boundary) and leaves a sub-second key without
 * expiry, blocking for good; bottleneck's cluster mode has this very idea but has been unmaintained
 * since 2019 (docs/notes/rate-limiting-and-batching.md §2). The idea fits in a dozen lines;
 * ioredis does the rest (EVALSHA with a fallback to EVAL, reconnection).
 *
 * Why Redis's own clock (`TIME`): every slot is computed on one clock, so replicas whose clocks
 * disagree still never get slots closer than the interval. A replica only ever uses durations — the
 * wait the script returns, its own deadline minus its own now — never its timestamp against Redis's.
 * (What this does not survive: Redis's clock being stepped forward; NTP slews, it does not step.)
 */
import { Redis } from 'ioredis';
import type { Result } from 'ioredis';

/**
 * KEYS[1]  the schedule: Unix ms on Redis's clock when the next slot is free (GCRA's "TAT")
 * ARGV[1]  interval between slots, ms
 * ARGV[2]  the longest the caller may wait for its slot, ms
 * ARGV[3]  the fresh-start guard, ms
 * ARGV[4]  how long an idle schedule is remembered, ms
 * Returns {wait until the reserved slot in ms, the slot on Redis's clock}, or {-1, 0} when the wait
 * would exceed ARGV[2] (then nothing is reserved).
 *
 * A missing key means either a schedule never used (or idle past ARGV[4]) or a Redis that lost its
 * data (a restart without persistence, a failover): the two look alike, and in the second case calls
 * granted by the lost schedule may still be inside Tencent's one-second window, or about to go. So
 * the first slot of a new schedule comes one guard after now. Starting that guard is not a
 * reservation: it is written even when the caller cannot wait for it, so that the next caller finds
 * it and callers with short deadlines cannot keep a schedule from ever starting.
 */
const RESERVE_SLOT_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local interval, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2])
local guard, remember = tonumber(ARGV[3]), tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat then
  tat = now + guard
  redis.call('SET', KEYS[1], tat, 'PX', guard + remember)
end
local slot = math.max(now, tat)
if slot - now > maxWait then return {-1, 0} end
redis.call('SET', KEYS[1], slot + interval, 'PX', slot + interval - now + remember)
return {slot - now, slot}
`;

/**
 * A call that went out late pushes the schedule back, so that no slot reserved from now on, by any
 * replica, lands within a window of that late send.
 *
 * KEYS[1]  the schedule
 * ARGV[1]  the earliest the next slot may be: the late send on Redis's clock plus the interval
 * ARGV[2]  how long an idle schedule is remembered, ms
 *
 * A missing key is left missing: the next reservation then starts one fresh-start guard later,
 * which is later than this floor anyway.
 */
const CORRECT_SCHEDULE_LUA = `
local tat = tonumber(redis.call('GET', KEYS[1]))
local floor = tonumber(ARGV[1])
if not tat or tat >= floor then return 0 end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('SET', KEYS[1], floor, 'PX', floor - now + tonumber(ARGV[2]))
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    reserveSlot(key: string, intervalMs: number, maxWaitMs: number, guardMs: number, rememberMs: number): Result<[number, number], Context>;
    correctSchedule(key: string, floor: number, rememberMs: number): Result<number, Context>;
  }
}

/**
 * A Redis client that fails fast: ioredis's defaults queue commands while disconnected and retry
 * them, so a limiter call against a dead Redis stalls for ~10 s (measured, docs/notes/rate-limiting-and-batching.md §2.3). Here a
 * command fails at once while disconnected, and after `commandTimeout` while connected to a Redis
 * that does not answer; the connection itself keeps being retried in the background, forever.
 */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  });
  redis.defineCommand('reserveSlot', { numberOfKeys: 1, lua: RESERVE_SLOT_LUA });
  redis.defineCommand('correctSchedule', { numberOfKeys: 1, lua: CORRECT_SCHEDULE_LUA });
  return redis;
}

/** The Redis key of one Tencent bucket's schedule. */
export function scheduleKey(prefix: string, secretId: string, scope: string): string {
  return `${prefix}schedule:${secretId}:${scope}`;
}

export interface ScheduleTiming {
  readonly intervalMs: number;
  /** See RESERVE_SLOT_LUA: how long after now a schedule that Redis does not have starts. */
  readonly freshStartGuardMs: number;
  /** How long an idle schedule is remembered; after that, the next call waits the guard again. */
  readonly rememberMs: number;
}

export interface Reservation {
  /** How long to wait for the slot, ms; -1: not before the caller's limit, nothing reserved. */
  readonly waitMs: number;
  /** The slot on Redis's clock (Unix ms), for `correctSchedule`. */
  readonly slotAt: number;
}

/** Reserves the next slot of `key` if it is at most `maxWaitMs` away. */
export async function reserveSlot(redis: Redis, key: string, maxWaitMs: number, timing: ScheduleTiming): Promise<Reservation> {
  const [waitMs, slotAt] = await redis.reserveSlot(
    key,
    timing.intervalMs,
    Math.floor(maxWaitMs),
    timing.freshStartGuardMs,
    timing.rememberMs,
  );
  return { waitMs, slotAt };
}

/** Pushes `key`'s next slot to at least `floor` (Redis clock); see CORRECT_SCHEDULE_LUA. */
export async function correctSchedule(redis: Redis, key: string, floor: number, timing: ScheduleTiming): Promise<void> {
  await redis.correctSchedule(key, Math.ceil(floor), timing.rememberMs);
}
