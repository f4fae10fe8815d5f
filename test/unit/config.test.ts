/** docs/contract.md §2: every variable parsed in one place; a bad value stops start-up naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, productionProblems, unauthenticatedCredentialsProblem } from '../../src/config.js';

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
      host: '127.0.0.1',
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

  it('binds loopback outside production and every interface in production, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it.each([
    ['AUDIT_DATABASE_URL', 'postgres://gateway:pa/ss-secret-word@db.internal:5432/audit'],
    ['AUDIT_DATABASE_URL', 'postgres://gateway:secret-word@db.internal:99999/audit'],
    ['AUDIT_DATABASE_URL', 'mysql://gateway:secret-word@db.internal/audit'],
    ['REDIS_URL', 'redis://:secret-word@redis.internal:99999'],
    ['REDIS_URL', 'redis://user:sec/ret-word@redis.internal:6379'],
    ['TENCENTCLOUD_SSL_ENDPOINT', 'https://user:secret-word@ssl.example.com:99999'],
    ['AUTH_JWKS_URL', 'https://user:secret-word@id.example.com:70000/jwks'],
    ['TENCENTCLOUD_METADATA_ENDPOINT', 'http://user:secret-word@[::1'],
  ])('a malformed URL in %s is one line naming the variable, never its credentials', (name, value) => {
    const message = problemsOf({ [name]: value });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(new RegExp(`^${name}: `));
    expect(message).not.toContain('secret');
    expect(message).not.toContain(value);
  });

  it('says what to do with PORT, TENCENTCLOUD_RATE_LIMIT and MAX_IDS_PER_MUTATION', () => {
    expect(problemsOf({ PORT: 'abc' })).toBe('PORT: must be a port number from 0 to 65535 (0: any free port), e.g. 4000');
    expect(problemsOf({ PORT: '70000' })).toContain('PORT: must be a port number from 0 to 65535');
    expect(problemsOf({ TENCENTCLOUD_RATE_LIMIT: '0' })).toMatch(/^TENCENTCLOUD_RATE_LIMIT: must be a whole number of at least 1, e\.g\. 10 \(Tencent's limit/);
    expect(problemsOf({ MAX_IDS_PER_MUTATION: '100000000', MAX_PENDING_IDS: '100000000' })).toMatch(
      /^MAX_IDS_PER_MUTATION: must be at most 1000000 \(the request body limit grows 32 bytes an ID\)/,
    );
  });

  describe('production configurations that must not start', () => {
    const PRODUCTION = { NODE_ENV: 'production', AUTH_API_KEYS: 'ops:0123456789abcdef0123' };
    it('an API key shorter than 16 characters, named, not quoted', () => {
      const message = problemsOf({ ...PRODUCTION, AUTH_API_KEYS: 'ops:0123456789abcdef0123,ci:short-key' });
      expect(message).toContain('AUTH_API_KEYS: the keys named ci are shorter than 16 characters');
      expect(message).not.toContain('short-key');
      // Outside production a short key is a developer's, and allowed.
      expect(loadConfig({ AUTH_API_KEYS: 'dev:short' }).auth.apiKeys).toEqual(['short']);
    });
    it('one key under two names, anywhere', () => {
      expect(problemsOf({ AUTH_API_KEYS: 'a:0123456789abcdef0123,b:0123456789abcdef0123' })).toContain(
        'AUTH_API_KEYS: the same key appears under two names',
      );
    });
    it('a plaintext Tencent endpoint on a host that is not this machine', () => {
      expect(problemsOf({ ...PRODUCTION, TENCENTCLOUD_SSL_ENDPOINT: 'http://ssl.example.com' })).toContain(
        'TENCENTCLOUD_SSL_ENDPOINT is plaintext http:// on a host that is not this machine',
      );
      for (const local of ['http://127.0.0.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
        expect(loadConfig({ ...PRODUCTION, TENCENTCLOUD_SSL_ENDPOINT: local }).tencent.endpoint.protocol).toBe('http:');
      }
    });
  });

  it('gives API keys the scopes AUTH_API_KEY_SCOPES names, and every scope to keys it does not name', () => {
    const config = loadConfig({ AUTH_API_KEYS: 'auditor:k1,ops:k2,k3', AUTH_API_KEY_SCOPES: 'auditor=csr:audit, ops=csr:delete csr:audit' });
    expect(config.auth.apiKeyNames).toEqual(['auditor', 'ops', 'api-key-3']);
    expect(config.auth.apiKeyScopes).toEqual([['csr:audit'], ['csr:delete', 'csr:audit'], undefined]);
    expect(problemsOf({ AUTH_API_KEYS: 'a:k1', AUTH_API_KEY_SCOPES: 'b=csr:audit' })).toContain('"b" is not the name of an AUTH_API_KEYS entry');
    expect(problemsOf({ AUTH_API_KEYS: 'a:k1', AUTH_API_KEY_SCOPES: 'a' })).toContain('AUTH_API_KEY_SCOPES: each entry is `name=scope scope…`');
  });

  it('refuses real credentials with auth off, whatever NODE_ENV says, but not a simulator', () => {
    const problem = (env: Record<string, string>, source: string | undefined) => unauthenticatedCredentialsProblem(loadConfig(env), source);
    expect(problem({}, 'profile file /home/dev/.tencentcloud/credentials')).toMatch(
      /^Tencent Cloud credentials were found \(profile file \/home\/dev\/\.tencentcloud\/credentials\) but no caller authentication is configured/,
    );
    expect(problem({ NODE_ENV: 'test' }, 'environment')).toBeDefined();
    expect(problem({}, undefined)).toBeUndefined(); // the built-in simulator
    expect(problem({ TENCENTCLOUD_SSL_ENDPOINT: 'http://127.0.0.1:4010' }, 'environment')).toBeUndefined(); // a simulator on this machine
    expect(problem({ TENCENTCLOUD_SSL_ENDPOINT: 'https://127.0.0.1:4010' }, 'environment')).toBeDefined();
    expect(problem({ AUTH_API_KEYS: 'k' }, 'environment')).toBeUndefined();
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
    expect(loadConfig({}).jobs).toEqual({ dataDir: 'data/jobs', maxIdsPerJob: 1_000_000, leaseMs: 5_000, concurrency: 2, planTtlMs: 900_000, retentionDays: 90 });
    expect(loadConfig({ JOB_RETENTION_DAYS: '0' }).jobs.retentionDays).toBe(0);
  });

  it('keeps deletion plans 15 minutes unless PLAN_TTL_MS says otherwise, from a second to a day', () => {
    expect(loadConfig({ PLAN_TTL_MS: '60000' }).jobs.planTtlMs).toBe(60_000);
    expect(problemsOf({ PLAN_TTL_MS: '999' })).toContain('PLAN_TTL_MS');
    expect(problemsOf({ PLAN_TTL_MS: '86400001' })).toContain('PLAN_TTL_MS');
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
