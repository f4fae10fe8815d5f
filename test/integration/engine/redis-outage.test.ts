/**
 * The engine behind the shared limiter while its Redis is away: nothing is sent, and callers are
 * answered within `REDIS_WAIT_MS` with `Gateway.LimiterUnavailable` (not after their 30 s deadline
 * with a message about the rate limit); once Redis is back, mutations go through without a restart.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../../src/engine/redis-limiter.js';
import { GatewayCode } from '../../../src/tencent/codes.js';
import { startRig, type Rig } from '../../support/gateway.js';
import { freePort, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { groupOutcome } from '../../../src/engine/outcome.js';

let rig: Rig | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await rig?.close();
  await redis?.kill();
  rig = redis = undefined;
});

const WAIT_MS = 500;

it('sends nothing while Redis is away, answers within the wait with LimiterUnavailable, and works again once it is back', async () => {
  const port = await freePort();
  const limiter = new RedisRateLimiter({
    url: `redis://127.0.0.1:${port}`,
    callsPerSecond: 10,
    scope: 'simulator:BatchDeleteCSR',
    keyPrefix: `test:${randomUUID()}:`,
    freshStartGuardMs: 0,
    unavailableAfterMs: WAIT_MS,
  });
  rig = await startRig({ limiter });
  const { engine } = rig.gateway;

  const started = performance.now();
  const outcome = await engine.submit([1, 2], { deadline: Date.now() + 30_000 }).then(groupOutcome);
  expect(performance.now() - started).toBeLessThan(WAIT_MS + 5_000);
  expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: GatewayCode.LimiterUnavailable }), ids: [1, 2] }]);
  expect(rig.simulator.log).toEqual([]);

  redis = await startRedisServer(port);
  await expect.poll(() => limiter.reachable(), { timeout: 5_000 }).toBe(true);
  const after = await engine.submit([2], { deadline: Date.now() + 10_000 }).then(groupOutcome);
  expect(after.deleted).toEqual([2]);
  expect(rig.simulator.store.has(1)).toBe(true);
});
