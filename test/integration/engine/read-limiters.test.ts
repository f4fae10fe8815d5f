/**
 * The read actions' limiters against a real Redis (gateway/read-side.ts, gateway/rate-limiter.ts):
 * each Tencent action has a schedule of its own, so a read side whose schedule is booked seconds
 * ahead never delays a delete, and the delete's schedule never delays a read.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { DEFAULT_KEY_PREFIX } from '../../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../../src/engine/redis-schedule.js';
import type { RateLimiter, SlotGrant } from '../../../src/engine/types.js';
import { chooseRateLimiter } from '../../../src/gateway/rate-limiter.js';
import { createLogger } from '../../../src/logger.js';
import { BATCH_DELETE_CSR } from '../../../src/tencent/client.js';
import { DESCRIBE_CSR } from '../../../src/tencent/read-client.js';
import { TEST_REDIS_URL } from '../../support/environment.js';
import { deleteKeys } from '../../support/redis-server.js';

const secretId = `AKIDREADS${randomUUID().replaceAll('-', '')}`;
const config = loadConfig({ NODE_ENV: 'test', REDIS_URL: TEST_REDIS_URL, TENCENTCLOUD_SSL_ENDPOINT: 'http://ssl.reads.localhost', LOG_LEVEL: 'silent' });
const logger = createLogger('silent');
const limiters: RateLimiter[] = [];
afterAll(async () => {
  for (const limiter of limiters) await limiter.close?.();
  await deleteKeys(TEST_REDIS_URL, scheduleKey(DEFAULT_KEY_PREFIX, secretId, '*'));
});

function limiterFor(action: string, callsPerSecond: number): RateLimiter {
  const { limiter } = chooseRateLimiter(config, logger, { action, callsPerSecond });
  limiters.push(limiter);
  return limiter;
}

it('a read schedule booked three seconds ahead does not delay a delete: the delete is granted before the third read', async () => {
  const reads = limiterFor(DESCRIBE_CSR, config.readRateLimit);
  const deletes = limiterFor(BATCH_DELETE_CSR, config.rateLimit);
  // Every grant in the order it came.
  const order: string[] = [];
  const until = Date.now() + 30_000;
  const take = async (name: string, limiter: RateLimiter): Promise<void> => {
    const grant = (await limiter.acquire(secretId, until)) as SlotGrant;
    order.push(name);
    if (grant.claim()) grant.sent();
  };
  // The first slot of a fresh schedule pays the 2 s fresh-start guard: book both schedules first.
  await Promise.all([take('warm-read', reads), take('warm-delete', deletes)]);
  order.length = 0;
  const booked = Array.from({ length: 30 }, (_, index) => take(`read-${index}`, reads));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await take('delete', deletes);
  expect(order.indexOf('delete')).toBeLessThan(3);
  await Promise.all(booked);
  expect(order.filter((name) => name.startsWith('read-'))).toHaveLength(30);
}, 60_000);
