/**
 * Who is calling, as the rest of the gateway sees it (`context.caller`): an identity to record
 * (the audit trail, the request log) and the scopes it was granted. Never a credential.
 */
export interface Caller {
  /** The JWT's `sub`, or the API key's name (`AUTH_API_KEYS`' `name:key`, else `api-key-<n>`). */
  readonly id: string;
  /** The JWT's `scope` claim; for an API key, every scope the gateway knows (`apiKeyScopes`). */
  readonly scopes: ReadonlySet<string>;
}

/**
 * The scopes this gateway checks besides `AUTH_REQUIRED_SCOPE`: API keys carry no scopes and are
 * granted all of these (docs/contract.md §4: `csr:audit` for the audit trail).
 */
export const OTHER_KNOWN_SCOPES: readonly string[] = ['csr:audit'];

/** What an API key is granted: every scope the gateway knows. */
export function apiKeyScopes(requiredScope: string): ReadonlySet<string> {
  return new Set([requiredScope, ...OTHER_KNOWN_SCOPES]);
}
