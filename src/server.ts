/**
 * Wiring: the Tencent client, the rate limiter and the engine behind a graphql-yoga server. Nothing
 * here listens on a port (main.ts does), so tests can build a whole gateway around a simulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Config, TencentCredentials } from './config.js';
import { LocalSpacingLimiter, spacingMs } from './engine/limiter.js';
import { RedisRateLimiter } from './engine/redis-limiter.js';
import type { DeleteEngine, EngineObserver, RateLimiter } from './engine/types.js';
import { EXAMPLE_DOCUMENT } from './graphiql.js';
import type { Logger } from './logger.js';
import type { GatewayContext } from './schema/builder.js';
import { createCsrDeleter } from './schema/csr-deleter.js';
import { schema } from './schema/index.js';
import { BatchingEngine, MAX_IDS_PER_CALL } from './engine/engine.js';
import { BATCH_DELETE_CSR, TencentSslClient, type BatchDeleteClient } from './tencent/client.js';

export interface GatewayParts {
  readonly config: Config;
  readonly credentials: TencentCredentials;
  readonly logger: Logger;
  /** Defaults to the real client for `config.tencent`. */
  readonly client?: BatchDeleteClient;
  /** Defaults to the schedule shared through `config.redisUrl`, or in-process spacing without it. */
  readonly limiter?: RateLimiter;
  readonly observer?: EngineObserver;
  /** What `/readiness` requires besides the defaults (the shared limiter's Redis); all must hold. */
  readonly readinessChecks?: readonly ReadinessCheck[];
}

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface Gateway {
  readonly yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  readonly engine: DeleteEngine;
  /** Drains the engine, then releases the client and the limiter. */
  close(): Promise<void>;
}

export function createGateway(parts: GatewayParts): Gateway {
  const { config, logger } = parts;
  const client =
    parts.client ??
    new TencentSslClient({
      endpoint: config.tencent.endpoint,
      credentials: parts.credentials,
      ...(config.tencent.region ? { region: config.tencent.region } : {}),
      timeoutMs: config.upstreamTimeoutMs,
    });
  const sharedLimiter =
    !parts.limiter && config.redisUrl
      ? new RedisRateLimiter({
          url: config.redisUrl,
          callsPerSecond: config.rateLimit,
          scope: `${config.tencent.endpoint.host}:${BATCH_DELETE_CSR}`,
          logger: logger.child({ component: 'rate-limiter' }),
        })
      : undefined;
  const limiter: RateLimiter = parts.limiter ?? sharedLimiter ?? new LocalSpacingLimiter(spacingMs(config.rateLimit));
  const readinessChecks = [...(parts.readinessChecks ?? []), ...(sharedLimiter ? [() => sharedLimiter.reachable()] : [])];
  const engine = new BatchingEngine({
    client,
    limiter,
    maxPendingIds: config.maxPendingIds,
    ...(parts.observer ? { observer: parts.observer } : {}),
  });

  const limits = {
    maxIdsPerMutation: config.maxIdsPerMutation,
    maxIdsPerCall: MAX_IDS_PER_CALL,
    callsPerSecond: config.rateLimit,
    mutationDeadlineMs: config.mutationDeadlineMs,
  };
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'Tencent SSL gateway', defaultQuery: EXAMPLE_DOCUMENT },
    logging: logger.child({ component: 'yoga' }),
    context: () => ({ csrDeleter: createCsrDeleter(engine, config.mutationDeadlineMs), limits }),
    plugins: [useReadinessCheck({ endpoint: '/readiness', check: () => allHold(readinessChecks) })],
  });

  return {
    yoga,
    engine,
    async close() {
      await engine.drain();
      await Promise.all([client.close(), limiter.close?.()]);
    },
  };
}

async function allHold(checks: readonly ReadinessCheck[]): Promise<boolean> {
  const results = await Promise.all(checks.map((check) => Promise.resolve(check())));
  return results.every(Boolean);
}

/** An HTTP server for the gateway; `listen` resolves with the bound port. */
export function createHttpServer(gateway: Gateway): Server {
  // Yoga's node handler returns a promise that settles once the response is written; http ignores it.
  return createServer((req, res) => void gateway.yoga(req, res));
}

export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
