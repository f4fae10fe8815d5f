/**
 * What the client signs with: a `CredentialProvider`, read on every call, so that a role's temporary
 * credentials can be replaced underneath it without a pause. Its own module, below the sources that
 * make providers (credentials.ts resolves one; role-credentials.ts is one), so they import it and not
 * each other.
 */
import type { TencentCredentials } from '../config.js';

export interface CredentialProvider {
  /** Where the credentials come from, for the start-up log (never a secret). */
  readonly source: string;
  /**
   * The key of the account's rate-limit bucket (`BatchDeleteClient.secretId`). The SecretId for
   * fixed credentials. For a role it is `role:<name>`: the role's TmpSecretId changes at every
   * refresh, but Tencent counts calls per API, access region and sub-account (the role) — the
   * bucket must outlive the keys, or each refresh would hand the gateway a fresh allowance.
   */
  readonly rateLimitKey: string;
  /** The credentials to sign the next call with. Never waits: refreshing runs ahead, in the background. */
  current(): TencentCredentials;
  /** Stops any background refreshing. */
  close(): void;
}

/** Credentials that never change (the environment, a profile file, a test). */
export function fixedCredentials(credentials: TencentCredentials, source = 'given'): CredentialProvider {
  return { source, rateLimitKey: credentials.secretId, current: () => credentials, close: () => undefined };
}

export function isCredentialProvider(value: TencentCredentials | CredentialProvider): value is CredentialProvider {
  return 'current' in value;
}
