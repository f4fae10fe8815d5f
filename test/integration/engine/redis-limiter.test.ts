/**
 * The shared limiter against a real Redis: the machine's (TEST_REDIS_URL, 127.0.0.1:6379 by default; each test on keys of its
 * own), and a throwaway redis-server where Redis has to be away.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LimiterUnavailableError, RedisRateLimiter, type RedisRateLimiterOptions } from '../../../src/engine/redis-limiter.js';
import type { SlotGrant } from '../../../src/engine/types.js';
import { createLogger } from '../../../src/logger.js';
import { scheduleKey } from '../../../src/engine/redis-schedule.js';
import { TEST_REDIS_URL } from '../../support/environment.js';
import { deleteKeys, freePort, startRedisServer, type RedisServer } from '../../support/redis-server.js';

const SHARED_REDIS = TEST_REDIS_URL;
const SCOPE = 'ssl.test:BatchDeleteCSR';
/** Node's timers count whole milliseconds of the loop's clock, so they may fire up to 1 ms "early". */
const TIMER_GRANULARITY_MS = 1;

/** A grant, or a failed test. */
async function granted(pending: Promise<SlotGrant | 'deadline'>): Promise<SlotGrant> {
  const grant = await pending;
  if (grant === 'deadline') throw new Error('expected a grant, got deadline');
  return grant;
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* a busy event loop */
  }
}

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
  it('sends from two limiters on one key are never closer than the interval minus the lateness allowed', async () => {
    const keyPrefix = uniquePrefix();
    const options = { keyPrefix, lateToleranceMs: 5 };
    const [a, b] = [limiter(options), limiter(options)];
    const sends: number[] = [];
    // Two replicas' engine loops, each sending ten calls; a refused claim asks for another slot.
    const pump = async (shared: RedisRateLimiter): Promise<void> => {
      while (sends.filter(Boolean).length < 20) {
        const grant = await granted(shared.acquire('AKIDSHARED', Date.now() + 10_000));
        if (!grant.claim()) continue;
        sends.push(performance.now());
        grant.sent();
        if (sends.length >= 20) return;
      }
    };
    await Promise.all([pump(a), pump(b)]);

    sends.sort((x, y) => x - y);
    const gaps = sends.slice(1).map((at, i) => at - (sends[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(a.intervalMs - a.lateToleranceMs - TIMER_GRANULARITY_MS);
  });

  it('a grant refuses a send later than the lateness allowed after its slot', async () => {
    const shared = limiter({ keyPrefix: uniquePrefix(), lateToleranceMs: 5 });
    const grant = await granted(shared.acquire('AKIDCLAIM', Date.now() + 5_000));
    busyFor(20);
    expect(grant.claim()).toBe(false);
  });

  it('a send that went late pushes the shared schedule back by its lateness', async () => {
    const keyPrefix = uniquePrefix();
    // A tolerance far above the 30 ms of lateness made here: on a loaded machine the grant's own timer
    // is late too, and the claim must still be allowed for the push-back to be seen.
    const shared = limiter({ keyPrefix, lateToleranceMs: 1_000 });
    const key = scheduleKey(keyPrefix, 'AKIDCORRECT', SCOPE);
    const grant = await granted(shared.acquire('AKIDCORRECT', Date.now() + 5_000));
    const scheduled = Number(await raw.get(key));
    busyFor(30);
    expect(grant.claim()).toBe(true);
    grant.sent();
    await expect.poll(async () => Number(await raw.get(key)), { timeout: 2_000 }).toBeGreaterThanOrEqual(scheduled + 25);
  });

  it("answers 'deadline' without reserving when the slot would come after `until`", async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, callsPerSecond: 2 });
    const key = scheduleKey(keyPrefix, 'AKIDDEADLINE', SCOPE);
    await granted(shared.acquire('AKIDDEADLINE', Date.now() + 1_000));
    const before = await raw.get(key);

    expect(await shared.acquire('AKIDDEADLINE', Date.now() + 100)).toBe('deadline');
    expect(await raw.get(key)).toBe(before);
    expect(await raw.pttl(key)).toBeGreaterThan(0);
  });

  it('gives up a slot it could only use late, and takes the next one', async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, callsPerSecond: 5, lateToleranceMs: 5 });
    await granted(shared.acquire('AKIDLATE', Date.now() + 5_000));
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
    await granted(second);
    // The slot it gave up was one interval after the first; the one it took, two.
    expect(performance.now() - first).toBeGreaterThanOrEqual(shared.intervalMs * 2 - shared.lateToleranceMs - TIMER_GRANULARITY_MS);
  });

  it('starts a schedule Redis does not have one guard later (a Redis that lost its data)', async () => {
    const keyPrefix = uniquePrefix();
    const shared = limiter({ keyPrefix, freshStartGuardMs: 300 });
    let started = performance.now();
    await granted(shared.acquire('AKIDFRESH', Date.now() + 5_000));
    expect(performance.now() - started).toBeGreaterThanOrEqual(300 - TIMER_GRANULARITY_MS);

    const key = scheduleKey(keyPrefix, 'AKIDFRESH', SCOPE);
    await raw.del(key);
    started = performance.now();
    await granted(shared.acquire('AKIDFRESH', Date.now() + 5_000));
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

    it('fails fast: not ready at once, and `acquire` answers by its deadline when that comes first', async () => {
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

    it('`acquire` rejects after waiting `unavailableAfterMs` for Redis, well before a far deadline', async () => {
      const port = await freePort();
      const shared = limiter({ keyPrefix: uniquePrefix(), url: `redis://127.0.0.1:${port}`, unavailableAfterMs: 300 });
      const started = performance.now();
      await expect(shared.acquire('AKIDGONE', Date.now() + 30_000)).rejects.toBeInstanceOf(LimiterUnavailableError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(300 - TIMER_GRANULARITY_MS);
      expect(performance.now() - started).toBeLessThan(2_000);
    });

    it('says at start-up, naming REDIS_URL, that Redis does not answer', async () => {
      const port = await freePort();
      const lines: { level: number; msg: string; redis?: string }[] = [];
      const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
      limiter({ keyPrefix: uniquePrefix(), url: `redis://:secret@127.0.0.1:${port}`, logger });
      await expect.poll(() => lines.find((line) => line.msg.startsWith('REDIS_URL')), { timeout: 5_000 }).toBeDefined();
      const warning = lines.find((line) => line.msg.startsWith('REDIS_URL'));
      expect(warning).toMatchObject({ level: 40, redis: `127.0.0.1:${port}` });
      expect(JSON.stringify(lines)).not.toContain('secret');
      expect(lines.filter((line) => line.msg.startsWith('REDIS_URL'))).toHaveLength(1);
    });

    it('resumes sharing, without a restart, as soon as Redis is back', async () => {
      const port = await freePort();
      const shared = limiter({ keyPrefix: uniquePrefix(), url: `redis://127.0.0.1:${port}` });
      const waiting = shared.acquire('AKIDBACK', Date.now() + 10_000);
      server = await startRedisServer(port);
      await granted(waiting);
      expect(await shared.reachable()).toBe(true);

      await server.kill();
      await expect.poll(() => shared.reachable(), { timeout: 5_000 }).toBe(false);
      await server.restart();
      await expect.poll(() => shared.reachable(), { timeout: 5_000 }).toBe(true);
    });
  });
});
