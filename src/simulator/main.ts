/**
 * `npm run simulator`: the built-in Tencent SSL simulator alone, for frontend work without an account.
 * Accepts the credentials in TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (or a fixed demo pair),
 * seeds CSR IDs 1–100000, and listens on SIMULATOR_PORT (default 4010).
 */
import { loadConfig } from '../config.js';
import { DEMO_CREDENTIALS, startEmbeddedSimulator } from './embedded.js';

const config = loadConfig();
const credentials = config.tencent.credentials ?? DEMO_CREDENTIALS;
const { url, simulator } = await startEmbeddedSimulator(credentials, { port: config.simulatorPort, host: '127.0.0.1', rateLimit: config.rateLimit });
console.log(`Tencent SSL simulator listening on ${url} (SecretId ${credentials.secretId}, CSR IDs 1-100000)`);
const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
