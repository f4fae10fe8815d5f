/**
 * JWTs already verified, kept until they expire, so that a caller who sends the same token with
 * every request (as clients do until it expires) pays for its signature check once.
 *
 * Verifying a JWT (jose: base64url-decoding, a WebCrypto key import and an HMAC or RSA/ECDSA check)
 * costs more than the whole rest of the gateway's edge on a request; a lookup by the token's text
 * costs nothing. What a cached token skips is exactly what cannot change before `exp`: its
 * signature and claims. Consequence, documented: a token signed with a key later withdrawn from the
 * JWKS stays accepted until it expires (as it would with any stateless verifier between fetches).
 * Only acceptances are kept; a refusal is decided afresh each time.
 *
 * Bounded by lru-cache (least recently used entries go first); expiry is checked on each lookup
 * against `Date.now()`, the clock jose judges `exp` by.
 */
import { LRUCache } from 'lru-cache';
import type { Caller } from '../../operation/caller.js';

/** Enough for every caller of a busy gateway; a token is a few hundred bytes. */
const DEFAULT_MAX_TOKENS = 10_000;

interface Entry {
  readonly caller: Caller;
  /** Epoch milliseconds: the token's `exp`. */
  readonly expiresAt: number;
}

export class VerifiedTokens {
  readonly #entries: LRUCache<string, Entry>;

  constructor(maxTokens = DEFAULT_MAX_TOKENS) {
    this.#entries = new LRUCache({ max: maxTokens });
  }

  /** The caller of a token verified before and not yet expired. */
  get(token: string): Caller | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (Date.now() < entry.expiresAt) return entry.caller;
    this.#entries.delete(token);
    return undefined;
  }

  /** Remembers a verified token until `exp` (epoch seconds). */
  set(token: string, caller: Caller, exp: number): void {
    this.#entries.set(token, { caller, expiresAt: exp * 1_000 });
  }
}
