/**
 * The only reader of `process.env`: every variable of docs/contract.md §2, parsed and validated once, at
 * start-up, into one typed object. A bad value stops start-up with a message that names the variable,
 * so an operator never has to guess which of twenty settings is wrong.
 *
 * What production requires to be present (Tencent credentials, caller authentication) is checked by
 * `productionProblems` once the credentials have been looked for: they may come from a profile file or
 * the instance's role, not only from these variables.
 */
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();
/** A whole number of at least 1, saying so (with an example) instead of zod's raw text. */
const atLeastOne = (example: string) =>
  z.coerce.number({ error: `must be a whole number of at least 1, e.g. ${example}` }).int(`must be a whole number of at least 1, e.g. ${example}`).min(1, `must be a whole number of at least 1, e.g. ${example}`);
const portNumber = z.coerce
  .number({ error: 'must be a port number from 0 to 65535 (0: any free port), e.g. 4000' })
  .int('must be a port number from 0 to 65535 (0: any free port), e.g. 4000')
  .min(0, 'must be a port number from 0 to 65535 (0: any free port), e.g. 4000')
  .max(65535, 'must be a port number from 0 to 65535 (0: any free port), e.g. 4000');
/**
 * A URL of one of `schemes` that parses, port included. The message never quotes the value: a URL may
 * carry a password (`postgres://user:secret@…`), and start-up errors are printed.
 */
const urlOf = (schemes: readonly string[], example: string) =>
  z
    .string()
    .trim()
    .refine(
      (value) => URL.canParse(value) && schemes.includes(new URL(value).protocol),
      `must be a ${schemes.map((scheme) => `${scheme}//`).join(' or ')} URL that parses, e.g. ${example} ` +
        '(percent-encode reserved characters such as / @ : in the user name and password; the port is 1-65535)',
    );
const optionalUrl = (schemes: readonly string[], example: string) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), urlOf(schemes, example).optional());
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value), 'must be an absolute URL')
  .transform((value) => new URL(value))
  .refine((url) => url.protocol === 'https:' || url.protocol === 'http:', 'must be an http(s) URL');

/** Tencent's instance metadata service, as its SDKs address it (role credentials come from there). */
export const DEFAULT_METADATA_ENDPOINT = 'http://metadata.tencentyun.com/latest/meta-data/';

/** The environments the gateway knows; anything else is a typo that must not start in simulator mode with auth off. */
export const NODE_ENVS = ['production', 'development', 'test'] as const;

/** The most IDs one mutation may carry: the body limit is 32 bytes an ID, so this keeps it to 32 MiB. */
export const MAX_IDS_PER_MUTATION_CEILING = 1_000_000;

/** The shortest API key production accepts: a shorter one can be guessed. */
export const MIN_API_KEY_LENGTH = 16;

const postgresUrl = optionalUrl(['postgres:', 'postgresql:'], 'postgres://gateway:pass%2Fword@db.internal:5432/gateway');
const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');
const NAME = /^[\w.-]+$/;

/** `name:key`, or a bare `key` (named later by its position). */
function namedApiKey(entry: string, index: number): { name: string; key: string } {
  const colon = entry.indexOf(':');
  if (colon < 0) return { name: `api-key-${index + 1}`, key: entry };
  return { name: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() };
}

/** `name=scope scope…`, or undefined when malformed. */
function keyScopes(entry: string): { name: string; scopes: string[] } | undefined {
  const equals = entry.indexOf('=');
  const name = entry.slice(0, equals).trim();
  const scopes = entry.slice(equals + 1).split(' ').filter(Boolean);
  return equals > 0 && NAME.test(name) && scopes.length > 0 ? { name, scopes } : undefined;
}

/** Whether a host name is this machine's loopback (a simulator's endpoint, a local-only bind). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** `scheme://host[:port]` and nothing else, as a browser sends it in `Origin`. */
function isOrigin(value: string): boolean {
  return URL.canParse(value) && new URL(value).origin === value;
}

const envSchema = z.object({
  // Empty counts as unset, as for the other variables.
  NODE_ENV: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .enum(NODE_ENVS, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a known environment: set NODE_ENV=production (real Tencent credentials and ` +
          'caller authentication required), development or test',
      })
      .default('development'),
  ),
  PORT: portNumber.default(4000),
  // Unset: all interfaces in production (a container's), loopback only elsewhere (Apollo Router's default).
  HOST: optionalText,
  TENCENTCLOUD_SECRET_ID: optionalText,
  TENCENTCLOUD_SECRET_KEY: optionalText,
  TENCENTCLOUD_SESSION_TOKEN: optionalText,
  TENCENTCLOUD_REGION: optionalText,
  TENCENTCLOUD_SSL_ENDPOINT: httpUrl.default(new URL('https://ssl.intl.tencentcloudapi.com')),
  // A base URL: the paths below it are resolved against it, so it must end with a slash.
  TENCENTCLOUD_METADATA_ENDPOINT: httpUrl
    .default(new URL(DEFAULT_METADATA_ENDPOINT))
    .transform((url) => (url.pathname.endsWith('/') ? url : new URL(`${url.href}/`))),
  TENCENTCLOUD_RATE_LIMIT: atLeastOne(
    "10 (Tencent's limit for BatchDeleteCSR, calls a second per account; set it lower to leave room for other clients of the account)",
  ).default(10),
  // Extension: DescribeCSRSet's and DescribeCSR's limits, each action its own budget (docs/contract.md §5).
  TENCENTCLOUD_READ_RATE_LIMIT: atLeastOne(
    "10 (Tencent's limit for each of DescribeCSRSet and DescribeCSR, calls a second per account; each action has a budget of its own)",
  ).default(10),
  TENCENTCLOUD_RATE_LIMIT_MARGIN_MS: z.coerce.number().int().min(0).max(500).default(20),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'redis://redis.internal:6379'),
  REDIS_WAIT_MS: positiveInt.default(2_000),
  UPSTREAM_TIMEOUT_MS: positiveInt.default(10_000),
  MUTATION_DEADLINE_MS: positiveInt.default(30_000),
  // The body limit grows with it (32 bytes an ID): past a million IDs it would reach gigabytes.
  MAX_IDS_PER_MUTATION: atLeastOne('10000')
    .max(MAX_IDS_PER_MUTATION_CEILING, `must be at most ${MAX_IDS_PER_MUTATION_CEILING} (the request body limit grows 32 bytes an ID): larger deletions take several mutations`)
    .default(10_000),
  MAX_PENDING_IDS: positiveInt.default(200_000),
  // RFC 7518 §3.2: an HS256 key must be at least as long as the hash, 256 bits.
  AUTH_JWT_SECRET: optionalText.refine(
    (value) => value === undefined || Buffer.byteLength(value) >= 32,
    'must be at least 32 bytes (HS256 needs a 256-bit key)',
  ),
  AUTH_JWKS_URL: httpUrl.optional(),
  AUTH_JWT_ISSUER: optionalText,
  AUTH_JWT_AUDIENCE: optionalText,
  AUTH_REQUIRED_SCOPE: z.string().trim().min(1).default('csr:delete'),
  AUTH_API_KEYS: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).map(namedApiKey))
    .refine((keys) => keys.every((key) => key.key !== '' && NAME.test(key.name)), 'each entry is `key` or `name:key`, names of letters, digits, `.`, `_`, `-`')
    .refine((keys) => new Set(keys.map((key) => key.name)).size === keys.length, 'names must differ')
    // Two names for one key: which of them did a call? The audit trail could not say.
    .refine((keys) => new Set(keys.map((key) => key.key)).size === keys.length, 'the same key appears under two names: give each caller a key of its own'),
  // Extension: `name=scope scope,…`: what the named API keys may do; a key not listed may do everything.
  AUTH_API_KEY_SCOPES: z
    .string()
    .optional()
    .transform((value) => (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).map(keyScopes))
    .refine(
      (entries) => entries.every((entry) => entry !== undefined),
      'each entry is `name=scope scope…` (an AUTH_API_KEYS name, then its space-separated scopes), entries comma-separated',
    ),
  // The HTTP edge's browser and document settings (docs/contract.md §2).
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.split(',').map((origin) => origin.trim()).filter(Boolean)))
    .refine((origins) => origins === undefined || origins.every((origin) => origin === '*' || isOrigin(origin)), 'must be origins such as https://app.example.com, comma-separated'),
  CORS_CREDENTIALS: flag,
  PERSISTED_DOCUMENTS: optionalText,
  PERSISTED_DOCUMENTS_ONLY: flag,
  // PostgreSQL for deletion jobs and the audit trail (src/jobs/, src/audit/); AUDIT_DATABASE_URL is its older name.
  DATABASE_URL: postgresUrl,
  AUDIT_DATABASE_URL: postgresUrl,
  AUDIT_DATA_DIR: z.string().trim().min(1).default('data/audit'),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(365),
  // Deletion jobs (src/jobs/): the embedded database's directory without DATABASE_URL, and their limits.
  JOBS_DATA_DIR: z.string().trim().min(1).default('data/jobs'),
  MAX_IDS_PER_JOB: positiveInt.default(1_000_000),
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(5_000),
  JOB_CONCURRENCY: positiveInt.default(2),
  JOB_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  // How long a deletion plan (planCSRDeletion) may start a job: 1 s to a day.
  PLAN_TTL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(900_000),
  // OpenTelemetry reads its own OTEL_* variables; these few only decide whether tracing starts at all.
  OTEL_SDK_DISABLED: optionalText,
  OTEL_TRACES_EXPORTER: optionalText,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalText,
  // Operators' endpoints on a listener of their own, and GraphiQL's switch (docs/contract.md §2, §3).
  METRICS_PORT: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number().int().min(0).max(65535).optional(),
  ),
  GRAPHIQL: z.enum(['true', 'false']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
});

/**
 * Each variable this module reads, by name, with the parser that gives its value (and its default,
 * when the variable is unset). docs/contract.md §2 is its table for people; a test
 * (test/unit/docs/contract-config.test.ts) holds the two to the same names and defaults. Read it, never
 * parse process.env with it elsewhere: `loadConfig` stays the one reader of the environment.
 */
export const ENVIRONMENT_VARIABLES: Readonly<typeof envSchema.shape> = envSchema.shape;

export interface TencentCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly sessionToken?: string;
}

export interface Config {
  readonly production: boolean;
  readonly port: number;
  readonly host: string;
  readonly tencent: {
    /** From the environment, the first source of credentials; main.ts looks at the others when absent. */
    readonly credentials?: TencentCredentials;
    readonly region?: string;
    readonly endpoint: URL;
    /** Whether `TENCENTCLOUD_SSL_ENDPOINT` was set (not the default): see `withoutCredentials`. */
    readonly endpointSet: boolean;
    /** The instance metadata service's base URL, for role credentials. */
    readonly metadataEndpoint: URL;
  };
  readonly rateLimit: number;
  /** Each read action's own calls a second (`DescribeCSRSet`, `DescribeCSR`): `TENCENTCLOUD_READ_RATE_LIMIT`. */
  readonly readRateLimit: number;
  /** How much network delays may differ before Tencent could count one call too many (engine/limiter.ts). */
  readonly rateLimitMarginMs: number;
  readonly redisUrl?: string;
  /** How long a mutation waits for an unreachable Redis before its unsent IDs fail (`Gateway.LimiterUnavailable`). */
  readonly redisWaitMs: number;
  readonly upstreamTimeoutMs: number;
  readonly mutationDeadlineMs: number;
  readonly maxIdsPerMutation: number;
  /** Extension of docs/contract.md §2: the bound on IDs waiting in the engine, past which new work is shed. */
  readonly maxPendingIds: number;
  readonly auth: {
    readonly jwtSecret?: string;
    readonly jwksUrl?: URL;
    readonly issuer?: string;
    readonly audience?: string;
    readonly requiredScope: string;
    readonly apiKeys: readonly string[];
    /** Each key's name, by position: the `name` of a `name:key` entry, else `api-key-<n>` (n from 1). */
    readonly apiKeyNames: readonly string[];
    /** Each key's scopes, by position (`AUTH_API_KEY_SCOPES`); undefined: every scope the gateway knows. */
    readonly apiKeyScopes?: readonly (readonly string[] | undefined)[];
  };
  readonly cors: {
    /** Undefined: localhost origins only outside production, no cross-origin access in production. */
    readonly origins?: readonly string[];
    readonly credentials: boolean;
  };
  readonly persistedDocuments: {
    /** The manifest codegen writes (`persisted-documents.json`: sha256 hex → document). */
    readonly path?: string;
    /** Refuse every document that is not in the manifest. */
    readonly only: boolean;
  };
  readonly jobs: {
    /** `DATABASE_URL` (or its older name `AUDIT_DATABASE_URL`): jobs shared by every replica. */
    readonly databaseUrl?: string;
    /** Without a database URL: the embedded database's directory (PGlite, src/jobs/sql.ts). */
    readonly dataDir: string;
    readonly maxIdsPerJob: number;
    /** How long a replica holds a job without renewing; another takes it over once this has passed. */
    readonly leaseMs: number;
    /** Jobs one replica runs at once. */
    readonly concurrency: number;
    /** How long a deletion plan may start a job after it was made. */
    readonly planTtlMs: number;
    /** Finished jobs older than this are deleted with their items; 0 keeps them for ever. */
    readonly retentionDays: number;
  };
  readonly audit: {
    /** PostgreSQL for the audit trail (`DATABASE_URL`, or `AUDIT_DATABASE_URL`); without it, the embedded journal in `dataDir`. */
    readonly databaseUrl?: string;
    readonly dataDir: string;
    /** Records older than this many days are deleted; 0 keeps them for ever. */
    readonly retentionDays: number;
  };
  /**
   * Whether OpenTelemetry tracing starts: an exporter or an OTLP endpoint is set and the SDK is not
   * disabled. Everything else about it (protocol, endpoint, service name, sampler, propagators) the
   * SDK reads from its own `OTEL_*` variables.
   */
  readonly tracing: { readonly enabled: boolean };
  /**
   * Where `/metrics` (and a copy of the probes) is served on a listener of its own; unset, `/metrics`
   * is served on the public port as before. 0 picks a free port.
   */
  readonly metricsPort?: number;
  /** Whether a browser GET of /graphql opens GraphiQL: `GRAPHIQL`, by default off in production, on outside it. */
  readonly graphiql: boolean;
  readonly logLevel: string;
  /** Extension: where `npm run simulator` listens. */
  readonly simulatorPort: number;
}

/** One problem a line, each naming its variable and what to do. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** Whether any way for callers to authenticate is configured. */
export function authConfigured(auth: Config['auth']): boolean {
  return Boolean(auth.jwtSecret || auth.jwksUrl || auth.apiKeys.length > 0);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];

  if (Boolean(e.TENCENTCLOUD_SECRET_ID) !== Boolean(e.TENCENTCLOUD_SECRET_KEY)) {
    problems.push('TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY must be set together');
  }
  const scopesByName = new Map(e.AUTH_API_KEY_SCOPES.flatMap((entry) => (entry ? [[entry.name, entry.scopes] as const] : [])));
  for (const name of scopesByName.keys()) {
    if (!e.AUTH_API_KEYS.some((key) => key.name === name)) {
      problems.push(`AUTH_API_KEY_SCOPES: "${name}" is not the name of an AUTH_API_KEYS entry (\`name:key\`)`);
    }
  }
  const auth = {
    jwtSecret: e.AUTH_JWT_SECRET,
    jwksUrl: e.AUTH_JWKS_URL,
    issuer: e.AUTH_JWT_ISSUER,
    audience: e.AUTH_JWT_AUDIENCE,
    requiredScope: e.AUTH_REQUIRED_SCOPE,
    apiKeys: e.AUTH_API_KEYS.map((entry) => entry.key),
    apiKeyNames: e.AUTH_API_KEYS.map((entry) => entry.name),
    apiKeyScopes: e.AUTH_API_KEYS.map((entry) => scopesByName.get(entry.name)),
  };
  if (production) {
    const short = e.AUTH_API_KEYS.filter((entry) => entry.key.length < MIN_API_KEY_LENGTH).map((entry) => entry.name);
    if (short.length > 0) {
      problems.push(
        `AUTH_API_KEYS: the keys named ${short.join(', ')} are shorter than ${MIN_API_KEY_LENGTH} characters, which production ` +
          'refuses (they can be guessed): use random keys, e.g. `openssl rand -hex 32`',
      );
    }
    const endpoint = e.TENCENTCLOUD_SSL_ENDPOINT;
    if (endpoint.protocol === 'http:' && !isLoopbackHost(endpoint.hostname)) {
      problems.push(
        'TENCENTCLOUD_SSL_ENDPOINT is plaintext http:// on a host that is not this machine, which production refuses ' +
          '(signed requests and their answers would cross the network readable): use https://',
      );
    }
  }
  if (e.PERSISTED_DOCUMENTS_ONLY && !e.PERSISTED_DOCUMENTS) {
    problems.push('PERSISTED_DOCUMENTS_ONLY=true needs PERSISTED_DOCUMENTS, the manifest of the documents to accept');
  }
  if (e.MAX_PENDING_IDS < e.MAX_IDS_PER_MUTATION) {
    problems.push('MAX_PENDING_IDS must be at least MAX_IDS_PER_MUTATION, or the largest mutations could never be accepted');
  }
  if (production && e.AUTH_JWKS_URL && e.AUTH_JWKS_URL.protocol !== 'https:') {
    problems.push('AUTH_JWKS_URL must be an https:// URL in production: the keys that admit callers must not be forgeable in transit');
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push('METRICS_PORT must differ from PORT: metrics get a listener of their own (unset METRICS_PORT to serve them on PORT)');
  }
  if (e.DATABASE_URL && e.AUDIT_DATABASE_URL && e.DATABASE_URL !== e.AUDIT_DATABASE_URL) {
    problems.push('DATABASE_URL and AUDIT_DATABASE_URL (its older name) name different databases: set DATABASE_URL only');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const databaseUrl = e.DATABASE_URL ?? e.AUDIT_DATABASE_URL;

  const credentials =
    e.TENCENTCLOUD_SECRET_ID && e.TENCENTCLOUD_SECRET_KEY
      ? {
          secretId: e.TENCENTCLOUD_SECRET_ID,
          secretKey: e.TENCENTCLOUD_SECRET_KEY,
          ...(e.TENCENTCLOUD_SESSION_TOKEN ? { sessionToken: e.TENCENTCLOUD_SESSION_TOKEN } : {}),
        }
      : undefined;

  return {
    production,
    port: e.PORT,
    host: e.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    tencent: {
      credentials,
      region: e.TENCENTCLOUD_REGION,
      endpoint: e.TENCENTCLOUD_SSL_ENDPOINT,
      endpointSet: Boolean(env['TENCENTCLOUD_SSL_ENDPOINT']?.trim()),
      metadataEndpoint: e.TENCENTCLOUD_METADATA_ENDPOINT,
    },
    rateLimit: e.TENCENTCLOUD_RATE_LIMIT,
    readRateLimit: e.TENCENTCLOUD_READ_RATE_LIMIT,
    rateLimitMarginMs: e.TENCENTCLOUD_RATE_LIMIT_MARGIN_MS,
    redisUrl: e.REDIS_URL,
    redisWaitMs: e.REDIS_WAIT_MS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    mutationDeadlineMs: e.MUTATION_DEADLINE_MS,
    maxIdsPerMutation: e.MAX_IDS_PER_MUTATION,
    maxPendingIds: e.MAX_PENDING_IDS,
    auth,
    cors: { ...(e.CORS_ORIGINS ? { origins: e.CORS_ORIGINS } : {}), credentials: e.CORS_CREDENTIALS },
    persistedDocuments: { ...(e.PERSISTED_DOCUMENTS ? { path: e.PERSISTED_DOCUMENTS } : {}), only: e.PERSISTED_DOCUMENTS_ONLY },
    jobs: {
      ...(databaseUrl ? { databaseUrl } : {}),
      dataDir: e.JOBS_DATA_DIR,
      maxIdsPerJob: e.MAX_IDS_PER_JOB,
      leaseMs: e.JOB_LEASE_MS,
      concurrency: e.JOB_CONCURRENCY,
      planTtlMs: e.PLAN_TTL_MS,
      retentionDays: e.JOB_RETENTION_DAYS,
    },
    audit: { databaseUrl, dataDir: e.AUDIT_DATA_DIR, retentionDays: e.AUDIT_RETENTION_DAYS },
    tracing: { enabled: tracingEnabled(e) },
    ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
    graphiql: e.GRAPHIQL === undefined ? !production : e.GRAPHIQL === 'true',
    logLevel: e.LOG_LEVEL,
    simulatorPort: e.SIMULATOR_PORT,
  };
}

/** OpenTelemetry's own rule for "off": `OTEL_SDK_DISABLED=true`, or no exporter but `none` and no endpoint. */
function tracingEnabled(e: z.infer<typeof envSchema>): boolean {
  if (e.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  const exporters = (e.OTEL_TRACES_EXPORTER ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (exporters.length > 0) return !exporters.every((name) => name === 'none');
  return Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * What production requires besides valid values: Tencent credentials from some source (`tried` says
 * which sources were looked at, and what each gave), and a way to authenticate callers. Empty outside
 * production, where the gateway runs against its simulator and with auth off, and says so.
 */
export function productionProblems(config: Config, credentials: { found: boolean; tried: readonly string[] }): string[] {
  if (!config.production) return [];
  const problems: string[] = [];
  if (!credentials.found) {
    problems.push(
      `NODE_ENV=production requires Tencent Cloud credentials, and no source had them (${credentials.tried.join('; ')}): ` +
        'set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, write a profile file, or bind a CAM role to the instance',
    );
  }
  const authProblem = productionAuthProblem(config);
  if (authProblem) problems.push(authProblem);
  return problems;
}

/**
 * Auth off may only ever serve a simulator: the built-in one (no credentials found), or one on this
 * machine (a plaintext loopback `TENCENTCLOUD_SSL_ENDPOINT`). Credentials found anywhere else — the
 * environment, a profile file a developer's CLI left in their home, an instance role — sign real
 * deletions, and then callers must authenticate, whatever NODE_ENV says. `source` is where the
 * credentials came from, undefined when none were found.
 */
export function unauthenticatedCredentialsProblem(config: Config, source: string | undefined): string | undefined {
  // Production refuses to start without caller auth anyway (productionProblems), in its own words.
  if (source === undefined || config.production || authConfigured(config.auth)) return undefined;
  const endpoint = config.tencent.endpoint;
  if (endpoint.protocol === 'http:' && isLoopbackHost(endpoint.hostname)) return undefined;
  return (
    `Tencent Cloud credentials were found (${source}) but no caller authentication is configured, so anyone who reaches the ` +
    'gateway could delete real CSRs: set AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS, or run without credentials to use the built-in simulator'
  );
}

/** Production's rule for callers, alone: what the gateway says when it would expose deletion to anyone. */
export function productionAuthProblem(config: Pick<Config, 'production' | 'auth'>): string | undefined {
  if (!config.production || authConfigured(config.auth)) return undefined;
  return 'NODE_ENV=production requires caller authentication: set AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS';
}

/** What `npm start` does when no source has Tencent credentials, outside production (docs/contract.md §2). */
export type WithoutCredentials =
  /** No endpoint given: start the embedded simulator, with a throwaway account, and talk to it. */
  | { readonly kind: 'embedded-simulator' }
  /** An endpoint given (`npm run simulator`, compose's simulator): sign with the simulator's public development credentials. */
  | { readonly kind: 'development-credentials'; readonly endpoint: URL }
  /** Tencent's own API without credentials could only fail every call: refuse to start, saying so. */
  | { readonly kind: 'refuse'; readonly problem: string };

/** Tencent Cloud's own API hosts, which never accept the simulator's development credentials. */
const TENCENT_API_HOST = /(^|\.)tencentcloudapi\.com$/i;

export function withoutCredentials(tencent: Pick<Config['tencent'], 'endpoint' | 'endpointSet'>): WithoutCredentials {
  if (!tencent.endpointSet) return { kind: 'embedded-simulator' };
  if (TENCENT_API_HOST.test(tencent.endpoint.hostname)) {
    return {
      kind: 'refuse',
      problem:
        `TENCENTCLOUD_SSL_ENDPOINT is Tencent Cloud's own API (${tencent.endpoint.host}) but no source has credentials: ` +
        'set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (or a profile file, or an instance role), or unset TENCENTCLOUD_SSL_ENDPOINT to use the built-in simulator',
    };
  }
  return { kind: 'development-credentials', endpoint: tencent.endpoint };
}
