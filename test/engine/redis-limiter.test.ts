/**
 * The shared limiter against a real Redis: the machine's on 127.0.0.1:6379 (each test on keys of its
 * own), and a throwaway redis-server where Redis has to be away.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, type RedisRateLimiterOptions } from '../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../src/engine/redis-schedule.js';
import { deleteKeys, freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';

const SHARED_REDIS = 'redis://127.0.0.1:6379';
const SCOPE = 'ssl.test:BatchDeleteCSR';
/** Node's timers count whole milliseconds of the loop's clock, so they may fire up to 1 ms "early". */
const TIMER_GRANULARITY_MS = 1;

const opened: RedisRateLimiter[] = [];
function limiter(options: Partial<RedisRateLimiterOptions> & { keyPrefix: string }): RedisRateLimiter {
  const created = new RedisRateLimiter({ url: SHARED_REDIS, callsPerSecond: 20, scope: SCOPE, freshStartGuardMs: 0, ...options });
  opened.push(created);
  return created;
}

let raw: Redis;
beforeAll(() => {
  raw = new Redis(SHARED_REDIS);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((each) => each.close()));
});
afterAll(async () => {
  await raw.quit();
  await deleteKeys(SHARED_REDIS, `${RUN_PREFIX}*`);
});

/** Every key of this run starts with it; each test gets keys of its own below it. */
const RUN_PREFIX = `test:redis-limiter:${randomUUID()}:`;
let prefixes = 0;
function uniquePrefix(): string {
  return `${RUN_PREFIX}${++prefixes}:`;
}

describe('RedisRateLimiter', () => {
  it('never grants two slots closer than the interval, across two limiters on one key', async () => {
    const keyPrefix = uniquePrefix();
    const options = { keyPrefix, lateToleranceMs: 5 };
    const [a, b] = [limiter(options), limiter(options)];
    const grants: number[] = [];
    // Two replicas' engine loops, each taking ten slots one after the other.
    const pump = async (shared: RedisRateLimiter): Promise<void> => {
      for (let i = 0; i < 10; i++) {
        expect(await shared.acquire('AKIDSHARED', Date.now() + 10_000)).toBe('granted');
        grants.push(performance.now());
      }
    };
    await Promise.all([pump(a), pump(b)]);

    grants.sort((x, y) => x - y);
    const gaps = grants.slice(1).map((at, i) => at - (grants[i] as number));
    // A grant follows its slot by at most the tolerance (plus the microtask that records it).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(a.intervalMs - a.lateToleranceMs - TIMER_GRANULARITY_MS);
  });

  it("answers 'deadline' without reserving when the slot would come after `until`", async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, callsPerSecond: 2 });
    const key = scheduleKey(keyPrefix, 'AKIDDEADLINE', SCOPE);
    expect(await shared.acquire('AKIDDEADLINE', Date.now() + 1_000)).toBe('granted');
    const before = await raw.get(key);

    expect(await shared.acquire('AKIDDEADLINE', Date.now() + 100)).toBe('deadline');
    expect(await raw.get(key)).toBe(before);
    expect(await raw.pttl(key)).toBeGreaterThan(0);
  });

  it('gives up a slot it could only use late, and takes the next one', async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, callsPerSecond: 5, lateToleranceMs: 5 });
    expect(await shared.acquire('AKIDLATE', Date.now() + 5_000)).toBe('granted');
    const first = performance.now();

    const second = shared.acquire('AKIDLATE', Date.now() + 5_000);
    // Half-way through the wait for the second slot, the event loop gets busy (as with a burst of
    // requests) until well past that slot, so its timer fires late.
    setTimeout(() => {
      const busyUntil = first + shared.intervalMs * 1.5;
      while (performance.now() < busyUntil) {
        /* busy */
      }
    }, shared.intervalMs / 2);
    expect(await second).toBe('granted');
    // The slot it gave up was one interval after the first; the one it took, two.
    expect(performance.now() - first).toBeGreaterThanOrEqual(shared.intervalMs * 2 - shared.lateToleranceMs - TIMER_GRANULARITY_MS);
  });

  it('starts a schedule Redis does not have one guard later (a Redis that lost its data)', async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, freshStartGuardMs: 300 });
    let started = performance.now();
    expect(await shared.acquire('AKIDFRESH', Date.now() + 5_000)).toBe('granted');
    expect(performance.now() - started).toBeGreaterThanOrEqual(300 - TIMER_GRANULARITY_MS);

    const key = scheduleKey(keyPrefix, 'AKIDFRESH', SCOPE);
    await raw.del(key);
    started = performance.now();
    expect(await shared.acquire('AKIDFRESH', Date.now() + 5_000)).toBe('granted');
    expect(performance.now() - started).toBeGreaterThanOrEqual(300 - TIMER_GRANULARITY_MS);
  });

  it('starts the guard even for a caller who cannot wait for it, so short deadlines cannot stall a schedule', async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, freshStartGuardMs: 10_000 });
    const key = scheduleKey(keyPrefix, 'AKIDSHORT', SCOPE);
    expect(await shared.acquire('AKIDSHORT', Date.now() + 50)).toBe('deadline');
    const guardEnds = Number(await raw.get(key));
    const [seconds, micros] = await raw.time();
    const redisNow = Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
    expect(guardEnds - redisNow).toBeGreaterThan(9_000);
  });

  describe('when Redis is unreachable', () => {
    let server: RedisServer | undefined;
    afterEach(async () => {
      await server?.kill();
      server = undefined;
    });

    it('fails fast: not ready at once, and `acquire` answers by its deadline without throwing', async () => {
      const port = await freePort();
      const shared = limiter({ keyPrefix: uniquePrefix(), url: `redis://127.0.0.1:${port}` });
      let started = performance.now();
      expect(await shared.reachable()).toBe(false);
      expect(performance.now() - started).toBeLessThan(100);

      started = performance.now();
      expect(await shared.acquire('AKIDAWAY', Date.now() + 300)).toBe('deadline');
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('fails fast when Redis keeps the connection but does not answer', async () => {
      server = await startRedisServer();
      const shared = limiter({ keyPrefix: uniquePrefix(), url: server.url });
      await expect.poll(() => shared.reachable(), { timeout: 5_000 }).toBe(true);
      server.freeze();
      try {
        let started = performance.now();
        expect(await shared.reachable()).toBe(false);
        expect(performance.now() - started).toBeLessThan(1_000);

        started = performance.now();
        expect(await shared.acquire('AKIDFROZEN', Date.now() + 300)).toBe('deadline');
        expect(performance.now() - started).toBeLessThan(1_000);
      } finally {
        server.thaw();
      }
    });

    it('resumes sharing, without a restart, as soon as Redis is back', async () => {
      const port = await freePort();
      const shared = limiter({ keyPrefix: uniquePrefix(), url: `redis://127.0.0.1:${port}` });
      const waiting = shared.acquire('AKIDBACK', Date.now() + 10_000);
      server = await startRedisServer(port);
      expect(await waiting).toBe('granted');
      expect(await shared.reachable()).toBe(true);

      await server.kill();
      await expect.poll(() => shared.reachable(), { timeout: 5_000 }).toBe(false);
      await server.restart();
      await expect.poll(() => shared.reachable(), { timeout: 5_000 }).toBe(true);
    });
  });
});
