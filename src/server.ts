/**
 * Wiring: the Tencent client, the rate limiter and the engine behind a graphql-yoga server. Nothing
 * here listens on a port (main.ts does), so tests can build a whole gateway around a simulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config, TencentCredentials } from './config.js';
import { LocalSpacingLimiter } from './engine/limiter.js';
import { RedisRateLimiter } from './engine/redis-limiter.js';
import type { DeleteEngine, EngineObserver, RateLimiter } from './engine/types.js';
import { EXAMPLE_DOCUMENT } from './http/graphiql-example.js';
import { renderOfflineGraphiQL, useGraphiQLAssets } from './http/graphiql.js';
import { useCallerAuth } from './http/auth.js';
import { createAuthenticator } from './http/authenticator.js';
import { trackResponses } from './http/graceful-close.js';
import { abuseLimits, documentLimitsFor } from './http/limits.js';
import { useMetricsEndpoint } from './http/metrics-endpoint.js';
import { useOperationIdLimit } from './http/operation-id-limit.js';
import { useReadiness, type ReadinessCheck } from './http/readiness.js';
import { useRequestLog } from './http/request-log.js';
import { auditedEngine } from './audit/audited-engine.js';
import { scheduleRetention } from './audit/retention.js';
import { AuditTrail } from './audit/trail.js';
import type { AuditQuery, AuditStore } from './audit/types.js';
import type { Logger } from './logger.js';
import type { GatewayContext } from './schema/builder.js';
import { createCsrDeleter } from './schema/csr-deleter.js';
import { schema } from './schema/index.js';
import { BatchingEngine, MAX_IDS_PER_CALL } from './engine/engine.js';
import { createMetrics } from './observability/metrics.js';
import { combineObservers } from './observability/observers.js';
import { useOperationMetrics } from './observability/operation-metrics.js';
import { SERVICE_NAME, type TracingParts } from './observability/tracing.js';
import { tracedEngine, upstreamCallSpans } from './observability/tracing-engine.js';
import { operationContext, traceIdOf, tracingPlugins } from './observability/tracing-plugin.js';
import { upstreamCallLog } from './observability/upstream-log.js';
import { BATCH_DELETE_CSR, TencentSslClient, type BatchDeleteClient } from './tencent/client.js';
import type { CredentialProvider } from './tencent/credentials.js';

export interface GatewayParts {
  readonly config: Config;
  /** Fixed credentials, or a provider the client reads on every call (a role's, refreshed underneath). */
  readonly credentials: TencentCredentials | CredentialProvider;
  readonly logger: Logger;
  /** Defaults to the real client for `config.tencent`. */
  readonly client?: BatchDeleteClient;
  /** Defaults to the schedule shared through `config.redisUrl`, or in-process spacing without it. */
  readonly limiter?: RateLimiter;
  /** Told about the engine's work besides the gateway's own metrics and call log. */
  readonly observer?: EngineObserver;
  /** What `/readiness` checks besides the gateway not shutting down (e.g. the rate limiter's Redis). */
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** OpenTelemetry (src/observability/tracing.ts); without it no span is made. */
  readonly tracing?: TracingParts;
  /** Where the audit trail is kept (src/audit/open.ts); the gateway closes it. Without it nothing is audited. */
  readonly auditStore?: AuditStore;
}

/** The caller the audit trail records when auth is off. */
export const ANONYMOUS_CALLER = 'anonymous';


export interface Gateway {
  readonly yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  readonly engine: DeleteEngine;
  /**
   * Fails readiness, drains the engine (every accepted mutation is answered), then releases the
   * client and the limiter. Idempotent.
   */
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
          jitterMarginMs: config.rateLimitMarginMs,
          unavailableAfterMs: config.redisWaitMs,
          scope: `${config.tencent.endpoint.host}:${BATCH_DELETE_CSR}`,
          logger: logger.child({ component: 'rate-limiter' }),
        })
      : undefined;
  const limiter: RateLimiter = parts.limiter ?? sharedLimiter ?? new LocalSpacingLimiter({ callsPerSecond: config.rateLimit, jitterMarginMs: config.rateLimitMarginMs });
  const tracer = parts.tracing?.tracerProvider.getTracer(SERVICE_NAME);
  const audit = parts.auditStore ? new AuditTrail(parts.auditStore, logger.child({ component: 'audit' })) : undefined;
  const retention = audit ? scheduleRetention(audit, config.audit.retentionDays, logger.child({ component: 'audit' })) : undefined;
  const readinessChecks: ReadinessCheck[] = [
    { name: 'accepting', check: () => !closed },
    ...(sharedLimiter ? [{ name: 'rateLimiterRedis', check: () => sharedLimiter.reachable() }] : []),
    ...(audit ? [{ name: 'auditStore', check: () => audit.ping().then(() => true, () => false) }] : []),
    ...(parts.readinessChecks ?? []),
  ];
  const metrics = createMetrics();
  const engine = new BatchingEngine({
    client,
    limiter,
    maxPendingIds: config.maxPendingIds,
    observer: combineObservers(
      metrics.observer,
      upstreamCallLog(logger),
      tracer ? upstreamCallSpans(tracer, config.tencent.region) : undefined,
      parts.observer,
    ),
  });
  /** One operation's door to the engine: audited (intent before, outcome after), then traced (its wait span). */
  const operationEngine = (context: object): DeleteEngine => {
    let operation: DeleteEngine = engine;
    if (audit) {
      operation = auditedEngine(operation, audit, () => {
        const traceId = traceIdOf(context);
        return { caller: (context as Partial<GatewayContext>).caller?.id ?? ANONYMOUS_CALLER, ...(traceId ? { traceId } : {}) };
      });
    }
    if (tracer) operation = tracedEngine(operation, tracer, () => operationContext(context));
    return operation;
  };
  const authenticator = createAuthenticator(config.auth);
  if (config.production && !authenticator.enabled) {
    throw new Error('NODE_ENV=production requires caller authentication: set AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS');
  }
  let closed: Promise<void> | undefined;

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
    // useBodyLimit (src/http/limits.ts) bounds bodies by their declared length, more cheaply.
    maxRequestBodySize: false,
    graphiql: { title: 'Tencent SSL gateway', defaultQuery: EXAMPLE_DOCUMENT },
    renderGraphiQL: renderOfflineGraphiQL,
    logging: logger.child({ component: 'yoga' }),
    context: (initial) => ({
      csrDeleter: createCsrDeleter(operationEngine(initial), Date.now() + config.mutationDeadlineMs),
      limits,
      ...(audit ? { auditRecords: (query: AuditQuery) => audit.records(query) } : {}),
    }),
    plugins: [
      useGraphiQLAssets(),
      useRequestLog(logger),
      ...tracingPlugins(parts.tracing),
      useOperationMetrics(metrics.registry),
      ...abuseLimits(documentLimitsFor(config.maxIdsPerMutation)),
      useCallerAuth(authenticator, logger),
      useOperationIdLimit(config.maxIdsPerMutation),
      useMetricsEndpoint(metrics.registry),
      useReadiness(readinessChecks),
    ],
  });

  return {
    yoga,
    engine,
    close() {
      closed ??= (async () => {
        await engine.drain();
        // Every mutation is answered, and so every settlement written (or given up on): the trail can close.
        await retention?.stop();
        await audit?.close();
        await Promise.all([client.close(), limiter.close?.()]);
      })();
      return closed;
    },
  };
}

/** An HTTP server for the gateway; `listen` resolves with the bound port. */
export function createHttpServer(gateway: Gateway): Server {
  // Yoga's node handler returns a promise that settles once the response is written; http ignores it.
  return trackResponses(createServer((req, res) => void gateway.yoga(req, res)));
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
