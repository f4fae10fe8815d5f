/**
 * `NODE_ENV=production` refuses to start without Tencent credentials or without caller auth, and says
 * which variables to set; a real process, as an operator would start it.
 */
import { describe, expect, it } from 'vitest';
import { spawnGateway } from '../support/process.js';

const CREDENTIALS = { TENCENTCLOUD_SECRET_ID: 'AKIDPRODTEST000000000000000000000000', TENCENTCLOUD_SECRET_KEY: 'prod-test-secret-key-000000000000' };
const AUTH = { AUTH_API_KEYS: 'prod-test-api-key-0123456789abcdef' };
const BASE = { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };

async function refusal(env: Record<string, string>): Promise<{ code: number | string; stderr: string }> {
  const gateway = spawnGateway({ ...BASE, ...env });
  const code = await gateway.exited;
  return { code, stderr: gateway.stderr() };
}

describe('a production start', () => {
  it('without credentials fails, naming the Tencent variables', async () => {
    const { code, stderr } = await refusal(AUTH);
    expect(code).toBe(1);
    expect(stderr).toContain('TENCENTCLOUD_SECRET_ID');
    expect(stderr).toContain('TENCENTCLOUD_SECRET_KEY');
    expect(stderr).not.toContain('AUTH_');
  });

  it('without auth fails, naming the auth variables', async () => {
    const { code, stderr } = await refusal(CREDENTIALS);
    expect(code).toBe(1);
    for (const variable of ['AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) expect(stderr).toContain(variable);
    expect(stderr).not.toContain('TENCENTCLOUD_');
  });

  it('without either fails, naming both', async () => {
    const { code, stderr } = await refusal({});
    expect(code).toBe(1);
    for (const variable of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) {
      expect(stderr).toContain(variable);
    }
  });
});
