/**
 * `npm run simulator`: the built-in Tencent SSL simulator alone, for frontend work without an account,
 * and the process the tests run as their judge of what went upstream (see `admin.ts`).
 *
 * Accepts the credentials in TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (and
 * TENCENTCLOUD_SESSION_TOKEN); without them, the published development credentials
 * (`DEVELOPMENT_CREDENTIALS`), which it prints at start (they are not a secret). It listens on SIMULATOR_PORT (default 4010), limits calls to
 * TENCENTCLOUD_RATE_LIMIT a second (BatchDeleteCSR) and TENCENTCLOUD_READ_RATE_LIMIT a second (each of
 * DescribeCSRSet and DescribeCSR, on its own). Flags override, for tests:
 *
 *   --port <n>            0 picks a free port
 *   --host <address>      default 127.0.0.1
 *   --seed <from>-<to>    the CSR IDs that exist at start (default 1-100000)
 *   --rate-limit <n>      BatchDeleteCSR calls per sliding second per SecretId
 *   --read-rate-limit <n> calls of each read action per sliding second per SecretId
 *   --invalid-ids <a,b>   IDs Tencent rejects as malformed (InvalidParameter.InvalidCSRId)
 *   --max-log-entries <n> calls kept in the log (default 10000)
 *   --admin               serve the admin API under /_simulator/
 *
 * Once listening it prints one JSON line on stdout whose `url` is the bound address.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { serveAdmin } from './admin.js';
import { DEVELOPMENT_CREDENTIALS } from './embedded.js';
import { TencentSslSimulator } from './simulator.js';

const DEFAULT_SEED = { from: 1, to: 100_000 };
const DEFAULT_MAX_LOG_ENTRIES = 10_000;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) fail(`--${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return parsed;
}

function seedRange(value: string | undefined): { from: number; to: number } {
  if (value === undefined) return DEFAULT_SEED;
  const match = /^(\d+)-(\d+)$/.exec(value);
  const [from, to] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || from > to) fail(`--seed must be <from>-<to> with from ≤ to, got ${JSON.stringify(value)}`);
  return { from, to };
}

function idList(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return [];
  const ids = value.split(',').map((id) => Number(id.trim()));
  if (!ids.every(Number.isInteger)) fail(`--invalid-ids must be comma-separated integers, got ${JSON.stringify(value)}`);
  return ids;
}

let flags;
try {
  flags = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string' },
      'rate-limit': { type: 'string' },
      'read-rate-limit': { type: 'string' },
      'invalid-ids': { type: 'string' },
      'max-log-entries': { type: 'string' },
      admin: { type: 'boolean', default: false },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

const credentials = config.tencent.credentials ?? DEVELOPMENT_CREDENTIALS;
const development = credentials === DEVELOPMENT_CREDENTIALS;
const seed = seedRange(flags.seed);
const rateLimit = integer('rate-limit', flags['rate-limit'], 1) ?? config.rateLimit;
const readRateLimit = integer('read-rate-limit', flags['read-rate-limit'], 1) ?? config.readRateLimit;
const simulator: TencentSslSimulator = new TencentSslSimulator({
  accounts: {
    [credentials.secretId]: {
      secretKey: credentials.secretKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  },
  seed,
  rateLimit,
  readRateLimit,
  invalidIds: idList(flags['invalid-ids']),
  maxLogEntries: integer('max-log-entries', flags['max-log-entries'], 1) ?? DEFAULT_MAX_LOG_ENTRIES,
  ...(flags.admin ? { intercept: (req, res) => serveAdmin(simulator, req, res) } : {}),
});

const url = await simulator.listen(integer('port', flags.port, 0) ?? config.simulatorPort, flags.host);
console.log(
  JSON.stringify({
    msg:
      `Tencent SSL simulator listening on ${url} (SecretId ${credentials.secretId}, CSR IDs ${seed.from}-${seed.to})` +
      (development
        ? `; development credentials (public, for simulators only): TENCENTCLOUD_SECRET_ID=${credentials.secretId} ` +
          `TENCENTCLOUD_SECRET_KEY=${credentials.secretKey}; a gateway given TENCENTCLOUD_SSL_ENDPOINT=${url} without credentials uses them`
        : ''),
    url,
    secretId: credentials.secretId,
    // Only the published development key is ever printed; a key given in the environment never is.
    ...(development ? { secretKey: credentials.secretKey } : {}),
    seed,
    rateLimit,
    readRateLimit,
    admin: flags.admin,
  }),
);
const stop = (): void => {
  void simulator.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
