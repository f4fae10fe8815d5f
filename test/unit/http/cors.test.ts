/**
 * CORS by configuration, over HTTP: configured origins are allowed (without credentials mode unless
 * asked for, with `x-request-id` readable), others are not; unset, any origin outside production
 * and none in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_CREDENTIALS } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const APP = 'https://app.example.test';
const OTHER = 'https://admin.example.test';
const PRODUCTION = {
  NODE_ENV: 'production',
  TENCENTCLOUD_SECRET_ID: TEST_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: TEST_CREDENTIALS.secretKey,
  AUTH_API_KEYS: 'cors-test-key-0123456789',
};

let configured: InProcessRig;
let withCredentials: InProcessRig;
let development: InProcessRig;
let production: InProcessRig;

beforeAll(() => {
  [configured, withCredentials, development, production] = [
    createRig({ env: { ...PRODUCTION, CORS_ORIGINS: `${APP}, ${OTHER}` } }),
    createRig({ env: { CORS_ORIGINS: APP, CORS_CREDENTIALS: 'true' } }),
    createRig(),
    createRig({ env: PRODUCTION }),
  ];
});

afterAll(async () => {
  await Promise.all([configured, withCredentials, development, production].map((rig) => rig?.close()));
});

function preflight(rig: InProcessRig, origin: string) {
  return rig.fetch(rig.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
}

function post(rig: InProcessRig, origin: string) {
  return rig.fetch(rig.url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

describe('CORS_ORIGINS', () => {
  it('allows a configured origin, exposing x-request-id, without credentials mode', async () => {
    const answer = await preflight(configured, APP);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP);
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(answer.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();

    const response = await post(configured, OTHER);
    expect(response.headers.get('access-control-allow-origin')).toBe(OTHER);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('does not allow another origin: no CORS header at all, not "null" (which a sandboxed page matches)', async () => {
    const answer = await preflight(configured, 'https://evil.example.test');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(configured, 'https://evil.example.test')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('turns credentials mode on only when asked (CORS_CREDENTIALS=true)', async () => {
    const response = await post(withCredentials, APP);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('unset', () => {
  it('allows localhost origins only outside production: never any web page the developer visits', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      const response = await post(development, origin);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')).toMatch(/Origin/);
      expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
    for (const origin of ['https://evil.example.test', 'http://localhost.evil.example.test', 'null']) {
      expect((await post(development, origin)).headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(development, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows no cross-origin access in production', async () => {
    const answer = await preflight(production, APP);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const response = await post(production, APP);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
