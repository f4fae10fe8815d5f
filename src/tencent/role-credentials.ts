/**
 * Temporary credentials of the role bound to a CVM instance (or a TKE node), from the instance
 * metadata service: `cam/security-credentials/` names the role, `cam/security-credentials/<role>`
 * answers `{"Code":"Success","TmpSecretId","TmpSecretKey","Token","ExpiredTime"}` (Unix seconds).
 *
 * Tencent's SDKs refresh when a call finds the credentials about to expire, and that call waits for
 * the metadata service (tencentcloud-sdk-go under a mutex, 300 s ahead; tencentcloud-sdk-nodejs 30 s
 * ahead). Here a timer refreshes in the background instead, so signing never waits:
 *
 *   - `current()` always returns the newest credentials at once;
 *   - the refresh runs 5 minutes before `ExpiredTime`, or at half the remaining lifetime when that is
 *     shorter (`refreshDelay`);
 *   - there is never more than one refresh in flight (`refresh()` joins the one running);
 *   - a failed refresh keeps the credentials it has (still valid, most likely: there was time left)
 *     and tries again with exponential backoff, saying so in the log.
 *
 * Nothing here logs a key or a token, and no error message carries the metadata service's answer.
 */
import { request } from 'undici';
import type { TencentCredentials } from '../config.js';
import type { Logger } from '../logger.js';
import type { CredentialProvider } from './credential-provider.js';

/** The metadata service is on the instance's own network: it answers in milliseconds, or not at all. */
export const METADATA_TIMEOUT_MS = 2_000;
/** How long before expiry a refresh is due (tencentcloud-sdk-go's ExpiredTimeout). */
export const REFRESH_LEAD_MS = 5 * 60_000;
const MIN_REFRESH_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 60_000;

/** How long to wait before refreshing credentials that expire in `remainingMs`. */
export function refreshDelay(remainingMs: number): number {
  const delay = remainingMs > 2 * REFRESH_LEAD_MS ? remainingMs - REFRESH_LEAD_MS : remainingMs / 2;
  return Math.max(MIN_REFRESH_DELAY_MS, Math.floor(delay));
}

/** How long to wait after the `failures`-th failed refresh in a row: 1 s, 2 s, 4 s, … at most a minute. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** Math.max(0, failures - 1));
}

interface RoleCredentials extends TencentCredentials {
  /** Unix ms. */
  readonly expiresAt: number;
}

export class RoleCredentialProvider implements CredentialProvider {
  readonly source: string;
  readonly rateLimitKey: string;
  readonly #endpoint: URL;
  readonly #roleName: string;
  readonly #logger: Logger;
  #credentials: RoleCredentials;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;

  constructor(options: { endpoint: URL; roleName: string; credentials: RoleCredentials; logger: Logger }) {
    this.#endpoint = options.endpoint;
    this.#roleName = options.roleName;
    this.#credentials = options.credentials;
    this.#logger = options.logger.child({ component: 'role-credentials', role: options.roleName });
    this.source = `CVM/TKE role ${options.roleName}`;
    this.rateLimitKey = `role:${options.roleName}`;
    this.#schedule(refreshDelay(this.#credentials.expiresAt - Date.now()));
  }

  current(): TencentCredentials {
    return this.#credentials;
  }

  /** When the credentials `current()` returns expire, in Unix ms. */
  get expiresAt(): number {
    return this.#credentials.expiresAt;
  }

  /** Fetches fresh credentials now, or joins the fetch already running. Never rejects. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Resolves once no refresh is running (at once when none is). */
  settled(): Promise<void> {
    return this.#refreshing ?? Promise.resolve();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #refreshOnce(): Promise<void> {
    try {
      const fresh = await fetchRoleCredentials(this.#endpoint, this.#roleName);
      this.#credentials = fresh;
      this.#failures = 0;
      this.#logger.info({ expiresAt: new Date(fresh.expiresAt).toISOString() }, 'role credentials refreshed');
      this.#schedule(refreshDelay(fresh.expiresAt - Date.now()));
    } catch (error) {
      this.#failures += 1;
      const retryInMs = retryDelay(this.#failures);
      const expired = this.#credentials.expiresAt <= Date.now();
      this.#logger[expired ? 'error' : 'warn'](
        { reason: reasonOf(error), failures: this.#failures, retryInMs, expiresAt: new Date(this.#credentials.expiresAt).toISOString() },
        expired
          ? 'role credentials expired and could not be refreshed: Tencent will refuse calls until the metadata service answers'
          : 'role credentials could not be refreshed; signing with the current ones, which are still valid',
      );
      this.#schedule(retryInMs);
    }
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#closed) return;
    // Unref'd: a pending refresh must not keep a stopping process alive.
    this.#timer = setTimeout(() => void this.refresh(), delayMs).unref();
  }
}

export type RoleLookup = { readonly provider: RoleCredentialProvider } | { readonly provider?: undefined; readonly reason: string };

/** Asks the metadata service for the instance's role and its first credentials. */
export async function startRoleCredentials(options: { endpoint: URL; logger: Logger }): Promise<RoleLookup> {
  const rolesUrl = new URL('cam/security-credentials/', options.endpoint);
  let roleName: string;
  try {
    const answer = await get(rolesUrl);
    if (answer.status === 404) return { reason: `no role is bound to this instance (${rolesUrl.href} answered 404)` };
    if (answer.status !== 200) return { reason: `${rolesUrl.href} answered HTTP ${answer.status}` };
    roleName = answer.body.split('\n')[0]?.trim() ?? '';
    if (roleName === '') return { reason: `${rolesUrl.href} named no role` };
  } catch (error) {
    return { reason: `the metadata service at ${options.endpoint.href} could not be reached (${reasonOf(error)})` };
  }
  try {
    const credentials = await fetchRoleCredentials(options.endpoint, roleName);
    return { provider: new RoleCredentialProvider({ endpoint: options.endpoint, roleName, credentials, logger: options.logger }) };
  } catch (error) {
    return { reason: `role ${roleName}: ${reasonOf(error)}` };
  }
}

async function fetchRoleCredentials(endpoint: URL, roleName: string): Promise<RoleCredentials> {
  const url = new URL(`cam/security-credentials/${encodeURIComponent(roleName)}`, endpoint);
  const answer = await get(url);
  if (answer.status !== 200) throw new MetadataError(`${url.href} answered HTTP ${answer.status}`);
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    throw new MetadataError(`${url.href} answered with something that is not JSON`);
  }
  const field = (name: string): unknown => (typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined);
  const code = field('Code');
  if (code !== 'Success') throw new MetadataError(`${url.href} answered Code ${typeof code === 'string' ? code : 'missing'}`);
  const [secretId, secretKey, token, expiredTime] = [field('TmpSecretId'), field('TmpSecretKey'), field('Token'), field('ExpiredTime')];
  if (typeof secretId !== 'string' || typeof secretKey !== 'string' || typeof token !== 'string' || !secretId || !secretKey || !token) {
    throw new MetadataError(`${url.href} answered without TmpSecretId, TmpSecretKey or Token`);
  }
  if (typeof expiredTime !== 'number' || !Number.isFinite(expiredTime)) throw new MetadataError(`${url.href} answered without ExpiredTime`);
  const expiresAt = expiredTime * 1000;
  if (expiresAt <= Date.now()) throw new MetadataError(`${url.href} answered with credentials that have already expired`);
  return { secretId, secretKey, sessionToken: token, expiresAt };
}

class MetadataError extends Error {}

async function get(url: URL): Promise<{ status: number; body: string }> {
  const response = await request(url, {
    method: 'GET',
    signal: AbortSignal.timeout(METADATA_TIMEOUT_MS),
    headersTimeout: METADATA_TIMEOUT_MS,
    bodyTimeout: METADATA_TIMEOUT_MS,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** A short reason for a log line or a start-up message: our own message, or the error's code. */
function reasonOf(error: unknown): string {
  if (error instanceof MetadataError) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${METADATA_TIMEOUT_MS} ms`;
  return error instanceof Error ? error.name : 'unknown error';
}
