/**
 * The caller in the GraphQL context, through `yoga.fetch` with the edge's own plugins and a schema
 * that shows what a resolver sees: a JWT caller is its `sub` with its scopes, an API key its name
 * with every scope, a public operation or auth turned off has no caller; a JWT naming nobody is
 * refused. The names of `AUTH_API_KEYS` entries are read as the contract says.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createAuthenticator } from '../../../src/http/auth/authenticator.js';
import type { EdgeContext } from '../../../src/operation/context.js';
import { useCallerAuth } from '../../../src/http/plugins/caller-auth.js';
import { useOperationContext } from '../../../src/http/plugins/operation-context.js';
import { createLogger } from '../../../src/logger.js';
import { signToken } from '../../support/jwks.js';

const JWT_SECRET = 'caller-context-secret-0123456789abcdef';

function yogaWith(env: Record<string, string>) {
  const authenticator = createAuthenticator(loadConfig({ NODE_ENV: 'test', ...env }).auth);
  return createYoga<Record<string, unknown>, EdgeContext & Record<string, unknown>>({
    schema: createSchema<EdgeContext & Record<string, unknown>>({
      typeDefs: 'type Query { caller: Caller  limits: Int }  type Caller { id: String!  scopes: [String!]! }',
      resolvers: {
        Query: {
          caller: (_root, _args, context) => (context.caller ? { id: context.caller.id, scopes: [...context.caller.scopes].sort() } : null),
          // Public: it answers whether the resolver was given a caller.
          limits: (_root, _args, context) => (context.caller ? 1 : 0),
        },
      },
    }),
    logging: false,
    plugins: [useOperationContext(), useCallerAuth({ authenticator, logger: createLogger('silent'), publicRootFields: new Set(['limits', '__typename']) })],
  });
}

async function ask(yoga: ReturnType<typeof yogaWith>, query: string, credential?: string): Promise<unknown> {
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

const CALLER = '{ caller { id scopes } }';

describe('context.caller', () => {
  const yoga = yogaWith({ AUTH_JWT_SECRET: JWT_SECRET, AUTH_API_KEYS: 'svc-key-plain-0123456789,billing:svc-key-named-0123456789' });

  it("is a JWT's sub with its scopes", async () => {
    const token = await signToken({ sub: 'alice@example.test', scope: 'openid csr:delete' }, JWT_SECRET);
    expect(await ask(yoga, CALLER, token)).toEqual({ data: { caller: { id: 'alice@example.test', scopes: ['csr:delete', 'openid'] } } });
    // The second time the token comes from the verified-token cache: the same caller.
    expect(await ask(yoga, CALLER, token)).toEqual({ data: { caller: { id: 'alice@example.test', scopes: ['csr:delete', 'openid'] } } });
  });

  it("is an API key's name, never the key, with every scope the gateway knows", async () => {
    expect(await ask(yoga, CALLER, 'svc-key-named-0123456789')).toEqual({
      data: { caller: { id: 'billing', scopes: ['csr:audit', 'csr:delete', 'csr:read'] } },
    });
    expect(await ask(yoga, CALLER, 'svc-key-plain-0123456789')).toEqual({
      data: { caller: { id: 'api-key-1', scopes: ['csr:audit', 'csr:delete', 'csr:read'] } },
    });
  });

  it('is undefined for an operation of public fields, even with credentials', async () => {
    expect(await ask(yoga, '{ caller { id } limits }')).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await ask(yoga, '{ limits }', 'svc-key-plain-0123456789')).toEqual({ data: { limits: 0 } });
  });

  it('is undefined when auth is off', async () => {
    expect(await ask(yogaWith({}), CALLER)).toEqual({ data: { caller: null } });
  });

  it('is never a JWT without sub: refused with UNAUTHENTICATED, saying why', async () => {
    const token = await signToken({ scope: 'csr:delete' }, JWT_SECRET);
    const answer = (await ask(yoga, CALLER, token)) as { errors?: { message: string; extensions: unknown }[] };
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(answer.errors?.[0]?.message).toMatch(/"sub" claim/);
  });
});

describe('AUTH_API_KEYS', () => {
  it('names `name:key` entries by their name and plain keys by position', () => {
    const { auth } = loadConfig({ AUTH_API_KEYS: 'k-one, ci:k-two ,k-three' });
    expect(auth.apiKeys).toEqual(['k-one', 'k-two', 'k-three']);
    expect(auth.apiKeyNames).toEqual(['api-key-1', 'ci', 'api-key-3']);
  });

  it.each([['two keys named alike', 'ci:k1,ci:k2'], ['an empty name', ':k1'], ['an empty key', 'ci:'], ['a name with spaces', 'c i:k1']])(
    'refuses %s at start-up',
    (_case, value) => {
      expect(() => loadConfig({ AUTH_API_KEYS: value })).toThrow(/AUTH_API_KEYS/);
    },
  );
});
