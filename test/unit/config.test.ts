/** docs/contract.md §2: every variable parsed in one place; a bad value stops start-up naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, productionProblems } from '../../src/config.js';

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('has the contract defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      rateLimit: 10,
      upstreamTimeoutMs: 10_000,
      mutationDeadlineMs: 30_000,
      maxIdsPerMutation: 10_000,
      logLevel: 'info',
      auth: { requiredScope: 'csr:delete', apiKeys: [] },
    });
    expect(config.tencent.endpoint.href).toBe('https://ssl.intl.tencentcloudapi.com/');
    expect(config.tencent.metadataEndpoint.href).toBe('http://metadata.tencentyun.com/latest/meta-data/');
    expect(config.production).toBe(false);
    expect(config.tencent.credentials).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
  });

  it.each([
    ['PORT', 'eighty'],
    ['TENCENTCLOUD_RATE_LIMIT', '0'],
    ['UPSTREAM_TIMEOUT_MS', '-5'],
    ['MUTATION_DEADLINE_MS', '1.5'],
    ['MAX_IDS_PER_MUTATION', 'lots'],
    ['TENCENTCLOUD_SSL_ENDPOINT', 'not a url'],
    ['TENCENTCLOUD_SSL_ENDPOINT', 'ftp://example.com'],
    ['AUTH_JWKS_URL', '::'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['LOG_LEVEL', 'loud'],
    ['AUTH_JWT_SECRET', 'short'],
    ['TENCENTCLOUD_METADATA_ENDPOINT', 'metadata.tencentyun.com'],
    ['NODE_ENV', 'prod'],
  ])('a bad %s (%s) stops start-up naming the variable', (name, value) => {
    expect(problemsOf({ [name]: value })).toContain(name);
  });

  it('accepts an http endpoint on loopback for simulators, and reads the credentials', () => {
    const config = loadConfig({
      TENCENTCLOUD_SSL_ENDPOINT: 'http://127.0.0.1:4010',
      TENCENTCLOUD_SECRET_ID: 'AKID1',
      TENCENTCLOUD_SECRET_KEY: 'key',
      TENCENTCLOUD_SESSION_TOKEN: 'token',
      AUTH_API_KEYS: ' a, b ,,',
    });
    expect(config.tencent.endpoint.origin).toBe('http://127.0.0.1:4010');
    expect(config.tencent.credentials).toEqual({ secretId: 'AKID1', secretKey: 'key', sessionToken: 'token' });
    expect(config.auth.apiKeys).toEqual(['a', 'b']);
  });

  it('takes DATABASE_URL, or AUDIT_DATABASE_URL as its older name, for jobs and the audit trail alike', () => {
    const url = 'postgres://gateway@db.internal:5432/gateway';
    for (const name of ['DATABASE_URL', 'AUDIT_DATABASE_URL']) {
      const config = loadConfig({ [name]: url });
      expect(config.jobs.databaseUrl).toBe(url);
      expect(config.audit.databaseUrl).toBe(url);
    }
    expect(loadConfig({ DATABASE_URL: url, AUDIT_DATABASE_URL: url }).jobs.databaseUrl).toBe(url);
    expect(problemsOf({ DATABASE_URL: url, AUDIT_DATABASE_URL: `${url}2` })).toMatch(/DATABASE_URL and AUDIT_DATABASE_URL/);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toContain('DATABASE_URL');
    expect(loadConfig({}).jobs).toEqual({ dataDir: 'data/jobs', maxIdsPerJob: 1_000_000, leaseMs: 5_000, concurrency: 2 });
  });

  it('wants the SecretId and SecretKey together', () => {
    expect(problemsOf({ TENCENTCLOUD_SECRET_ID: 'AKID1' })).toMatch(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
  });

  it('wants MAX_PENDING_IDS to hold at least one largest mutation', () => {
    expect(problemsOf({ MAX_PENDING_IDS: '100', MAX_IDS_PER_MUTATION: '1000' })).toContain('MAX_PENDING_IDS');
  });

  it('knows three environments, and turns a typo into one line that says what to set', () => {
    for (const env of ['production', 'development', 'test']) expect(loadConfig({ NODE_ENV: env }).production).toBe(env === 'production');
    expect(loadConfig({ NODE_ENV: '' }).production).toBe(false);
    for (const typo of ['prod', 'Production', 'staging']) {
      const message = problemsOf({ NODE_ENV: typo });
      expect(message).toBe(
        `NODE_ENV: ${JSON.stringify(typo)} is not a known environment: set NODE_ENV=production (real Tencent credentials and ` +
          'caller authentication required), development or test',
      );
    }
  });

  it('takes the metadata service’s base URL, with or without its last slash', () => {
    const at = (value: string): string => loadConfig({ TENCENTCLOUD_METADATA_ENDPOINT: value }).tencent.metadataEndpoint.href;
    expect(at('http://127.0.0.1:8181/latest/meta-data/')).toBe('http://127.0.0.1:8181/latest/meta-data/');
    expect(at('http://127.0.0.1:8181/latest/meta-data')).toBe('http://127.0.0.1:8181/latest/meta-data/');
  });

  it('puts each problem on a line of its own, naming its variable', () => {
    const lines = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud' }).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^PORT: /);
    expect(lines[1]).toMatch(/^LOG_LEVEL: /);
  });

  it('in production, wants an https JWKS', () => {
    const production = { NODE_ENV: 'production' };
    expect(problemsOf({ ...production, AUTH_JWKS_URL: 'http://idp.example/jwks.json' })).toContain('AUTH_JWKS_URL');
    expect(loadConfig({ ...production, AUTH_JWKS_URL: 'https://idp.example/jwks.json' }).production).toBe(true);
  });

  it('in production, wants credentials from some source, naming the sources tried, and caller auth', () => {
    const tried = ['environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set', 'profile file: none exists'];
    const [credentials, auth] = productionProblems(loadConfig({ NODE_ENV: 'production' }), { found: false, tried });
    expect(credentials).toContain(tried.join('; '));
    expect(credentials).toMatch(/^NODE_ENV=production requires Tencent Cloud credentials/);
    for (const name of ['AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) expect(auth).toContain(name);

    const ready = loadConfig({ NODE_ENV: 'production', AUTH_API_KEYS: 'key-0123456789abcdef' });
    expect(productionProblems(ready, { found: true, tried: [] })).toEqual([]);
    // Outside production, nothing is required: the simulator and auth off are announced instead.
    expect(productionProblems(loadConfig({ NODE_ENV: 'development' }), { found: false, tried })).toEqual([]);
  });
});
