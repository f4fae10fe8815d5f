/**
 * CVM/TKE role credentials from the instance metadata service (a stand-in on loopback, over HTTP):
 * found at start, refreshed ahead of expiry in the background, one refresh at a time, never a pause
 * in signing, a failed refresh survived, and no key or token in any log line. Timing runs on fake
 * timers (setTimeout and Date only: sockets stay real).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { REFRESH_LEAD_MS, startRoleCredentials, type RoleCredentialProvider } from '../../../src/tencent/role-credentials.js';
import { MetadataService } from '../../support/metadata-service.js';

const MINUTE = 60_000;

let metadata: MetadataService;
let endpoint: URL;
let provider: RoleCredentialProvider | undefined;
const logLines: string[] = [];
const logger = createLogger('debug', { write: (line: string) => void logLines.push(line) });

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: new Date('2026-03-01T00:00:00Z') });
  logLines.length = 0;
  metadata = new MetadataService();
  endpoint = new URL(await metadata.listen());
});

afterEach(async () => {
  provider?.close();
  provider = undefined;
  vi.useRealTimers();
  await metadata.close();
  // Whatever happened, no line held a key or a token.
  const log = logLines.join('\n');
  for (const issued of metadata.issued) {
    expect(log).not.toContain(issued.TmpSecretKey);
    expect(log).not.toContain(issued.Token);
  }
});

async function start(): Promise<RoleCredentialProvider> {
  const found = await startRoleCredentials({ endpoint, logger });
  if (!found.provider) throw new Error(`no role credentials: ${found.reason}`);
  provider = found.provider;
  return provider;
}

/** The credentials as the client would sign with them, for comparing with what the stand-in issued. */
function signingWith(credentials: { secretId: string; secretKey: string; sessionToken?: string }): string[] {
  return [credentials.secretId, credentials.secretKey, credentials.sessionToken ?? ''];
}
function issuedAs(n: number): string[] {
  const issued = metadata.issued[n - 1]!;
  return [issued.TmpSecretId, issued.TmpSecretKey, issued.Token];
}

describe('finding the role', () => {
  it('asks for the role name, then its credentials; the rate-limit key is the role, not the temporary SecretId', async () => {
    const role = await start();
    expect(metadata.requests).toEqual([
      '/latest/meta-data/cam/security-credentials/',
      '/latest/meta-data/cam/security-credentials/csr-gateway-role',
    ]);
    expect(signingWith(role.current())).toEqual(issuedAs(1));
    expect(role.source).toBe('CVM/TKE role csr-gateway-role');
    expect(role.rateLimitKey).toBe('role:csr-gateway-role');
  });

  it('an instance without a role yields nothing, and says so', async () => {
    metadata.roleName = undefined;
    const found = await startRoleCredentials({ endpoint, logger });
    expect(found.provider).toBeUndefined();
    expect(found).toMatchObject({ reason: expect.stringContaining('no role is bound') });
  });

  it('a metadata service that cannot be reached yields nothing, and says where it looked', async () => {
    await metadata.close();
    const found = await startRoleCredentials({ endpoint, logger });
    expect(found).toMatchObject({ reason: expect.stringContaining(endpoint.href) });
    metadata = new MetadataService(); // for afterEach
  });

  it('credentials the service refuses (Code other than Success) yield nothing', async () => {
    metadata.failWith = 500;
    const found = await startRoleCredentials({ endpoint, logger });
    expect(found).toMatchObject({ reason: expect.stringContaining('HTTP 500') });
  });
});

describe('refreshing', () => {
  it('refreshes 5 minutes before ExpiredTime, in the background', async () => {
    metadata.lifetimeMs = 60 * MINUTE;
    const role = await start();
    await vi.advanceTimersByTimeAsync(60 * MINUTE - REFRESH_LEAD_MS - 1);
    expect(metadata.credentialRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await role.settled(); // the refresh the timer started
    expect(metadata.credentialRequests).toBe(2);
    expect(signingWith(role.current())).toEqual(issuedAs(2));
  });

  it('refreshes short-lived credentials at half their lifetime', async () => {
    metadata.lifetimeMs = 2 * MINUTE;
    const role = await start();
    await vi.advanceTimersByTimeAsync(MINUTE - 1);
    expect(metadata.credentialRequests).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await role.settled();
    expect(signingWith(role.current())).toEqual(issuedAs(2));
    // And the next refresh is scheduled from the new ExpiredTime.
    await vi.advanceTimersByTimeAsync(MINUTE);
    await role.settled();
    expect(signingWith(role.current())).toEqual(issuedAs(3));
  });

  it('never makes signing wait, and never runs two refreshes at once', async () => {
    const role = await start();
    const release = metadata.hold();
    const refreshes = [role.refresh(), role.refresh(), role.refresh()];
    await vi.waitFor(() => expect(metadata.requests).toHaveLength(3));
    // While the metadata service keeps the refresh waiting, signing goes on with the credentials in hand.
    expect(signingWith(role.current())).toEqual(issuedAs(1));
    expect(role.refresh()).toBe(refreshes[0]);
    release();
    await Promise.all(refreshes);
    expect(metadata.credentialRequests).toBe(2);
    expect(signingWith(role.current())).toEqual(issuedAs(2));
  });

  it('keeps the still-valid credentials when a refresh fails, and retries with backoff until one succeeds', async () => {
    metadata.lifetimeMs = 60 * MINUTE;
    const role = await start();
    metadata.failWith = 503;
    await vi.advanceTimersByTimeAsync(60 * MINUTE - REFRESH_LEAD_MS);
    await role.settled();
    expect(metadata.credentialRequests).toBe(2);
    expect(signingWith(role.current())).toEqual(issuedAs(1));
    expect(logLines.some((line) => line.includes('could not be refreshed') && line.includes('"level":40'))).toBe(true);

    // 1 s, then 2 s, then 4 s later: each retry once, not before.
    for (const [delay, requests] of [
      [1_000, 3],
      [2_000, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(metadata.credentialRequests).toBe(requests - 1);
      await vi.advanceTimersByTimeAsync(1);
      await role.settled();
      expect(metadata.credentialRequests).toBe(requests);
    }
    metadata.failWith = undefined;
    await vi.advanceTimersByTimeAsync(4_000);
    await role.settled();
    expect(metadata.credentialRequests).toBe(5);
    expect(signingWith(role.current())).toEqual(issuedAs(2));
    expect(role.expiresAt).toBe(metadata.issued[1]!.ExpiredTime * 1000);
  });

  it('says so at error level once the credentials it keeps have expired', async () => {
    metadata.lifetimeMs = 2 * MINUTE;
    const role = await start();
    metadata.failWith = 500;
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    await role.settled();
    expect(logLines.some((line) => line.includes('expired and could not be refreshed') && line.includes('"level":50'))).toBe(true);
  });

  it('stops refreshing when closed', async () => {
    metadata.lifetimeMs = 2 * MINUTE;
    const role = await start();
    role.close();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(metadata.credentialRequests).toBe(1);
  });
});
