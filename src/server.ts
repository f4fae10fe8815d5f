/**
 * Wiring: the Tencent client, the rate limiter, the engine and the deletion service behind a
 * graphql-yoga server. Nothing here listens on a port (main.ts does), so tests can build a whole
 * gateway around a simulator; nothing here runs per request either (the deletion service and the
 * edge's plugins do).
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { scheduleRetention, type Retention } from './retention.js';
import { AuditTrail } from './audit/trail.js';
import type { AuditStore } from './audit/types.js';
import { productionAuthProblem, type Config, type TencentCredentials } from './config.js';
import { DeletionService } from './deletion/service.js';
import type { BatchDeleteClient } from './engine/client.js';
import { BatchingEngine, MAX_IDS_PER_CALL } from './engine/engine.js';
import type { DeleteEngine, EngineObserver, RateLimiter } from './engine/types.js';
import { chooseRateLimiter } from './gateway/rate-limiter.js';
import { createReadSide, type ReadSide, type ReadSideOptions } from './gateway/read-side.js';
import { yogaOptions } from './gateway/yoga-options.js';
import { admitWithinBudget } from './http/admission.js';
import { createAuthenticator } from './http/auth/authenticator.js';
import { edgePlugins, operatorRoutes } from './http/edge.js';
import { createClosableServer } from './http/graceful-close.js';
import { documentLimitsFor } from './http/plugins/abuse-limits.js';
import { readPersistedDocuments } from './http/plugins/trusted-documents.js';
import type { RouteFinder } from './http/plugins/routes.js';
import type { ReadinessCheck } from './http/routes/readiness.js';
import type { Logger } from './logger.js';
import { createMetrics } from './observability/metrics.js';
import { combineObservers } from './observability/observers.js';
import { useOperationMetrics } from './http/plugins/operation-metrics.js';
import { SERVICE_NAME, type TracingParts } from './observability/tracing.js';
import { upstreamCallSpans } from './observability/tracing-engine.js';
import { tracingPlugins } from './http/plugins/tracing.js';
import { upstreamCallLog } from './observability/upstream-log.js';
import { JobChanges } from './jobs/progress.js';
import { Planner } from './jobs/planner.js';
import { JobRunner, type JobRunnerOptions } from './jobs/runner.js';
import type { JobStore } from './jobs/store.js';
import type { GatewayContext, JobsAccess } from './schema/builder.js';
import { operationScope } from './schema/operation-scope.js';
import { CircuitBreakerClient, logBreaker } from './tencent/circuit-breaker.js';
import { TencentSslClient } from './tencent/client.js';
import { TencentDomainLister } from './tencent/domain-lister.js';
import type { CredentialProvider } from './tencent/credential-provider.js';

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
  /** Where deletion jobs are kept (src/jobs/open.ts); the gateway runs them and closes it. Without it there are no jobs. */
  readonly jobStore?: JobStore;
  /** For tests: where the read side's calls go, and its limiters (gateway/read-side.ts). */
  readonly readSide?: Omit<ReadSideOptions, 'credentials'>;
  /** For tests: the runner's settings besides the configuration's. */
  readonly jobRunner?: Partial<Pick<JobRunnerOptions, 'window' | 'pollMs' | 'submissionDeadlineMs' | 'owner'>>;
  /** For tests: the clock plans are made and expire by (epoch ms); `Date.now` by default. */
  readonly planClock?: () => number;
}

export interface Gateway {
  readonly yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  readonly engine: DeleteEngine;
  /** The one way to delete (src/deletion/service.ts), for every submitter: GraphQL operations, jobs. */
  readonly deletion: DeletionService;
  /** `/metrics` and the probes, for the operators' listener (`METRICS_PORT`, http/operator-listener.ts). */
  readonly operatorRoutes: RouteFinder;
  /**
   * The read side (gateway/read-side.ts): `readSide.client` lists and describes CSRs, each read action
   * paced on its own; `readSide.existence` is the engine's `ExistenceChecker` over it.
   */
  readonly readSide: ReadSide;
  /** This replica's job runner, when the gateway has a job store. */
  readonly jobRunner?: JobRunner;
  /**
   * Fails readiness, drains the engine (every accepted mutation is answered), then releases the
   * client and the limiter. Idempotent.
   */
  close(): Promise<void>;
}

export function createGateway(parts: GatewayParts): Gateway {
  const { config, logger } = parts;
  const authenticator = createAuthenticator(config.auth);
  const authProblem = productionAuthProblem(config);
  if (authProblem) throw new Error(authProblem);
  // The real client goes behind a circuit breaker (tencent/circuit-breaker.ts); a given client is a test's, as it is.
  const breaker = parts.client
    ? undefined
    : new CircuitBreakerClient(
        new TencentSslClient({
          endpoint: config.tencent.endpoint,
          credentials: parts.credentials,
          ...(config.tencent.region ? { region: config.tencent.region } : {}),
          timeoutMs: config.upstreamTimeoutMs,
        }),
        { observe: logBreaker(logger.child({ component: 'tencent' }), config.tencent.endpoint) },
      );
  const client: BatchDeleteClient = parts.client ?? (breaker as CircuitBreakerClient);
  const { limiter, readiness: limiterReadiness } = chooseRateLimiter(config, logger, { given: parts.limiter });
  const metrics = createMetrics();
  const readSide = createReadSide(config, logger.child({ component: 'tencent' }), {
    credentials: parts.credentials,
    observe: metrics.onReadCall,
    ...parts.readSide,
  });
  const tracer = parts.tracing?.tracerProvider.getTracer(SERVICE_NAME);
  const auditLogger = logger.child({ component: 'audit' });
  const audit = parts.auditStore ? new AuditTrail(parts.auditStore, auditLogger) : undefined;
  const retention = audit ? scheduleRetention(audit, config.audit.retentionDays, auditLogger, 'audit records') : undefined;
  // A lost answer's IDs are checked on the read side before they are settled (engine.ts `#reconcile`),
  // and so are a crashed replica's in-flight job items (jobs/runner.ts), when the read side reads the
  // Tencent the deletes go to: always, but for a test that brings its own delete client without one.
  const checking = parts.client && !parts.readSide ? {} : { checker: readSide.existence, checkTimeoutMs: config.upstreamTimeoutMs };
  const engine = new BatchingEngine({
    client,
    limiter,
    maxPendingIds: config.maxPendingIds,
    ...checking,
    observer: combineObservers(metrics.observer, upstreamCallLog(logger), tracer ? upstreamCallSpans(tracer, config.tencent.region) : undefined, parts.observer),
  });
  const deletion = new DeletionService({ engine, ...(audit ? { audit } : {}), ...(tracer ? { tracer } : {}) });
  // Plans read through the read side (its own limiters: never a delete's slot) and live in the job store.
  const planner = (store: JobStore): Planner =>
    new Planner({
      plans: store.plans,
      existence: readSide.existence,
      lister: new TencentDomainLister(readSide.client),
      maxIds: config.jobs.maxIdsPerJob,
      ttlMs: config.jobs.planTtlMs,
      maxIdsPerCall: MAX_IDS_PER_CALL,
      // The deletion limiter's slot spacing: an estimate at the rate limit as configured now.
      slotMs: limiter.intervalMs ?? Math.ceil(1_000 / config.rateLimit),
      ...(parts.planClock ? { now: parts.planClock } : {}),
    });
  // A taker's check of a dead holder's in-flight items waits for no caller: it may take as long as a
  // mutation may (up to 1,000 IDs a check, by scan or one by one at the read limit), not one read's timeout.
  const takeoverChecking = 'checker' in checking ? { ...checking, checkTimeoutMs: Math.max(config.upstreamTimeoutMs, config.mutationDeadlineMs) } : {};
  const jobs = parts.jobStore ? startJobs(parts.jobStore, deletion, config, logger, { ...takeoverChecking, ...parts.jobRunner }, planner(parts.jobStore)) : undefined;
  let closed: Promise<void> | undefined;
  const readinessChecks: ReadinessCheck[] = [
    { name: 'accepting', check: () => !closed },
    ...(limiterReadiness ? [limiterReadiness] : []),
    ...readSide.readiness,
    ...(breaker ? [{ name: 'tencentEndpoint', check: () => breaker.state.kind === 'closed' }] : []),
    ...(audit ? [{ name: 'auditStore', check: () => audit.ping().then(() => true, () => false) }] : []),
    ...(jobs ? [{ name: 'jobStore', check: () => jobs.access.store.ping().then(() => true, () => false) }] : []),
    ...(parts.readinessChecks ?? []),
  ];
  const { path: manifest, only } = config.persistedDocuments;
  const plugins = edgePlugins({
    logger,
    limits: documentLimitsFor(config.maxIdsPerMutation, jobs ? config.jobs.maxIdsPerJob : 0),
    authenticator,
    deleteScope: config.auth.requiredScope,
    metrics: metrics.registry,
    readinessChecks,
    observability: [...tracingPlugins(parts.tracing), useOperationMetrics(metrics.registry)],
    ...(manifest ? { trustedDocuments: { documents: readPersistedDocuments(manifest), only } } : {}),
    production: config.production,
    graphiql: config.graphiql,
    metricsOnPublicPort: config.metricsPort === undefined,
    perOperation: operationScope({
      deletion,
      limits: { maxIdsPerMutation: config.maxIdsPerMutation, maxIdsPerCall: MAX_IDS_PER_CALL, callsPerSecond: config.rateLimit, mutationDeadlineMs: config.mutationDeadlineMs },
      ...(audit ? { auditRecords: (query) => audit.records(query) } : {}),
      ...(jobs ? { jobs: jobs.access } : {}),
      reads: {
        describeCSRSet: (query, options) => readSide.client.describeCSRSet(query, options),
        find: (ids, options) => readSide.existence.find(ids, options),
      },
    }),
  });
  const yoga = createYoga<Record<string, unknown>, GatewayContext>(yogaOptions(config, logger, plugins));
  const close = async (): Promise<void> => {
    // Jobs first: no new claims; what they have in flight is answered by the engine and written, and
    // the jobs are given back for another replica to take at once.
    await jobs?.runner.stop();
    await jobs?.retention.stop();
    await deletion.drain();
    // Every mutation is answered, and so every settlement written (or given up on): the trail can close.
    await retention?.stop();
    await audit?.close();
    await jobs?.access.changes.close().catch(() => undefined);
    await jobs?.access.store.close();
    await Promise.all([client.close(), limiter.close?.(), readSide.close()]);
  };
  return {
    yoga,
    engine,
    deletion,
    readSide,
    operatorRoutes: operatorRoutes({ metrics: metrics.registry, readinessChecks }),
    ...(jobs ? { jobRunner: jobs.runner } : {}),
    close: () => (closed ??= close()),
  };
}

/**
 * Deletion jobs: this replica's runner, submitting through the deletion service like any caller (so
 * jobs share the rate limit and the fair rotation with everyone else), and the change feed that
 * serves progress to this replica's subscribers.
 */
function startJobs(
  store: JobStore,
  deletion: DeletionService,
  config: Config,
  logger: Logger,
  overrides: GatewayParts['jobRunner'] & Partial<Pick<JobRunnerOptions, 'checker' | 'checkTimeoutMs'>>,
  planner: Planner,
): { runner: JobRunner; access: JobsAccess; retention: Retention } {
  const jobsLogger = logger.child({ component: 'jobs' });
  const runner = new JobRunner({
    store,
    service: deletion,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseMs: config.jobs.leaseMs,
    concurrency: config.jobs.concurrency,
    // One and a half seconds of calls at the rate limit: enough queued to fill every call, and no
    // more in flight than need be (they are what a crash leaves UNKNOWN).
    window: Math.ceil(config.rateLimit * MAX_IDS_PER_CALL * 1.5),
    chunk: MAX_IDS_PER_CALL,
    submissionDeadlineMs: config.mutationDeadlineMs,
    pollMs: Math.min(1_000, Math.floor(config.jobs.leaseMs / 3)),
    logger: jobsLogger,
    ...overrides,
  });
  const changes = new JobChanges();
  // A replica that cannot hear of changes still serves progress, by its once-a-second re-read.
  changes.start(store).catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'job change notifications unavailable'));
  runner.start();
  return {
    runner,
    retention: scheduleRetention(store, config.jobs.retentionDays, jobsLogger, 'finished deletion jobs'),
    access: { store, changes, maxIdsPerJob: config.jobs.maxIdsPerJob, started: () => runner.poke(), planner },
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
