/**
 * `npm start`: read the configuration, start the gateway, and stop it without dropping an answer.
 *
 * Without Tencent credentials outside production, the gateway runs against an embedded simulator
 * and says so loudly: nothing real is deleted.
 *
 * On SIGTERM or SIGINT: stop accepting connections, fail readiness, let the engine answer every
 * mutation it accepted (in full), let those answers be written, exit 0.
 */
import { authConfigured, ConfigError, loadConfig, type Config } from './config.js';
import { stopAccepting } from './http/graceful-close.js';
import { createLogger, secretsOf } from './logger.js';
import { createGateway, createHttpServer, listen } from './server.js';
import { DEMO_CREDENTIALS, startEmbeddedSimulator } from './simulator/embedded.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.logLevel, undefined, { secrets: secretsOf(config) });
let credentials = config.tencent.credentials;
let simulator: Awaited<ReturnType<typeof startEmbeddedSimulator>>['simulator'] | undefined;
if (!credentials) {
  const embedded = await startEmbeddedSimulator(DEMO_CREDENTIALS, { rateLimit: config.rateLimit });
  simulator = embedded.simulator;
  credentials = DEMO_CREDENTIALS;
  config = { ...config, tencent: { ...config.tencent, endpoint: new URL(embedded.url) } };
  logger.warn(
    { simulator: embedded.url },
    '*** SIMULATOR MODE: TENCENTCLOUD_SECRET_ID is not set, so the gateway talks to a built-in Tencent SSL simulator ' +
      '(CSR IDs 1-100000). Nothing real is deleted. ***',
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

const gateway = createGateway({ config, credentials, logger });
const server = createHttpServer(gateway);
const port = await listen(server, config.port, config.host);
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
logger.info(
  { port, endpoint: config.tencent.endpoint.origin, rateLimit: config.rateLimit },
  `GraphQL gateway ready: http://${shownHost}:${port}/graphql (GraphiQL in a browser)`,
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
  await simulator?.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
