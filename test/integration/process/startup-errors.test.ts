/**
 * Start-up failures an operator can act on, as a real process shows them: one line on stderr that
 * names the variable and what to do, no stack trace, exit status 1.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnGateway } from '../../support/process.js';

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
