/**
 * The read side's parts, built from the configuration: the Tencent read client (`DescribeCSRSet`,
 * `DescribeCSR`), each action paced by a limiter of its own at `TENCENTCLOUD_READ_RATE_LIMIT` (shared
 * through Redis like the deletion limit, keyed by action, so that reads never take a delete's slot),
 * and the existence checker over it that the engine's reconciliation uses (engine/existence.ts).
 * createGateway builds it and hands it out on the `Gateway` (docs/architecture.md).
 */
import type { Dispatcher } from 'undici';
import type { Config, TencentCredentials } from '../config.js';
import type { RateLimiter } from '../engine/types.js';
import type { ReadinessCheck } from '../http/routes/readiness.js';
import type { Logger } from '../logger.js';
import type { CredentialProvider } from '../tencent/credential-provider.js';
import { TencentExistenceChecker } from '../tencent/existence-checker.js';
import { READ_ACTIONS, TencentReadClient, type ReadAction, type ReadCallEvent } from '../tencent/read-client.js';
import { chooseRateLimiter } from './rate-limiter.js';

export interface ReadSide {
  readonly client: TencentReadClient;
  /** The engine's `ExistenceChecker`; its `find` gives the records too (the schema's batched lookups). */
  readonly existence: TencentExistenceChecker;
  /** Each read limiter's Redis, when shared. */
  readonly readiness: readonly ReadinessCheck[];
  close(): Promise<void>;
}

export interface ReadSideOptions {
  readonly credentials: TencentCredentials | CredentialProvider;
  /** Where the calls go instead of the endpoint (tests: the in-process simulator). */
  readonly dispatcher?: Dispatcher;
  /** Used as given instead of the configured ones (tests). */
  readonly limiters?: Partial<Record<ReadAction, RateLimiter>>;
  /** Told of every read call besides the call log (the gateway's metrics). */
  readonly observe?: (event: ReadCallEvent) => void;
}

export function createReadSide(config: Config, logger: Logger, options: ReadSideOptions): ReadSide {
  const choices = READ_ACTIONS.map((action) => {
    const choice = chooseRateLimiter(config, logger, {
      given: options.limiters?.[action],
      action,
      callsPerSecond: config.readRateLimit,
      readinessName: `${action}RateLimiterRedis`,
    });
    return [action, choice] as const;
  });
  const limiters = Object.fromEntries(choices.map(([action, choice]) => [action, choice.limiter])) as Record<ReadAction, RateLimiter>;
  const client = new TencentReadClient({
    endpoint: config.tencent.endpoint,
    credentials: options.credentials,
    ...(config.tencent.region ? { region: config.tencent.region } : {}),
    timeoutMs: config.upstreamTimeoutMs,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    limiters,
    observe: both(readCallLog(logger), options.observe),
  });
  return {
    client,
    existence: new TencentExistenceChecker(client),
    readiness: choices.flatMap(([, choice]) => (choice.readiness ? [choice.readiness] : [])),
    async close() {
      await Promise.all([client.close(), ...choices.map(([, choice]) => choice.limiter.close?.())]);
    },
  };
}

function both(log: (event: ReadCallEvent) => void, other: ((event: ReadCallEvent) => void) | undefined): (event: ReadCallEvent) => void {
  return other
    ? (event) => {
        log(event);
        other(event);
      }
    : log;
}

/** One log line per read call, as upstream-log.ts writes one per delete call: its action, code and RequestId, nothing of its answer. */
function readCallLog(logger: Logger): (event: ReadCallEvent) => void {
  const lines = logger.child({}, { redact: [] });
  return ({ action, attempt, code, requestId, durationMs }) => {
    const line = { action, code, requestId, durationMs: Math.round(durationMs * 10) / 10, attempt };
    if (code === 'Success') lines.info(line, 'upstream read call');
    else lines.warn(line, 'upstream read call failed');
  };
}
