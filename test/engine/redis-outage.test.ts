/**
 * The engine behind the shared limiter while its Redis is away: nothing is sent, callers are answered
 * by their deadlines, and the work still waiting goes out when Redis comes back (no restart).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { GatewayCode } from '../../src/tencent/codes.js';
import { RedisRateLimiter } from '../../src/engine/redis-limiter.js';
import { startRig, type Rig } from '../support/gateway.js';
import { freePort, startRedisServer, type RedisServer } from '../support/redis-server.js';

let rig: Rig | undefined;
let redis: RedisServer | undefined;
afterEach(async () => {
  await rig?.close();
  await redis?.kill();
  rig = redis = undefined;
});

it('sends nothing while Redis is away, and serves the callers still waiting once it is back', async () => {
  const port = await freePort();
  const limiter = new RedisRateLimiter({
    url: `redis://127.0.0.1:${port}`,
    callsPerSecond: 10,
    scope: 'simulator:BatchDeleteCSR',
    keyPrefix: `test:${randomUUID()}:`,
    freshStartGuardMs: 0,
  });
  rig = await startRig({ limiter });
  const { engine } = rig.gateway;

  // The engine asks the limiter for a slot until the first caller's deadline; the second caller,
  // arriving while it waits, has a later one.
  const early = engine.submit([1], { deadline: Date.now() + 500 });
  const late = engine.submit([2], { deadline: Date.now() + 8_000 });

  const earlyOutcome = await early;
  expect(earlyOutcome.failed).toEqual([{ failure: expect.objectContaining({ code: GatewayCode.DeadlineExceeded }), ids: [1] }]);
  expect(rig.simulator.log).toEqual([]);

  redis = await startRedisServer(port);
  const lateOutcome = await late;
  expect(lateOutcome.deleted).toEqual([2]);
  expect(rig.simulator.store.has(2)).toBe(false);
  expect(rig.simulator.store.has(1)).toBe(true);
});
