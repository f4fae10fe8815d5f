/** docs/contract.md §2: every variable parsed in one place; a bad value stops start-up naming the variable. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

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

  it('wants the SecretId and SecretKey together', () => {
    expect(problemsOf({ TENCENTCLOUD_SECRET_ID: 'AKID1' })).toMatch(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
  });

  it('wants MAX_PENDING_IDS to hold at least one largest mutation', () => {
    expect(problemsOf({ MAX_PENDING_IDS: '100', MAX_IDS_PER_MUTATION: '1000' })).toContain('MAX_PENDING_IDS');
  });

  it('in production, wants credentials, auth, and an https JWKS', () => {
    const missing = problemsOf({ NODE_ENV: 'production' });
    for (const name of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) {
      expect(missing).toContain(name);
    }
    const credentials = { NODE_ENV: 'production', TENCENTCLOUD_SECRET_ID: 'AKID1', TENCENTCLOUD_SECRET_KEY: 'key' };
    expect(problemsOf({ ...credentials, AUTH_JWKS_URL: 'http://idp.example/jwks.json' })).toContain('AUTH_JWKS_URL');
    expect(loadConfig({ ...credentials, AUTH_JWKS_URL: 'https://idp.example/jwks.json' }).production).toBe(true);
  });
});
