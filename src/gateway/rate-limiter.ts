/**
 * Which rate limiter an engine asks for slots: the one given (tests, benchmarks), else the schedule
 * shared with every replica through `REDIS_URL`, else in-process spacing (one replica).
 *
 * Tencent limits each API action on its own, so a limiter is per action: its Redis schedule is keyed
 * by endpoint host and action. The deletion engine's is `BatchDeleteCSR` at `TENCENTCLOUD_RATE_LIMIT`;
 * another action (a listing, say) asks for its own with its own rate.
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

export interface LimiterOptions {
  /** Used as is when present. */
  readonly given?: RateLimiter | undefined;
  /** The Tencent action whose calls it paces; `BatchDeleteCSR` by default. */
  readonly action?: string;
  /** `TENCENTCLOUD_RATE_LIMIT` by default (the deletion action's). */
  readonly callsPerSecond?: number;
  /** The readiness check's name; `rateLimiterRedis` by default. */
  readonly readinessName?: string;
}

export function chooseRateLimiter(config: Config, logger: Logger, options: LimiterOptions = {}): LimiterChoice {
  const { given, action = BATCH_DELETE_CSR, callsPerSecond = config.rateLimit, readinessName = 'rateLimiterRedis' } = options;
  if (given) return { limiter: given };
  if (!config.redisUrl) {
    return { limiter: new LocalSpacingLimiter({ callsPerSecond, jitterMarginMs: config.rateLimitMarginMs }) };
  }
  const shared = new RedisRateLimiter({
    url: config.redisUrl,
    callsPerSecond,
    jitterMarginMs: config.rateLimitMarginMs,
    unavailableAfterMs: config.redisWaitMs,
    scope: `${config.tencent.endpoint.host}:${action}`,
    logger: logger.child({ component: 'rate-limiter' }),
  });
  return { limiter: shared, readiness: { name: readinessName, check: () => shared.reachable() } };
}
