/**
 * `npm start`: read the configuration, start the gateway, and stop it without dropping an answer.
 *
 * Without Tencent credentials outside production, the gateway runs against an embedded simulator
 * and says so loudly: nothing real is deleted.
 */
import { authConfigured, ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
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

const logger = createLogger(config.logLevel);
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
}

const gateway = createGateway({ config, credentials, logger });
const server = createHttpServer(gateway);
const port = await listen(server, config.port, config.host);
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
logger.info(
  { port, endpoint: config.tencent.endpoint.origin, rateLimit: config.rateLimit },
  `GraphQL gateway ready: http://${shownHost}:${port}/graphql (GraphiQL in a browser)`,
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, answering every accepted mutation');
  // Stop accepting connections first; requests already in progress keep their sockets.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await gateway.close();
  await closed;
  await simulator?.close();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
