/**
 * The HTTP edge: everything between a request arriving and the schema executing, as yoga options
 * and plugins. This is the one place their order is decided; each plugin is small, takes an options
 * object and lives in plugins/; the endpoints besides GraphQL are routes/, served by one plugin.
 *
 * Every hook costs every GraphQL request something (yoga calls each plugin's hook in turn, and
 * allocates for each call), so concerns that run at the same point share a hook where that stays
 * readable: one plugin for all routes, one validation hook for all of Armor's rules.
 *
 * Yoga runs hooks in plugin order. The order, and why:
 *
 *   1. request log            every request gets its ID (context.requestId, `x-request-id`) and a
 *                             log line, refusals below included (probes and static files at debug).
 *   2. observability          the operation's span (continuing the caller's `traceparent`) and its
 *                             duration metric, so that refusals below are traced and counted too;
 *                             after the request log, whose line carries the trace ID.
 *   3. routes                 /metrics, /readiness and GraphiQL's build, answered by one plugin
 *                             before any GraphQL work (one hook on the GraphQL path, not three);
 *                             GraphiQL's page gets its CSP and frame protection (page-headers.ts).
 *   4. abuse limits           the cheap refusals first: CSRF and the body's declared length before
 *                             the body is read; then one bounded parse (tokens, nesting) and the
 *                             document-shape rules during validation.
 *   5. trusted documents      swaps a documentId for its document (or refuses, in only-mode) before
 *                             the document is parsed.
 *   6. operation context      the operation's root fields, planned once (context.operation), and
 *                             the schema's per-operation context, after validation and before
 *                             execution (not yoga's `context` option: see operation-context.ts).
 *   7. caller auth            needs the plan (an operation of public fields needs no caller); puts
 *                             the caller in the context, or stops the operation before it executes.
 *
 * CORS is yoga's own option: it answers preflights before any plugin runs.
 */
import type { CORSOptions, YogaServerOptions } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { isLoopbackHost, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Authenticator } from './auth/authenticator.js';
import { useAbuseLimits, type DocumentLimits } from './plugins/abuse-limits.js';
import { useCallerAuth } from './plugins/caller-auth.js';
import { useOperationContext, type OperationContextOptions } from './plugins/operation-context.js';
import { usePageHeaders } from './plugins/page-headers.js';
import { REQUEST_ID_HEADER, useRequestLog } from './plugins/request-log.js';
import { routeFinder, useRoutes, type RouteFinder } from './plugins/routes.js';
import { useTrustedDocuments, type PersistedDocuments } from './plugins/trusted-documents.js';
import { graphiqlAssetsRoute } from './routes/graphiql-assets.js';
import { metricsRoute } from './routes/metrics.js';
import { readinessRoute, type ReadinessCheck } from './routes/readiness.js';

/** One entry of yoga's `plugins` option: yoga's own plugins, or envelop's (OpenTelemetry's is one). */
export type EdgePlugin = NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['plugins']>[number];

export interface EdgeOptions {
  readonly logger: Logger;
  readonly limits: DocumentLimits;
  readonly authenticator: Authenticator;
  /** `AUTH_REQUIRED_SCOPE`: the scope deleting needs (auth/scopes.ts has the other operations'). */
  readonly deleteScope: string;
  readonly metrics: Registry;
  readonly readinessChecks: readonly ReadinessCheck[];
  /** Tracing and operation metrics (src/observability/), in the order given. */
  readonly observability?: readonly EdgePlugin[];
  /** With `PERSISTED_DOCUMENTS`: the manifest's documents, and whether only they are accepted. */
  readonly trustedDocuments?: { readonly documents: PersistedDocuments; readonly only: boolean };
  readonly production: boolean;
  /** Whether GraphiQL is served (`GRAPHIQL`): without it, its build is not served either. */
  readonly graphiql: boolean;
  /** False when `/metrics` has a listener of its own (`METRICS_PORT`): then the public port does not serve it. */
  readonly metricsOnPublicPort: boolean;
  /** The schema's part of one operation's context (its deleter, its limits), added as it begins executing. */
  readonly perOperation: NonNullable<OperationContextOptions['perOperation']>;
}

/** Yoga's liveness probe (its `healthCheckEndpoint` option). */
export const HEALTH_PATH = '/health';

export function edgePlugins(options: EdgeOptions): EdgePlugin[] {
  const { trustedDocuments } = options;
  const routeFor = routeFinder([
    ...(options.graphiql ? [graphiqlAssetsRoute()] : []),
    ...(options.metricsOnPublicPort ? [metricsRoute({ registry: options.metrics })] : []),
    readinessRoute({ checks: options.readinessChecks }),
  ]);
  return [
    useRequestLog({ logger: options.logger, quiet: (pathname) => pathname === HEALTH_PATH || routeFor(pathname) !== undefined }),
    ...(options.observability ?? []),
    useRoutes(routeFor),
    usePageHeaders(),
    useAbuseLimits({ limits: options.limits }),
    ...(trustedDocuments ? [useTrustedDocuments({ ...trustedDocuments, graphiqlExempt: !options.production })] : []),
    useOperationContext({ perOperation: options.perOperation }),
    useCallerAuth({ authenticator: options.authenticator, logger: options.logger, deleteScope: options.deleteScope }),
  ];
}

/**
 * What the operators' listener (`METRICS_PORT`, http/operator-listener.ts) serves: `/metrics`, and the
 * same probes as the public port, so that a scraper and a kubelet need not reach the public one.
 */
export function operatorRoutes(options: Pick<EdgeOptions, 'metrics' | 'readinessChecks'>): RouteFinder {
  return routeFinder([
    metricsRoute({ registry: options.metrics }),
    readinessRoute({ checks: options.readinessChecks }),
    { path: HEALTH_PATH, respond: (_request, _url, { Response }) => Promise.resolve(new Response(null, { status: 200 })) },
  ]);
}

/**
 * CORS (`CORS_ORIGINS`): the configured origins (`*`: any); unset, localhost origins only outside
 * production (a frontend on a developer's machine, never any web page the developer visits), and no
 * cross-origin access in production. An origin not allowed gets no CORS header at all — not yoga's
 * `Access-Control-Allow-Origin: null`, which a sandboxed page's opaque origin would match. An allowed
 * origin is echoed, with `Vary: Origin`. Callers authenticate with a bearer header, not cookies, so
 * credentials mode is off unless `CORS_CREDENTIALS=true`. The request ID is exposed so that a browser
 * app can quote it.
 */
export function corsOptions(config: Pick<Config, 'production' | 'cors'>): CORSOptions | ((request: Request) => CORSOptions | false) {
  const { origins, credentials } = config.cors;
  if (!origins && config.production) return false;
  const allowed = corsOriginPolicy(config);
  // No `origin`: yoga echoes the request's Origin and adds Vary: Origin.
  const allow: CORSOptions = { ...(origins ? { methods: ['GET', 'POST'] } : {}), credentials, exposedHeaders: [REQUEST_ID_HEADER] };
  return (request) => (allowed(request.headers.get('origin') ?? '') ? allow : false);
}

/** Whether a browser origin may call: the configured list, or loopback origins when it is unset. */
export function corsOriginPolicy(config: Pick<Config, 'production' | 'cors'>): (origin: string) => boolean {
  const { origins } = config.cors;
  if (origins?.includes('*')) return () => true;
  if (origins) {
    const listed = new Set(origins);
    return (origin) => listed.has(origin);
  }
  if (config.production) return () => false;
  return (origin) => URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && isLoopbackHost(new URL(origin).hostname);
}
