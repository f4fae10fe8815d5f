/**
 * A gateway signing with a role's temporary credentials, end to end: the metadata service's stand-in
 * issues them, the simulator accepts them only with their token (X-TC-Token), and a refresh swaps
 * them under a running gateway — while its rate-limit bucket stays the role's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import type { RateLimiter } from '../../../src/engine/types.js';
import { createLogger } from '../../../src/logger.js';
import { startRoleCredentials, type RoleCredentialProvider } from '../../../src/tencent/role-credentials.js';
import { deleteCSRs, startRig, type Rig } from '../../support/gateway.js';
import { MetadataService, type IssuedCredentials } from '../../support/metadata-service.js';

let metadata: MetadataService;
let role: RoleCredentialProvider;
let rig: Rig;
const limiterKeys: string[] = [];

beforeEach(async () => {
  metadata = new MetadataService();
  const endpoint = new URL(await metadata.listen());
  const found = await startRoleCredentials({ endpoint, logger: createLogger('silent') });
  if (!found.provider) throw new Error(found.reason);
  role = found.provider;
  const spacing = new LocalSpacingLimiter({ callsPerSecond: 10 });
  const limiter: RateLimiter = {
    acquire: (key, until) => {
      limiterKeys.push(key);
      return spacing.acquire(key, until);
    },
  };
  limiterKeys.length = 0;
  rig = await startRig({ credentials: role, limiter });
  // Tencent honours temporary credentials only with their token: so does the simulator.
  const open = (issued: IssuedCredentials): void => {
    rig.simulator.accounts.set(issued.TmpSecretId, { secretKey: issued.TmpSecretKey, sessionToken: issued.Token });
  };
  metadata.issued.forEach(open);
  metadata.onIssue = open;
});

afterEach(async () => {
  role.close();
  await rig.close();
  await metadata.close();
});

describe('signing with role credentials', () => {
  it('sends the temporary SecretId and its token, and keys the rate limit by the role', async () => {
    expect(await deleteCSRs(rig.url, [11])).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [11] });
    const [call] = rig.simulator.log;
    expect(call?.secretId).toBe(metadata.issued[0]!.TmpSecretId);
    expect(call?.headers['x-tc-token']).toBe(metadata.issued[0]!.Token);
    expect(limiterKeys).toEqual(['role:csr-gateway-role']);
  });

  it('signs with the refreshed credentials at once, in the same bucket, after the old ones are revoked', async () => {
    await deleteCSRs(rig.url, [21]);
    await role.refresh();
    rig.simulator.accounts.delete(metadata.issued[0]!.TmpSecretId);

    expect(await deleteCSRs(rig.url, [22])).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [22] });
    expect(rig.simulator.log.map((call) => call.secretId)).toEqual([metadata.issued[0]!.TmpSecretId, metadata.issued[1]!.TmpSecretId]);
    expect(rig.simulator.log[1]?.headers['x-tc-token']).toBe(metadata.issued[1]!.Token);
    expect(limiterKeys).toEqual(['role:csr-gateway-role', 'role:csr-gateway-role']);
  });

  it('a token Tencent does not honour is refused (AuthFailure.TokenFailure), not retried', async () => {
    const issued = metadata.issued[0]!;
    rig.simulator.accounts.set(issued.TmpSecretId, { secretKey: issued.TmpSecretKey, sessionToken: 'a-token-issued-later' });
    expect(await deleteCSRs(rig.url, [31])).toMatchObject({ __typename: 'AuthFailureError', code: 'AuthFailure.TokenFailure', csrIds: [31] });
    expect(rig.simulator.log).toHaveLength(1);
    expect(rig.simulator.store.has(31)).toBe(true);
  });
});
