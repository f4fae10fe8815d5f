/**
 * Who is calling, as the rest of the gateway sees it (`context.caller`): an identity to record
 * (the audit trail, the request log) and the scopes it was granted. Never a credential.
 */
import { knownScopes } from './scopes.js';

/** How the caller proved who it is: a JWT's `sub` and an API key's name live in different namespaces. */
export type CallerKind = 'jwt' | 'key';

export interface Caller {
  /** The JWT's `sub`, or the API key's name (`AUTH_API_KEYS`' `name:key`, else `api-key-<n>`). */
  readonly id: string;
  /** Which namespace `id` is in: a JWT `sub` "svc" and an API key named "svc" are two callers. Absent: unknown (a test's caller). */
  readonly kind?: CallerKind;
  /** The JWT's `scope` claim; for an API key, `AUTH_API_KEY_SCOPES`' or every scope the gateway knows (`apiKeyScopes`). */
  readonly scopes: ReadonlySet<string>;
}

/** What an API key is granted: the scopes configured for it, else every scope the gateway knows. */
export function apiKeyScopes(requiredScope: string, configured?: readonly string[]): ReadonlySet<string> {
  return configured ? new Set(configured) : knownScopes(requiredScope);
}
