/**
 * Structured JSON logs (pino). Secrets never reach a log line, by two independent means:
 *
 *   1. Paths that could carry them (keys, tokens, Authorization headers) are redacted, once, here,
 *      rather than trusted to every call site.
 *   2. Every line is scrubbed on its way out of the configured secret values (SecretKey, session
 *      token, JWT secret, API keys) and of anything shaped like a JWT, wherever in the line they
 *      ended up — an error message, a URL, a field nobody thought of.
 */
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config, TencentCredentials } from './config.js';

export type { Logger };

export const REDACTED_PATHS = [
  'secretKey',
  '*.secretKey',
  'sessionToken',
  '*.sessionToken',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-tc-token"]',
  'headers.authorization',
  'headers["x-tc-token"]',
  '*.headers.authorization',
  '*.headers["x-tc-token"]',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'apiKey',
  '*.apiKey',
  'apiKeys',
  '*.apiKeys',
  'jwtSecret',
  '*.jwtSecret',
];

const CENSOR = '[redacted]';
/** Three base64url segments, the first starting like `{"` does: a JWS compact token (signed or `alg: none`). */
const JWT_SHAPE = /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;
/** Shorter values are not scrubbed from text: "dev" would be cut out of "development". */
const MIN_SCRUBBED_LENGTH = 8;

type Secrets = readonly (string | undefined)[];

export interface LoggerOptions {
  /**
   * Values to cut out of every line wherever they appear (see `secretsOf`). A function for values
   * that change while the process runs (a role's temporary credentials): it is asked at every line,
   * and the values are prepared again whenever it returns another array.
   */
  readonly secrets?: Secrets | (() => Secrets);
  /**
   * Human-readable lines (pino-pretty) instead of JSON: `prettyLogs` decides, for a terminal outside
   * production. The lines are scrubbed before they are made pretty, as JSON ones are.
   */
  readonly pretty?: boolean;
}

/** Pretty lines for a person at a terminal; JSON for everything that reads logs (a collector, a file, a pipe), and always in production. */
export function prettyLogs(where: { readonly isTTY: boolean | undefined; readonly production: boolean }): boolean {
  return Boolean(where.isTTY) && !where.production;
}

export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  const scrub = scrubber(options.secrets ?? []);
  return pino(
    {
      level,
      base: { service: 'tencent-ssl-gateway' },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: scrub },
    },
    options.pretty && level !== 'silent' ? prettyLines(destination) : (destination ?? (level === 'silent' ? undefined : bufferedStdout())),
  );
}

let stdout: pino.DestinationStream | undefined;

/**
 * The process's stdout, asynchronous and buffered (sonic-boom): lines go out 4 KiB at a time, or
 * after at most 100 ms, rather than a write each (a line per request, under load, was a write per
 * request); pino flushes what is left when the process exits. One for every logger, so that their
 * lines keep their order. (A silent logger writes nothing and needs none, nor its timer.)
 */
function bufferedStdout(): pino.DestinationStream {
  stdout ??= pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 100 });
  return stdout;
}

/**
 * pino-pretty in this thread (not a transport's worker), onto `destination` or stdout: lines keep
 * their order with the process's other output, and reach it already scrubbed (pino's `streamWrite`
 * hook runs before the stream sees a line).
 */
function prettyLines(destination?: pino.DestinationStream): pino.DestinationStream {
  return pinoPretty({
    destination: destination ?? 1,
    sync: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
  });
}

/** The secret values a configuration holds, for `LoggerOptions.secrets`. */
export function secretsOf(config: Config, credentials?: TencentCredentials): string[] {
  const tencent = credentials ?? config.tencent.credentials;
  // The audit database's password, if its URL carries one.
  const auditPassword = config.audit.databaseUrl ? decodeURIComponent(new URL(config.audit.databaseUrl).password) : undefined;
  return [tencent?.secretKey, tencent?.sessionToken, config.auth.jwtSecret, ...config.auth.apiKeys, auditPassword].filter(
    (value): value is string => Boolean(value),
  );
}

function scrubber(secrets: Secrets | (() => Secrets)): (line: string) => string {
  const current = typeof secrets === 'function' ? secrets : () => secrets;
  let prepared: Secrets | undefined;
  let needles: string[] = [];
  return (line) => {
    const values = current();
    if (values !== prepared) {
      prepared = values;
      needles = needlesOf(values);
    }
    let scrubbed = line.replace(JWT_SHAPE, CENSOR);
    for (const needle of needles) scrubbed = scrubbed.replaceAll(needle, CENSOR);
    return scrubbed;
  };
}

/** Each secret as it appears inside a JSON string (escaped), longest first so that no secret that contains another is only half cut. */
function needlesOf(secrets: Secrets): string[] {
  return [
    ...new Set(
      secrets
        .filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SCRUBBED_LENGTH)
        .map((secret) => JSON.stringify(secret).slice(1, -1)),
    ),
  ].sort((a, b) => b.length - a.length);
}
