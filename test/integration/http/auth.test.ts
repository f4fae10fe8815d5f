/**
 * Caller authentication end to end: every refused caller gets the right `extensions.code` and nothing
 * reaches the simulator; each accepted method (HS256 JWT, JWKS JWT in RS256 and ES256, API key)
 * deletes; the schema itself, and the deletion limits, stay public.
 *
 * The gateway answers in process (`yoga.fetch`); the identity provider's key set is served over
 * loopback HTTP, as jose fetches it in production, which is what keeps this file in the integration
 * project.
 */
import { createHmac } from 'node:crypto';
import { UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCSRs, graphql } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';
import { signingKey, signToken, startJwksServer, type JwksServer, type SigningKey } from '../../support/jwks.js';

const JWT_SECRET = 'hs256-test-secret-0123456789abcdef-0123456789';
const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'tencent-ssl-gateway';
const API_KEYS = ['svc-key-one-0123456789abcdef', 'svc-key-two-0123456789abcdef'];
const GOOD = { scope: 'openid csr:delete', sub: 'user-1' };
const CLAIMS = { issuer: ISSUER, audience: AUDIENCE };

const MUTATION = /* GraphQL */ `
  mutation Delete($ids: [Int!]!) {
    batchDeleteCSRs(ids: $ids) {
      __typename
      ... on BatchDeleteCSRsSuccess { deletedIds }
    }
  }
`;

let rig: InProcessRig;
let jwks: JwksServer;
let rsKey: SigningKey;
let esKey: SigningKey;
/** Same kid as the published RS256 key, but a key the provider never published. */
let impostorKey: SigningKey;

beforeAll(async () => {
  [rsKey, esKey, impostorKey] = await Promise.all([signingKey('rs-1', 'RS256'), signingKey('es-1', 'ES256'), signingKey('rs-1', 'RS256')]);
  jwks = await startJwksServer([rsKey, esKey]);
  rig = createRig({
    env: {
      AUTH_JWT_SECRET: JWT_SECRET,
      AUTH_JWKS_URL: jwks.url,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      AUTH_API_KEYS: API_KEYS.join(','),
    },
  });
});

afterAll(async () => {
  await rig?.close();
  await jwks?.close();
});

const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

describe('a refused caller gets a GraphQL error and nothing is sent to Tencent', () => {
  const cases: [string, () => Record<string, string> | Promise<Record<string, string>>, 'UNAUTHENTICATED' | 'FORBIDDEN', RegExp][] = [
    ['no credentials', () => ({}), 'UNAUTHENTICATED', /Authentication required/],
    ['garbage', () => bearer('garbage'), 'UNAUTHENTICATED', /not a valid JWT or API key/],
    [
      'a non-bearer scheme',
      () => ({ authorization: `Basic ${Buffer.from(`x:${API_KEYS[0]}`).toString('base64')}` }),
      'UNAUTHENTICATED',
      /Authentication required/,
    ],
    ['a wrong API key', () => bearer('svc-key-three-0123456789abcdef'), 'UNAUTHENTICATED', /not a valid JWT or API key/],
    [
      'an HS256 token signed with the wrong secret',
      async () => bearer(await signToken(GOOD, 'another-secret-0123456789abcdef-0123', CLAIMS)),
      'UNAUTHENTICATED',
      /signature/,
    ],
    [
      'a JWKS token signed with an unpublished key',
      async () => bearer(await signToken(GOOD, impostorKey, CLAIMS)),
      'UNAUTHENTICATED',
      /signature/,
    ],
    [
      'an expired token',
      async () => bearer(await signToken(GOOD, JWT_SECRET, { ...CLAIMS, expiresIn: Math.floor(Date.now() / 1000) - 3600 })),
      'UNAUTHENTICATED',
      /expired/,
    ],
    [
      'an alg: none token',
      () => bearer(new UnsecuredJWT(GOOD).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10 min').encode()),
      'UNAUTHENTICATED',
      /algorithm/,
    ],
    ['a token without exp', async () => bearer(await signToken(GOOD, JWT_SECRET, { ...CLAIMS, expiresIn: null })), 'UNAUTHENTICATED', /"exp"/],
    [
      'a wrong issuer',
      async () => bearer(await signToken(GOOD, rsKey, { ...CLAIMS, issuer: 'https://evil.example.test/' })),
      'UNAUTHENTICATED',
      /"iss"/,
    ],
    [
      'a wrong audience',
      async () => bearer(await signToken(GOOD, esKey, { ...CLAIMS, audience: 'another-service' })),
      'UNAUTHENTICATED',
      /"aud"/,
    ],
    ['a token without the scope', async () => bearer(await signToken({ sub: 'user-1', scope: 'openid csr:read' }, JWT_SECRET, CLAIMS)), 'FORBIDDEN', /csr:delete/],
    [
      'a scope that only starts like the required one',
      async () => bearer(await signToken({ sub: 'user-1', scope: 'csr:delete-all' }, rsKey, CLAIMS)),
      'FORBIDDEN',
      /csr:delete/,
    ],
    // Identities the audit store could not record, refused at the door (one caller must not fail another's batch).
    ['a sub holding U+0000', async () => bearer(await signToken({ ...GOOD, sub: 'user\u0000x' }, JWT_SECRET, CLAIMS)), 'UNAUTHENTICATED', /"sub" claim holds control characters/],
    ['a sub holding a lone surrogate', async () => bearer(await signToken({ ...GOOD, sub: 'user\ud800' }, JWT_SECRET, CLAIMS)), 'UNAUTHENTICATED', /"sub" claim is not well-formed Unicode/],
    ['a blank sub', async () => bearer(await signToken({ ...GOOD, sub: '   ' }, JWT_SECRET, CLAIMS)), 'UNAUTHENTICATED', /"sub" claim is missing or blank/],
    ['a sub of 10,000 characters', async () => bearer(await signToken({ ...GOOD, sub: 'u'.repeat(10_000) }, JWT_SECRET, CLAIMS)), 'UNAUTHENTICATED', /"sub" claim is longer than 256/],
    [
      'an unknown crit header',
      // jose will not sign an extension it does not know either: signed by hand.
      () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const input = `${part({ alg: 'HS256', crit: ['urn:example:unknown'], 'urn:example:unknown': true })}.${part({ ...GOOD, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })}`;
        return bearer(`${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`);
      },
      'UNAUTHENTICATED',
      /"crit" header names an extension/,
    ],
  ];

  it.each(cases)('%s', async (_name, headersFor, code, message) => {
    const callsBefore = rig.simulator.log.length;
    const response = await graphql<unknown>(rig, MUTATION, { ids: [1, 2, 3] }, await headersFor());
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toEqual({ code });
    expect(response.errors?.[0]?.message).toMatch(message);
    expect(rig.simulator.log.length).toBe(callsBefore);
    expect([1, 2, 3].every((id) => rig.simulator.store.has(id))).toBe(true);
  });

  it('sent nothing at all for any of them', () => {
    expect(rig.simulator.log).toEqual([]);
  });
});

describe('an accepted caller deletes', () => {
  it('with an HS256 JWT', async () => {
    const token = await signToken(GOOD, JWT_SECRET, CLAIMS);
    expect(await deleteCSRs(rig, [11, 12], bearer(token))).toMatchObject({ deletedIds: [11, 12] });
  });

  it('with an RS256 JWT from the JWKS', async () => {
    const token = await signToken(GOOD, rsKey, CLAIMS);
    expect(await deleteCSRs(rig, [21, 22], bearer(token))).toMatchObject({ deletedIds: [21, 22] });
  });

  it('with an ES256 JWT from the JWKS', async () => {
    const token = await signToken(GOOD, esKey, CLAIMS);
    expect(await deleteCSRs(rig, [31], bearer(token))).toMatchObject({ deletedIds: [31] });
  });

  it('with an API key', async () => {
    expect(await deleteCSRs(rig, [41], bearer(API_KEYS[1]!))).toMatchObject({ deletedIds: [41] });
  });
});

describe('the schema and the limits are public, the rest is not', () => {
  it('answers introspection without credentials', async () => {
    const response = await graphql<{ __schema: { mutationType: { name: string } } }>(rig, '{ __schema { mutationType { name } } }');
    expect(response).toEqual({ data: { __schema: { mutationType: { name: 'Mutation' } } } });
  });

  it("answers the federation router's _service { sdl } without credentials", async () => {
    const response = await graphql<{ _service: { sdl: string } }>(rig, '{ _service { sdl } }');
    expect(response.data?._service.sdl).toContain('batchDeleteCSRs');
  });

  it('answers csrDeletionLimits without credentials: the limits are configuration, not secrets', async () => {
    // Public so that an anonymous query through a federation router, asking other subgraphs too, is
    // not nulled by this non-null field failing authentication (test/integration/federation/round-trip.test.ts).
    const response = await graphql<unknown>(rig, '{ __typename csrDeletionLimits { maxIdsPerMutation } }');
    expect(response).toEqual({ data: { __typename: 'Query', csrDeletionLimits: { maxIdsPerMutation: 10_000 } } });
  });
});

