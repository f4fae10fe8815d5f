/**
 * Which rate limiter the engine asks for slots: the one given (tests, benchmarks), else the schedule
 * shared with every replica through `REDIS_URL`, else in-process spacing (one replica).
 */
import type { Config } from '../config.js';
import { LocalSpacingLimiter } from '../engine/limiter.js';
import { RedisRateLimiter } from '../engine/redis-limiter.js';
import type { RateLimiter } from '../engine/types.js';
import type { ReadinessCheck } from '../http/routes/readiness.js';
import type { Logger } from '../logger.js';
import { BATCH_DELETE_CSR } from '../tencent/client.js';

export interface LimiterChoice {
  readonly limiter: RateLimiter;
  /** What `/readiness` asks of it (the shared schedule's Redis), when there is anything to ask. */
  readonly readiness?: ReadinessCheck;
}

export function chooseRateLimiter(config: Config, logger: Logger, given?: RateLimiter): LimiterChoice {
  if (given) return { limiter: given };
  if (!config.redisUrl) {
    return { limiter: new LocalSpacingLimiter({ callsPerSecond: config.rateLimit, jitterMarginMs: config.rateLimitMarginMs }) };
  }
  const shared = new RedisRateLimiter({
    url: config.redisUrl,
    callsPerSecond: config.rateLimit,
    jitterMarginMs: config.rateLimitMarginMs,
    unavailableAfterMs: config.redisWaitMs,
    scope: `${config.tencent.endpoint.host}:${BATCH_DELETE_CSR}`,
    logger: logger.child({ component: 'rate-limiter' }),
  });
  return { limiter: shared, readiness: { name: 'rateLimiterRedis', check: () => shared.reachable() } };
}
