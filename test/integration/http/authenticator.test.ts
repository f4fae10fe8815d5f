/**
 * The authenticator's JWKS handling against a real key-set server: keys are cached, a rotation is
 * picked up once the refetch cooldown has passed, and an unreachable key set is reported as the
 * gateway's fault. Only `Date` is faked (jose's cache clock); HTTP and crypto are real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createAuthenticator } from '../../../src/http/auth/authenticator.js';
import { signingKey, signToken, startJwksServer } from '../../support/jwks.js';

const GOOD = { scope: 'csr:delete', sub: 'svc' };

afterEach(() => {
  vi.useRealTimers();
});

function authenticatorFor(jwksUrl: string) {
  return createAuthenticator(loadConfig({ NODE_ENV: 'test', AUTH_JWKS_URL: jwksUrl }).auth);
}

describe('JWKS keys', () => {
  it('are fetched once and cached', async () => {
    const key = await signingKey('k1', 'ES256');
    const jwks = await startJwksServer([key]);
    try {
      const authenticator = authenticatorFor(jwks.url);
      for (let i = 0; i < 3; i++) {
        expect(await authenticator.decide(`Bearer ${await signToken(GOOD, key)}`)).toMatchObject({ ok: true });
      }
      expect(jwks.fetches).toBe(1);
    } finally {
      await jwks.close();
    }
  });

  it('are refetched for an unknown kid once the cooldown has passed (a rotation)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const [oldKey, newKey] = await Promise.all([signingKey('old', 'RS256'), signingKey('new', 'RS256')]);
    const jwks = await startJwksServer([oldKey]);
    try {
      const authenticator = authenticatorFor(jwks.url);
      expect(await authenticator.decide(`Bearer ${await signToken(GOOD, oldKey)}`)).toMatchObject({ ok: true });

      jwks.publish([oldKey, newKey]);
      // Within jose's 30 s cooldown an unknown kid does not trigger a fetch (no fetch storms).
      expect(await authenticator.decide(`Bearer ${await signToken(GOOD, newKey)}`)).toMatchObject({
        ok: false,
        code: 'UNAUTHENTICATED',
      });
      vi.setSystemTime(Date.now() + 31_000);
      expect(await authenticator.decide(`Bearer ${await signToken(GOOD, newKey)}`)).toMatchObject({ ok: true });
      expect(jwks.fetches).toBe(2);
    } finally {
      await jwks.close();
    }
  });

  it('that cannot be fetched refuse the caller and flag the fault as the gateway’s', async () => {
    const key = await signingKey('k1', 'RS256');
    const jwks = await startJwksServer([key]);
    await jwks.close();
    const decision = await authenticatorFor(jwks.url).decide(`Bearer ${await signToken(GOOD, key)}`);
    expect(decision).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', serverFault: true });
  });
});

describe('verified tokens', () => {
  it('are remembered until they expire, and no longer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const secret = 'verified-tokens-secret-0123456789abcdef';
    const authenticator = createAuthenticator(loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: secret }).auth);
    const token = await signToken({ ...GOOD, sub: 'cached' }, secret, { expiresIn: Math.floor(Date.now() / 1000) + 60 });
    const first = await authenticator.decide(`Bearer ${token}`);
    expect(first).toMatchObject({ ok: true, caller: { id: 'cached' } });
    // Known now: answered without a signature check, so without a promise.
    const again = authenticator.decide(`Bearer ${token}`);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toEqual(first);

    // Past exp and the 30 s clock tolerance: the cache does not outlive the token.
    vi.setSystemTime(Date.now() + 91_000);
    expect(await authenticator.decide(`Bearer ${token}`)).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', message: 'The token has expired.' });
  });
});

describe('without any auth configured', () => {
  it('is disabled', () => {
    expect(createAuthenticator(loadConfig({ NODE_ENV: 'test' }).auth).enabled).toBe(false);
  });
});
