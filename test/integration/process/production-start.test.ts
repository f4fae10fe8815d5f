/**
 * `NODE_ENV=production` as an operator starts it, a real process: it starts with credentials from any
 * of Tencent's sources (the environment, the profile file, the instance's role) and refuses to start,
 * saying which sources it tried, only when none has them; it refuses without caller auth too. Each
 * process gets its own HOME (no profile file unless the test writes one) and a metadata service
 * stand-in, so nothing depends on the machine running the tests.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TencentSslSimulator } from '../../../src/simulator/simulator.js';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { deleteCSRs } from '../../support/gateway.js';
import { MetadataService } from '../../support/metadata-service.js';
import { spawnGateway, type NodeProcess as SpawnedGateway } from '../../support/process.js';

const CREDENTIALS = { TENCENTCLOUD_SECRET_ID: 'AKIDPRODTEST000000000000000000000000', TENCENTCLOUD_SECRET_KEY: 'prod-test-secret-key-000000000000' };
const API_KEY = 'prod-test-api-key-0123456789abcdef';
const AUTH = { AUTH_API_KEYS: API_KEY };
const BASE = { NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };

let home: string;
let metadata: MetadataService;
let metadataUrl: string;
let gateway: GatewayProcess | undefined;
let spawned: SpawnedGateway | undefined;
let simulator: TencentSslSimulator | undefined;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'gateway-home-'));
  metadata = new MetadataService();
  metadata.roleName = undefined; // an instance without a role, unless a test binds one
  metadataUrl = await metadata.listen();
});

afterEach(async () => {
  await gateway?.stop();
  gateway = undefined;
  spawned?.child.kill('SIGKILL');
  spawned = undefined;
  await simulator?.close();
  simulator = undefined;
  await metadata.close();
  await rm(home, { recursive: true, force: true });
});

/** The machine the process runs on: its HOME and its metadata service. */
const machine = (): Record<string, string> => ({ HOME: home, TENCENTCLOUD_METADATA_ENDPOINT: metadataUrl });

async function refusal(env: Record<string, string>): Promise<{ code: number | string; stderr: string }> {
  const process = spawnGateway({ ...BASE, ...machine(), ...env });
  const code = await process.exited;
  return { code, stderr: process.stderr() };
}

async function startSimulator(accounts: ConstructorParameters<typeof TencentSslSimulator>[0]['accounts']): Promise<string> {
  simulator = new TencentSslSimulator({ accounts, seed: { from: 1, to: 100 } });
  return simulator.listen();
}

const asCaller = { authorization: `Bearer ${API_KEY}` };

describe('a production start refuses', () => {
  it('without credentials from any source, naming the sources it tried and what to set', async () => {
    const { code, stderr } = await refusal(AUTH);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot start: NODE_ENV=production requires Tencent Cloud credentials/);
    for (const tried of [
      'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set',
      join(home, '.tencentcloud', 'credentials'),
      '/etc/tencentcloud/credentials',
      `no role is bound to this instance (${metadataUrl}cam/security-credentials/ answered 404)`,
    ]) {
      expect(stderr).toContain(tried);
    }
    expect(stderr).not.toContain('AUTH_');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('without auth, naming the auth variables', async () => {
    const { code, stderr } = await refusal(CREDENTIALS);
    expect(code).toBe(1);
    for (const variable of ['AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) expect(stderr).toContain(variable);
    expect(stderr).not.toContain('TENCENTCLOUD_');
  });

  it('without either, naming both, one line each', async () => {
    const { code, stderr } = await refusal({});
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(2);
    for (const variable of ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'AUTH_JWT_SECRET', 'AUTH_JWKS_URL', 'AUTH_API_KEYS']) {
      expect(stderr).toContain(variable);
    }
  });
});

describe('a production start succeeds', () => {
  it('with the profile file (~/.tencentcloud/credentials), and signs with it', async () => {
    const endpoint = await startSimulator({ AKIDPROFILE000000000000000000000000: { secretKey: 'profile-secret-key-0123456789' } });
    await mkdir(join(home, '.tencentcloud'));
    await writeFile(
      join(home, '.tencentcloud', 'credentials'),
      '[default]\nsecret_id = AKIDPROFILE000000000000000000000000\nsecret_key = profile-secret-key-0123456789\n',
    );
    gateway = await startGatewayProcess({ ...BASE, ...machine(), ...AUTH, TENCENTCLOUD_SSL_ENDPOINT: endpoint });
    expect(await deleteCSRs(gateway.graphqlUrl, [1, 2], asCaller)).toMatchObject({ deletedIds: [1, 2] });
    expect(simulator!.log.map((call) => call.secretId)).toEqual(['AKIDPROFILE000000000000000000000000']);
    expect(metadata.requests).toEqual([]);
  });

  it('with the instance role, sending its token, and never logging a key or a token', async () => {
    metadata.roleName = 'csr-gateway-role';
    const endpoint = await startSimulator({});
    metadata.onIssue = (issued) => simulator!.accounts.set(issued.TmpSecretId, { secretKey: issued.TmpSecretKey, sessionToken: issued.Token });
    spawned = spawnGateway({ ...BASE, ...machine(), ...AUTH, TENCENTCLOUD_SSL_ENDPOINT: endpoint, LOG_LEVEL: 'trace' });
    const ready = await spawned.waitForLine((line) => typeof line['port'] === 'number' && String(line.msg).includes('ready'));
    expect(spawned.lines.map((line) => line.msg)).toContain('Tencent Cloud credentials from the CVM/TKE role csr-gateway-role');

    expect(await deleteCSRs(`http://127.0.0.1:${String(ready['port'])}/graphql`, [3], asCaller)).toMatchObject({ deletedIds: [3] });
    const [issued] = metadata.issued;
    expect(simulator!.log.map((call) => [call.secretId, call.headers['x-tc-token']])).toEqual([[issued!.TmpSecretId, issued!.Token]]);

    spawned.child.kill('SIGTERM');
    expect(await spawned.exited).toBe(0);
    const log = spawned.lines.map((line) => JSON.stringify(line)).join('\n') + spawned.stderr();
    expect(log).not.toContain(issued!.TmpSecretKey);
    expect(log).not.toContain(issued!.Token);
  });
});
