/**
 * Wiring: the Tencent client, the rate limiter and the engine behind a graphql-yoga server. Nothing
 * here listens on a port (main.ts does), so tests can build a whole gateway around a simulator.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config, TencentCredentials } from './config.js';
import { AnswerPacer, pacedAnswers } from './engine/answer-pacing.js';
import { LocalSpacingLimiter } from './engine/limiter.js';
import { RedisRateLimiter } from './engine/redis-limiter.js';
import type { DeleteEngine, EngineObserver, RateLimiter } from './engine/types.js';
import { admitWithinBudget } from './http/admission.js';
import { createAuthenticator } from './http/auth/authenticator.js';
import type { EdgeContext } from './http/context.js';
import { corsOptions, edgePlugins, HEALTH_PATH } from './http/edge.js';
import { documentCaches } from './http/document-cache.js';
import { maskError, yogaLogger } from './http/errors.js';
import { createClosableServer } from './http/graceful-close.js';
import { EXAMPLE_DOCUMENT } from './http/graphiql/example.js';
import { renderOfflineGraphiQL } from './http/graphiql/page.js';
import { documentLimitsFor } from './http/plugins/abuse-limits.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import { GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER, readPersistedDocuments } from './http/plugins/trusted-documents.js';
import { auditedEngine } from './audit/audited-engine.js';
import { scheduleRetention } from './audit/retention.js';
import { AuditTrail } from './audit/trail.js';
import type { AuditQuery, AuditStore } from './audit/types.js';
import type { Logger } from './logger.js';
import type { GatewayContext } from './schema/builder.js';
import { CsrDeleter } from './schema/csr-deleter.js';
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
  // A few answers per event-loop turn, so that one upstream answer's 100 callers cannot stall the loop.
  const answers = pacedAnswers(engine, new AnswerPacer());
  /** One operation's door to the engine: paced, audited (intent before, outcome after), then traced (its wait span). */
  const operationEngine = (context: object): DeleteEngine => {
    let operation: DeleteEngine = answers;
    if (audit) {
      operation = auditedEngine(operation, audit, () => {
        const traceId = traceIdOf(context);
        const caller = (context as Partial<GatewayContext>).caller;
        const callerKind = caller ? caller.kind : 'anonymous';
        return { caller: caller?.id ?? ANONYMOUS_CALLER, ...(callerKind ? { callerKind } : {}), ...(traceId ? { traceId } : {}) };
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
  const auditRecords = audit ? (query: AuditQuery) => audit.records(query) : undefined;
  const { path: manifest, only } = config.persistedDocuments;
  const trustedDocuments = manifest ? { documents: readPersistedDocuments(manifest), only } : undefined;
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    // useBodyLimit (src/http/plugins/body-limit.ts) bounds bodies by their declared length, more cheaply.
    maxRequestBodySize: false,
    // Bounded by bytes, large documents never cached: yoga's default keeps 1,024 of up to 1 MiB each.
    parserAndValidationCache: documentCaches(),
    cors: corsOptions(config),
    // `{"documentId": …}` is a trusted document's id (src/http/plugins/trusted-documents.ts).
    extraParamNames: ['documentId'],
    maskedErrors: { maskError },
    graphiql: {
      title: 'Tencent SSL gateway',
      defaultQuery: EXAMPLE_DOCUMENT,
      // In only-mode outside production, GraphiQL may still send documents of its own.
      ...(trustedDocuments?.only && !config.production ? { additionalHeaders: { [GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER]: '1' } } : {}),
    },
    renderGraphiQL: renderOfflineGraphiQL,
    logging: yogaLogger(logger.child({ component: 'yoga' })),
    plugins: edgePlugins({
      logger,
      limits: documentLimitsFor(config.maxIdsPerMutation),
      authenticator,
      deleteScope: config.auth.requiredScope,
      metrics: metrics.registry,
      readinessChecks,
      observability: [...tracingPlugins(parts.tracing), useOperationMetrics(metrics.registry)],
      ...(trustedDocuments ? { trustedDocuments } : {}),
      production: config.production,
      perOperation: (context): Omit<GatewayContext, keyof EdgeContext> => ({
        csrDeleter: new CsrDeleter(() => operationEngine(context), Date.now() + config.mutationDeadlineMs),
        limits,
        ...(auditRecords ? { auditRecords } : {}),
      }),
    }),
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

/**
 * How long a client may take to send a request, set deliberately rather than left at Node's
 * defaults (60 s for headers, 300 s for the whole request, checked every 30 s): a client that
 * trickles its headers or body holds a connection and a parser, and a few thousand such clients
 * hold the process. A real request — at most `max(1 MiB, 32 B × MAX_IDS_PER_MUTATION)` of body —
 * arrives in well under a second; these bounds leave slow mobile links ample room. Past them Node
 * answers 408 and closes the connection. Answering is not bounded here: a mutation's own deadline
 * (`MUTATION_DEADLINE_MS`) bounds it. docs/contract.md §3.
 */
export const HTTP_TIMEOUTS = {
  /** All of a request's headers must arrive within this. */
  headersTimeoutMs: 10_000,
  /** All of a request, headers and body, must arrive within this. */
  requestTimeoutMs: 30_000,
  /** How often Node checks the two above (its default, 30 s, would let them run late by as much). */
  checkIntervalMs: 1_000,
} as const;

export type HttpTimeouts = { readonly [K in keyof typeof HTTP_TIMEOUTS]: number };

/** An HTTP server for the gateway; `listen` resolves with the bound port. */
export function createHttpServer(gateway: Gateway, timeouts: HttpTimeouts = HTTP_TIMEOUTS): Server {
  return createClosableServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    // Yoga's node handler returns a promise that settles once the response is written; http ignores it.
    admitWithinBudget((req, res) => void gateway.yoga(req, res)),
  );
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
