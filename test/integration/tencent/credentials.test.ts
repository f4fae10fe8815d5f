/**
 * The credential sources in Tencent's order — environment, profile file (the user's, else the
 * system's), instance role — with real files in a scratch directory and the metadata service's
 * stand-in on loopback.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { resolveCredentials } from '../../../src/tencent/credentials.js';
import { defaultProfileFiles, readProfileCredentials } from '../../../src/tencent/profile-credentials.js';
import { MetadataService } from '../../support/metadata-service.js';

const logger = createLogger('silent');
let scratch: string;
let userFile: string;
let systemFile: string;
let metadata: MetadataService;
let metadataEndpoint: URL;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tencent-credentials-'));
  [userFile, systemFile] = [join(scratch, 'home', '.tencentcloud', 'credentials'), join(scratch, 'etc', 'credentials')];
  metadata = new MetadataService();
  metadataEndpoint = new URL(await metadata.listen());
});

afterEach(async () => {
  await metadata.close();
  await rm(scratch, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

const resolve = (environment?: { secretId: string; secretKey: string }) =>
  resolveCredentials({ environment, profileFiles: [userFile, systemFile], metadataEndpoint, logger });

describe('the profile file', () => {
  it('is looked for where Tencent’s SDKs look: ~/.tencentcloud/credentials, then /etc/tencentcloud/credentials', () => {
    expect(defaultProfileFiles('/home/ops')).toEqual(['/home/ops/.tencentcloud/credentials', '/etc/tencentcloud/credentials']);
  });

  it('gives secret_id, secret_key and token from [default], as tccli writes it', async () => {
    await write(
      userFile,
      '; written by tccli\n[default]\nsecret_id = AKIDPROFILE0000000000000000000000000\nsecret_key = profile-secret-key\ntoken = "session-token"\n\n[other]\nsecret_id = AKIDOTHER\n',
    );
    expect(await readProfileCredentials([userFile, systemFile])).toEqual({
      credentials: { secretId: 'AKIDPROFILE0000000000000000000000000', secretKey: 'profile-secret-key', sessionToken: 'session-token' },
      path: userFile,
    });
  });

  it('falls back to the system file when the user has none', async () => {
    await write(systemFile, '[default]\nsecret_id=AKIDSYSTEM\nsecret_key=system-key\n');
    expect(await readProfileCredentials([userFile, systemFile])).toMatchObject({ credentials: { secretId: 'AKIDSYSTEM' }, path: systemFile });
  });

  it('reads only the first file that exists, and says what it lacks', async () => {
    await write(userFile, '[other]\nsecret_id=AKIDOTHER\nsecret_key=other-key\n');
    await write(systemFile, '[default]\nsecret_id=AKIDSYSTEM\nsecret_key=system-key\n');
    expect(await readProfileCredentials([userFile, systemFile])).toEqual({
      reason: `${userFile} has no secret_id and secret_key in its [default] section`,
    });
  });

  it('says none exists when none does', async () => {
    expect(await readProfileCredentials([userFile, systemFile])).toEqual({ reason: `none of ${userFile}, ${systemFile} exists` });
  });
});

describe('the order of the sources', () => {
  it('the environment comes first, and nothing else is asked', async () => {
    await write(userFile, '[default]\nsecret_id=AKIDPROFILE\nsecret_key=profile-key\n');
    const { provider } = await resolve({ secretId: 'AKIDENV', secretKey: 'env-key' });
    expect(provider?.source).toBe('environment');
    expect(provider?.current()).toEqual({ secretId: 'AKIDENV', secretKey: 'env-key' });
    expect(metadata.requests).toEqual([]);
  });

  it('then the profile file, before the instance role', async () => {
    await write(userFile, '[default]\nsecret_id=AKIDPROFILE\nsecret_key=profile-key\n');
    const { provider } = await resolve();
    expect(provider?.source).toBe(`profile file ${userFile}`);
    expect(provider?.rateLimitKey).toBe('AKIDPROFILE');
    expect(metadata.requests).toEqual([]);
  });

  it('then the role the instance carries', async () => {
    const { provider, tried } = await resolve();
    try {
      expect(provider?.source).toBe('CVM/TKE role csr-gateway-role');
      expect(provider?.current().sessionToken).toBe(metadata.issued[0]!.Token);
      expect(tried).toEqual([
        'environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set',
        `profile file: none of ${userFile}, ${systemFile} exists`,
        'CVM/TKE role csr-gateway-role: found',
      ]);
    } finally {
      provider?.close();
    }
  });

  it('with none, says what each source gave', async () => {
    metadata.roleName = undefined;
    const { provider, tried } = await resolve();
    expect(provider).toBeUndefined();
    expect(tried).toHaveLength(3);
    expect(tried[2]).toMatch(/^CVM\/TKE role: no role is bound to this instance/);
  });
});
