/**
 * `npm start`: read the configuration, find Tencent credentials, start the gateway, and stop it
 * without dropping an answer.
 *
 * Credentials come from the first source that has them, in the order Tencent's SDKs use: the
 * environment, the profile file, the CVM/TKE role (src/tencent/credentials.ts). With none, outside
 * production, the gateway runs against an embedded simulator and says so loudly: nothing real is
 * deleted. In production it refuses to start, and says which sources it tried.
 *
 * A start-up failure an operator can fix (a bad variable, a port in use, an address that is not this
 * machine's) is one line on stderr naming the variable and what to do, then exit 1.
 *
 * On SIGTERM or SIGINT: stop accepting connections, fail readiness, let the engine answer every
 * mutation it accepted (in full), let those answers be written, exit 0.
 */
import { lookup } from 'node:dns/promises';
import { auditStoreProblem, openAuditStore } from './audit/open.js';
import type { AuditStore } from './audit/types.js';
import { jobStoreProblem, openJobStore } from './jobs/open.js';
import type { JobStore } from './jobs/store.js';
import { authConfigured, ConfigError, loadConfig, productionProblems, unauthenticatedCredentialsProblem, withoutCredentials, type Config } from './config.js';
import { createOperatorServer } from './http/operator-listener.js';
import { stopAccepting } from './http/graceful-close.js';
import { createLogger, prettyLogs, secretsOf } from './logger.js';
import { startTracing } from './observability/tracing.js';
import { PersistedDocumentsError } from './http/plugins/trusted-documents.js';
import { createGateway, createHttpServer, listen } from './server.js';
import { DEMO_CREDENTIALS, DEVELOPMENT_CREDENTIALS, startEmbeddedSimulator } from './simulator/embedded.js';
import { listenProblem, refuseToStart, USAGE } from './startup-errors.js';
import { fixedCredentials, type CredentialProvider } from './tencent/credential-provider.js';
import { resolveCredentials } from './tencent/credentials.js';
import { defaultProfileFiles } from './tencent/profile-credentials.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) refuseToStart(error.problems);
  throw error;
}

let credentials: CredentialProvider | undefined;
// Every line is scrubbed of the secrets in use, a role's included as they change (see secretsOf).
let secrets: { for?: object; values: string[] } = { values: secretsOf(config) };
const logger = createLogger(config.logLevel, undefined, {
  pretty: prettyLogs({ isTTY: process.stdout.isTTY, production: config.production }),
  secrets: () => {
    const current = credentials?.current();
    if (current && secrets.for !== current) secrets = { for: current, values: secretsOf(config, current) };
    return secrets.values;
  },
});

const resolution = await resolveCredentials({
  environment: config.tencent.credentials,
  profileFiles: defaultProfileFiles(),
  metadataEndpoint: config.tencent.metadataEndpoint,
  logger,
});
const refusals = productionProblems(config, { found: Boolean(resolution.provider), tried: resolution.tried });
const unauthenticated = unauthenticatedCredentialsProblem(config, resolution.provider?.source);
if (unauthenticated) refusals.push(unauthenticated);
if (refusals.length > 0) {
  resolution.provider?.close();
  refuseToStart(refusals);
}
credentials = resolution.provider;

let simulator: Awaited<ReturnType<typeof startEmbeddedSimulator>>['simulator'] | undefined;
const fallback = credentials ? undefined : withoutCredentials(config.tencent);
if (credentials) {
  logger.info({ source: credentials.source, rateLimitKey: credentials.rateLimitKey }, `Tencent Cloud credentials from the ${credentials.source}`);
  // A typo'd endpoint host is said at start-up, not discovered by the first caller (the circuit breaker then answers callers at once).
  const endpointHost = config.tencent.endpoint.hostname;
  // Not awaited: a slow resolver must not hold start-up.
  void lookup(endpointHost).catch((error: unknown) =>
    logger.warn(
      { endpoint: config.tencent.endpoint.origin, code: (error as { code?: string }).code },
      `TENCENTCLOUD_SSL_ENDPOINT: the host ${endpointHost} does not resolve; deletions will fail until it does`,
    ),
  );
} else if (fallback?.kind === 'refuse') {
  refuseToStart([fallback.problem]);
} else if (fallback?.kind === 'development-credentials') {
  // An endpoint was given without credentials: a simulator started elsewhere (`npm run simulator`,
  // compose's), which accepts its published development account (docs/contract.md §2).
  credentials = fixedCredentials(DEVELOPMENT_CREDENTIALS, 'simulator development credentials');
  logger.warn(
    { endpoint: fallback.endpoint.origin, secretId: DEVELOPMENT_CREDENTIALS.secretId, tried: resolution.tried },
    `*** SIMULATOR MODE: no Tencent Cloud credentials, so the gateway signs its calls to TENCENTCLOUD_SSL_ENDPOINT=${fallback.endpoint.origin} ` +
      'with the simulator\'s public development credentials (those `npm run simulator` prints). Only a simulator accepts them. ***',
  );
} else {
  const embedded = await startEmbeddedSimulator(DEMO_CREDENTIALS, { rateLimit: config.rateLimit, readRateLimit: config.readRateLimit });
  simulator = embedded.simulator;
  credentials = fixedCredentials(DEMO_CREDENTIALS, 'embedded simulator');
  config = { ...config, tencent: { ...config.tencent, endpoint: new URL(embedded.url) } };
  logger.warn(
    { simulator: embedded.url, tried: resolution.tried },
    '*** SIMULATOR MODE: no Tencent Cloud credentials in the environment, a profile file or an instance role, so the ' +
      'gateway talks to a built-in Tencent SSL simulator (CSR IDs 1-100000). Nothing real is deleted. ***',
  );
}
if (!authConfigured(config.auth)) {
  logger.warn('*** AUTH OFF: no AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS is set; any caller may delete CSRs. ***');
} else {
  const { jwtSecret, jwksUrl, issuer, audience, requiredScope, apiKeys } = config.auth;
  logger.info(
    { hs256Jwt: Boolean(jwtSecret), jwksUrl: jwksUrl?.href, issuer, audience, requiredScope, apiKeyCount: apiKeys.length },
    'caller authentication on',
  );
}

// Tracing (OTEL_* variables) and the audit trail (AUDIT_*): a store that cannot be opened stops
// start-up, since every mutation would be refused.
const tracing = config.tracing.enabled ? await startTracing(logger) : undefined;
if (tracing) logger.info('OpenTelemetry tracing on, configured by the OTEL_* variables');
let auditStore: AuditStore;
try {
  auditStore = await openAuditStore(config.audit, logger);
} catch (error) {
  refuseToStart([auditStoreProblem(error, config.audit)]);
}
logger.info({ store: auditStore.description, retentionDays: config.audit.retentionDays }, 'audit trail on');
if (!config.audit.databaseUrl && config.production) {
  logger.warn(
    { store: auditStore.description },
    'the audit trail is the embedded journal, on this machine only: set AUDIT_DATABASE_URL to keep it in PostgreSQL, shared by every replica',
  );
}

// Deletion jobs (DATABASE_URL, else the embedded database in JOBS_DATA_DIR): a store that cannot be
// opened stops start-up, as the audit trail's does.
let jobStore: JobStore;
try {
  jobStore = await openJobStore(config.jobs, logger);
} catch (error) {
  refuseToStart([jobStoreProblem(error, config.jobs)]);
}
logger.info({ store: jobStore.description }, 'deletion jobs on');
if (!config.jobs.databaseUrl && config.production) {
  logger.warn(
    { store: jobStore.description },
    'deletion jobs are kept in the embedded database, for this process only: set DATABASE_URL to share them with every replica',
  );
}

let gateway: ReturnType<typeof createGateway>;
try {
  gateway = createGateway({ config, credentials, logger, auditStore, jobStore, ...(tracing ? { tracing } : {}) });
} catch (error) {
  if (error instanceof PersistedDocumentsError) refuseToStart([error.message]);
  throw error;
}
const server = createHttpServer(gateway);
let port: number;
try {
  port = await listen(server, config.port, config.host);
} catch (error) {
  const problem = listenProblem(error, config);
  if (problem) refuseToStart([problem]);
  throw error;
}
// `/metrics` and the probes on a listener of their own (METRICS_PORT), on the same address.
const operatorServer = config.metricsPort === undefined ? undefined : createOperatorServer(gateway.operatorRoutes);
let metricsPort: number | undefined;
if (operatorServer && config.metricsPort !== undefined) {
  try {
    metricsPort = await listen(operatorServer, config.metricsPort, config.host);
  } catch (error) {
    const problem = listenProblem(error, { ...config, port: config.metricsPort });
    if (problem) refuseToStart([problem.replace(/\bPORT\b/g, 'METRICS_PORT')]);
    throw error;
  }
}
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
logger.info(
  { port, host: config.host, ...(metricsPort !== undefined ? { metricsPort } : {}), endpoint: config.tencent.endpoint.origin, rateLimit: config.rateLimit, graphiql: config.graphiql },
  `GraphQL gateway ready: http://${shownHost}:${port}/graphql` + (config.graphiql ? ' (GraphiQL in a browser)' : ''),
);

/** How long answers may take to be written once the engine has drained, before lingering connections are cut. */
const RESPONSE_GRACE_MS = 5_000;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  // A repeated signal (a terminal and npm may both forward Ctrl-C) must not cut the drain short; the
  // drain is bounded by the mutations' deadlines, and SIGKILL remains for the impatient.
  if (stopping) return;
  stopping = true;
  logger.info({ signal, pendingIds: gateway.engine.pendingIds }, 'shutting down: no new connections, answering every accepted mutation');
  const connectionsClosed = stopAccepting(server);
  // Readiness fails at once; every mutation already accepted gets its full answer.
  await gateway.close();
  const cut = setTimeout(() => server.closeAllConnections(), RESPONSE_GRACE_MS).unref();
  await connectionsClosed;
  clearTimeout(cut);
  // The operators' listener served readiness (failing) through the drain; it has nothing left to say.
  operatorServer?.closeAllConnections();
  await new Promise((resolve) => (operatorServer ? operatorServer.close(resolve) : resolve(undefined)));
  await simulator?.close();
  await tracing?.shutdown();
  credentials?.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
