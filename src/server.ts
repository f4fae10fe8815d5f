/**
 * Wiring: the Tencent client, the rate limiter and the engine behind a graphql-yoga server. Nothing
 * here listens on a port (main.ts does), so tests can build a whole gateway around a simulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Config, TencentCredentials } from './config.js';
import { LocalSpacingLimiter, spacingMs } from './engine/limiter.js';
import type { DeleteEngine, EngineObserver, RateLimiter } from './engine/types.js';
import { EXAMPLE_DOCUMENT } from './http/graphiql-example.js';
import { renderOfflineGraphiQL, useGraphiQLAssets } from './http/graphiql.js';
import type { Logger } from './logger.js';
import type { GatewayContext } from './schema/builder.js';
import { createCsrDeleter } from './schema/csr-deleter.js';
import { schema } from './schema/index.js';
import { BatchingEngine, MAX_IDS_PER_CALL } from './engine/engine.js';
import { TencentSslClient, type BatchDeleteClient } from './tencent/client.js';

export interface GatewayParts {
  readonly config: Config;
  readonly credentials: TencentCredentials;
  readonly logger: Logger;
  /** Defaults to the real client for `config.tencent`. */
  readonly client?: BatchDeleteClient;
  /** Defaults to in-process spacing at `config.rateLimit`. */
  readonly limiter?: RateLimiter;
  readonly observer?: EngineObserver;
}

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
  const limiter: RateLimiter = parts.limiter ?? new LocalSpacingLimiter(spacingMs(config.rateLimit));
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
    renderGraphiQL: renderOfflineGraphiQL,
    logging: logger.child({ component: 'yoga' }),
    context: () => ({ csrDeleter: createCsrDeleter(engine, config.mutationDeadlineMs), limits }),
    plugins: [useGraphiQLAssets(), useReadinessCheck({ endpoint: '/readiness', check: () => true })],
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

/** An HTTP server for the gateway; `listen` resolves with the bound port. */
export function createHttpServer(gateway: Gateway): Server {
  // Yoga's node handler returns a promise that settles once the response is written; http ignores it.
  return createServer((req, res) => void gateway.yoga(req, res));
}

/**
 * Many callers connect at once (that is the point of a coalescing gateway): Node's default accept
 * backlog of 511 drops the rest of a burst into SYN retransmits a second later, so ask for more (the
 * kernel caps it at net.core.somaxconn).
 */
const LISTEN_BACKLOG = 4096;

export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
