/**
 * Start-up failures an operator can act on, as a real process shows them: one line on stderr that
 * names the variable and what to do, no stack trace, exit status 1.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnGateway, spawnNode, START_TIMEOUT_MS } from '../../support/process.js';

/** Development mode, with nothing for the credential sources to find on this machine. */
const DEV = {
  NODE_ENV: 'development',
  HOME: '/nonexistent-home',
  // A closed port on loopback: the role lookup fails at once instead of asking the network.
  TENCENTCLOUD_METADATA_ENDPOINT: 'http://127.0.0.1:9/latest/meta-data/',
};

let occupier: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (occupier ? occupier.close(() => resolve()) : resolve()));
  occupier = undefined;
});

async function failedStart(env: Record<string, string>): Promise<string> {
  const gateway = spawnGateway({ ...DEV, ...env });
  expect(await gateway.exited).toBe(1);
  const stderr = gateway.stderr();
  expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^Cannot start: /);
  expect(stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
  expect(gateway.lines.some((line) => String(line.msg).includes('ready'))).toBe(false);
  return stderr;
}

describe('the gateway will not start, and says what to do, when', () => {
  it('PORT is already in use', async () => {
    occupier = createServer();
    await new Promise<void>((resolve) => occupier!.listen(0, '127.0.0.1', resolve));
    const { port } = occupier.address() as AddressInfo;
    const stderr = await failedStart({ PORT: String(port), HOST: '127.0.0.1' });
    expect(stderr).toContain(`PORT=${port} is already in use on HOST=127.0.0.1`);
    expect(stderr).toContain('set PORT to a free port');
  });

  it('HOST is not an address of this machine', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never a local address.
    const stderr = await failedStart({ PORT: '0', HOST: '192.0.2.1' });
    expect(stderr).toContain('HOST=192.0.2.1 is not an address of this machine');
  });

  it('HOST does not resolve', async () => {
    const stderr = await failedStart({ PORT: '0', HOST: 'gateway-host.invalid' });
    expect(stderr).toContain('HOST=gateway-host.invalid does not resolve');
  });

  it('NODE_ENV is a typo (prod), which would otherwise start in simulator mode with auth off', async () => {
    const stderr = await failedStart({ PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'prod' });
    expect(stderr).toContain('NODE_ENV: "prod" is not a known environment: set NODE_ENV=production');
  });
});

describe('safe by default (issue 24), as `npm start` runs', () => {
  it('refuses to sign with a profile file found in HOME while auth is off, whatever NODE_ENV says', async () => {
    const home = await mkdtemp(join(tmpdir(), 'gateway-home-'));
    try {
      await mkdir(join(home, '.tencentcloud'));
      await writeFile(
        join(home, '.tencentcloud', 'credentials'),
        '[default]\nsecret_id = AKIDPROFILE0000000000000000000000000\nsecret_key = profile-secret-key-0000000000000000\n',
      );
      for (const NODE_ENV of ['development', 'test']) {
        const stderr = await failedStart({ NODE_ENV, PORT: '0', HOME: home });
        expect(stderr).toContain(
          `Cannot start: Tencent Cloud credentials were found (profile file ${join(home, '.tencentcloud', 'credentials')}) but no caller authentication is configured`,
        );
        expect(stderr).not.toContain('profile-secret-key');
      }
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('with nothing found and HOST unset, serves the simulator on loopback only', async () => {
    const gateway = spawnGateway({ ...DEV, PORT: '0' });
    try {
      const ready = await gateway.waitForLine((line) => String(line.msg).includes('ready'), START_TIMEOUT_MS);
      expect(ready['host']).toBe('127.0.0.1');
      const other = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal);
      if (other) {
        // Not reachable on the machine's other addresses.
        await expect(fetch(`http://${other.address}:${String(ready['port'])}/health`)).rejects.toThrow();
      }
      expect((await fetch(`http://127.0.0.1:${String(ready['port'])}/health`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it.each([
    ['AUDIT_DATABASE_URL', 'postgres://gateway:pa/ss-hunter2@db.internal:99999/audit'],
    ['AUDIT_DATABASE_URL', 'postgres://gateway:hunter2@127.0.0.1:99999/audit'],
    ['REDIS_URL', 'redis://:hunter2@redis.internal:99999'],
  ])('a malformed %s: one line naming it, never its password', async (name, value) => {
    const stderr = await failedStart({ PORT: '0', [name]: value });
    expect(stderr).toMatch(new RegExp(`^Cannot start: ${name}: must be a`));
    expect(stderr).not.toContain('hunter2');
  });

  it('PORT=abc and TENCENTCLOUD_RATE_LIMIT=0 say what to set', async () => {
    expect(await failedStart({ PORT: 'abc' })).toBe('Cannot start: PORT: must be a port number from 0 to 65535 (0: any free port), e.g. 4000\n');
    expect(await failedStart({ PORT: '0', TENCENTCLOUD_RATE_LIMIT: '0' })).toMatch(
      /^Cannot start: TENCENTCLOUD_RATE_LIMIT: must be a whole number of at least 1, e\.g\. 10 \(Tencent's limit/,
    );
  });

  it('a missing PERSISTED_DOCUMENTS file is one line', async () => {
    const stderr = await failedStart({ PORT: '0', PERSISTED_DOCUMENTS: '/nonexistent/persisted-documents.json' });
    expect(stderr).toContain('Cannot start: PERSISTED_DOCUMENTS: cannot read /nonexistent/persisted-documents.json as JSON (ENOENT)');
  });

  it('--help prints usage and starts nothing', async () => {
    const gateway = spawnNode('src/main.ts', { ...DEV, PORT: '0' }, ['--help']);
    expect(await gateway.exited).toBe(0);
    expect(gateway.lines.map((line) => line.msg).join('\n')).toContain('Usage: npm start');
    expect(gateway.lines.some((line) => String(line.msg).includes('ready'))).toBe(false);
  });
});
