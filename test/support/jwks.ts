/**
 * An identity provider in miniature: a real HTTP server publishing a JWKS, and jose to sign tokens
 * with its keys (or with keys it does not publish), so auth tests verify real tokens over real HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export interface JwksServer {
  readonly url: string;
  /** How many times the key set was fetched. */
  readonly fetches: number;
  /** Replace the published keys (a rotation). */
  publish(keys: readonly SigningKey[]): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  const server: Server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    publish(next) {
      published = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TokenOptions {
  readonly issuer?: string;
  readonly audience?: string;
  /** jose time span or epoch seconds; default '10 min'; null for a token without `exp`. */
  readonly expiresIn?: string | number | null;
}

/** A token signed with `key`: an asymmetric JWKS key, or an HS256 secret. */
export async function signToken(payload: JWTPayload, key: SigningKey | string, options: TokenOptions = {}): Promise<string> {
  const header = typeof key === 'string' ? { alg: 'HS256' } : { alg: key.alg, kid: key.kid };
  let jwt = new SignJWT(payload).setProtectedHeader(header).setIssuedAt();
  if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '10 min');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(typeof key === 'string' ? new TextEncoder().encode(key) : key.privateKey);
}
