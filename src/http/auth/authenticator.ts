/**
 * Who is calling: turns an `Authorization` header into a caller and its scopes, or a refusal
 * (`UNAUTHENTICATED` for no or bad credentials). What each operation needs of those scopes is decided
 * per root field by the caller-auth plugin (scopes.ts: `FORBIDDEN` without it).
 * The caller is identified by the JWT's `sub` (required: a token that names nobody cannot be
 * audited) or by the API key's configured name, never by the key.
 *
 * Tokens are verified by jose, never parsed by hand. What is decided here, and why:
 *   - The accepted algorithms follow the configuration: HS256 only with `AUTH_JWT_SECRET`, RS256 and
 *     ES256 only with `AUTH_JWKS_URL`. So `alg: none` is refused, and so is an HS256 token "signed"
 *     with a JWKS public key (the classic algorithm-confusion attack).
 *   - `exp` is required: a token that never expires is a password that cannot be rotated. Clocks may
 *     differ by up to 30 s between the issuer and us.
 *   - API keys are compared through their SHA-256 digests with `timingSafeEqual`, against every
 *     configured key without stopping at a match, so neither a key's length nor which key matched
 *     shows in the response time.
 *   - The JWKS is fetched lazily, cached (10 min) and refetched when a token names an unknown `kid`
 *     (at most every 30 s): jose's remote key set does all three.
 *   - A verified token is remembered until it expires (verified-tokens.ts): its signature is checked
 *     once, not on every request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../../config.js';
import { apiKeyScopes, type Caller } from '../../operation/caller.js';
import { VerifiedTokens } from './verified-tokens.js';

export type { Caller };

export type AuthCode = 'UNAUTHENTICATED' | 'FORBIDDEN';

export type AuthDecision =
  | { readonly ok: true; readonly caller: Caller }
  | {
      readonly ok: false;
      readonly code: AuthCode;
      /** For the caller: what to fix, never a secret. */
      readonly message: string;
      /** For the log: the precise reason (e.g. jose's error code). */
      readonly reason: string;
      /** The refusal is ours (the key set could not be fetched), not the caller's. */
      readonly serverFault?: boolean;
    };

export interface Authenticator {
  /** Whether callers must authenticate at all (false only outside production with no auth configured). */
  readonly enabled: boolean;
  /** Synchronous for a caller known without a signature check (an API key, a token verified before). */
  decide(authorizationHeader: string | null): AuthDecision | Promise<AuthDecision>;
}

const CLOCK_TOLERANCE_SECONDS = 30;
const JWKS_ALGORITHMS = ['RS256', 'ES256'];

export function createAuthenticator(auth: Config['auth']): Authenticator {
  const keyDigests = auth.apiKeys.map(digest);
  const keyCallers: readonly Caller[] = auth.apiKeyNames.map((id, index) => ({
    id,
    kind: 'key',
    scopes: apiKeyScopes(auth.requiredScope, auth.apiKeyScopes?.[index]),
  }));
  const verified = new VerifiedTokens();
  const secret = auth.jwtSecret ? new TextEncoder().encode(auth.jwtSecret) : undefined;
  const jwks = auth.jwksUrl ? createRemoteJWKSet(auth.jwksUrl) : undefined;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? JWKS_ALGORITHMS : [])];
  const jwtEnabled = algorithms.length > 0;

  // One verification for both sources: the token's own header picks the key, within `algorithms`.
  const keyFor: JWTVerifyGetKey = (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (jwks) return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed('no key for this algorithm');
  };

  return {
    enabled: jwtEnabled || keyDigests.length > 0,
    decide(authorizationHeader) {
      const credential = bearerCredential(authorizationHeader);
      if (credential === undefined) {
        return refuse(
          'UNAUTHENTICATED',
          'Authentication required: send `Authorization: Bearer <token>` with a JWT or an API key.',
          authorizationHeader ? 'not a bearer credential' : 'no credentials',
        );
      }

      const known = verified.get(credential);
      if (known) return { ok: true, caller: known };

      const keyCaller = keyCallers[matchingKeyIndex(keyDigests, credential)];
      if (keyCaller) return { ok: true, caller: keyCaller };
      if (!jwtEnabled) return refuse('UNAUTHENTICATED', 'The bearer credential is not a valid API key.', 'unknown API key');
      return verifyJwt(credential);
    },
  };

  async function verifyJwt(credential: string): Promise<AuthDecision> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(credential, keyFor, {
        algorithms,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        ...(auth.issuer ? { issuer: auth.issuer } : {}),
        ...(auth.audience ? { audience: auth.audience } : {}),
      }));
    } catch (error) {
      return jwtRefusal(error, algorithms, keyDigests.length > 0);
    }

    // The caller's identity, for the audit trail and the log: a token that names nobody is refused,
    // and so is a name the audit store could not record (it would fail its batch: see audit/trail.ts).
    const subProblem = subjectProblem(payload.sub);
    if (subProblem) {
      return refuse('UNAUTHENTICATED', `The token's "sub" claim ${subProblem}, which this gateway requires to name the caller.`, `sub ${subProblem}`);
    }
    // Which scopes each operation needs is the caller-auth plugin's (scopes.ts), per root field.
    const caller: Caller = { id: payload.sub as string, kind: 'jwt', scopes: scopesOf(payload) };
    // `exp` is required above, so every accepted token has one.
    verified.set(credential, caller, payload.exp ?? 0);
    return { ok: true, caller };
  }
}

/** The longest `sub` accepted: an identity, not a payload. */
export const MAX_SUBJECT_LENGTH = 256;

/**
 * Why a `sub` cannot name a caller, or undefined when it can: it must be a string, not blank, free of
 * control characters (U+0000 cannot be stored in PostgreSQL text at all; others forge log lines) and
 * well-formed Unicode (a lone surrogate has no UTF-8 encoding).
 */
export function subjectProblem(sub: unknown): string | undefined {
  if (typeof sub !== 'string' || sub.trim() === '') return 'is missing or blank (it must be a non-empty string)';
  if (sub.length > MAX_SUBJECT_LENGTH) return `is longer than ${MAX_SUBJECT_LENGTH} characters`;
  if (/\p{Cc}/u.test(sub)) return 'holds control characters';
  // With the `u` flag a surrogate pair is one code point: only a lone surrogate matches.
  if (/\p{Cs}/u.test(sub)) return 'is not well-formed Unicode (a lone surrogate)';
  return undefined;
}

/** `Bearer <credential>`, scheme case-insensitive (RFC 6750 §2.1); anything else is no credential. */
function bearerCredential(header: string | null): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function matchingKeyIndex(keyDigests: readonly Buffer[], credential: string): number {
  const candidate = digest(credential);
  let found = -1;
  keyDigests.forEach((keyDigest, index) => {
    // No early exit: every key is compared, whichever matches.
    if (timingSafeEqual(keyDigest, candidate) && found < 0) found = index;
  });
  return found;
}

/** The `scope` claim, space-separated (RFC 8693 §4.2). */
function scopesOf(payload: JWTPayload): ReadonlySet<string> {
  return new Set(typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : []);
}

function refuse(code: AuthCode, message: string, reason: string, serverFault = false): AuthDecision {
  return { ok: false, code, message, reason, ...(serverFault ? { serverFault } : {}) };
}

function jwtRefusal(error: unknown, algorithms: readonly string[], apiKeysConfigured: boolean): AuthDecision {
  const reason = error instanceof errors.JOSEError ? error.code : String(error);
  if (error instanceof errors.JWTExpired) return refuse('UNAUTHENTICATED', 'The token has expired.', reason);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const message =
      error.reason === 'missing'
        ? `The token has no "${error.claim}" claim, which this gateway requires.`
        : `The token's "${error.claim}" claim is not one this gateway accepts.`;
    return refuse('UNAUTHENTICATED', message, `${reason} ${error.claim} ${error.reason}`);
  }
  if (error instanceof errors.JOSENotSupported && /Extension Header Parameter/.test(error.message)) {
    // jose refuses a `crit` naming an extension it does not implement (RFC 7515 §4.1.11).
    return refuse('UNAUTHENTICATED', 'The token\'s "crit" header names an extension this gateway does not understand.', `${reason} crit`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return refuse('UNAUTHENTICATED', `The token's algorithm is not accepted (accepted: ${algorithms.join(', ')}).`, reason);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return refuse('UNAUTHENTICATED', "The token's signature could not be verified.", reason);
  }
  if (!(error instanceof errors.JOSEError) || keySetUnavailable(error)) {
    // The key set could not be fetched or read: not the caller's fault, and worth an operator's look.
    return refuse(
      'UNAUTHENTICATED',
      'The token could not be verified right now (the signing keys are unavailable). Try again.',
      `JWKS unavailable: ${reason}`,
      true,
    );
  }
  const what = apiKeysConfigured ? 'a valid JWT or API key' : 'a valid JWT';
  return refuse('UNAUTHENTICATED', `The bearer credential is not ${what}.`, reason);
}

/** The key set could not be fetched or read (jose raises the generic error only for a JWKS answer that is not 200 JSON). */
function keySetUnavailable(error: errors.JOSEError): boolean {
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === errors.JOSEError.code;
}
