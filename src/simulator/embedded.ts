/**
 * The simulator as `npm start` runs it when no credentials are configured outside production: a
 * throwaway account, IDs 1–100000 seeded, listening on loopback only.
 */
import { randomBytes } from 'node:crypto';
import type { TencentCredentials } from '../config.js';
import { TencentSslSimulator } from './simulator.js';

/**
 * The development account of `npm run simulator` (and compose's simulator), fixed and published in
 * docs/contract.md §2 so that a gateway, a script or the Tencent SDK can talk to a simulator started
 * elsewhere. Not a secret: it opens nothing but a simulator, and Tencent Cloud rejects it.
 */
export const DEVELOPMENT_CREDENTIALS: TencentCredentials = {
  secretId: 'AKIDsimulatorDevelopmentOnly00000000',
  secretKey: 'simulator-development-key-not-a-secret',
};

export const DEMO_CREDENTIALS: TencentCredentials = {
  secretId: 'AKIDSIMULATOR0000000000000000000000',
  secretKey: randomBytes(16).toString('hex'),
};

export async function startEmbeddedSimulator(
  credentials: TencentCredentials,
  options: { port?: number; host?: string; rateLimit?: number; readRateLimit?: number } = {},
): Promise<{ url: string; simulator: TencentSslSimulator }> {
  const simulator = new TencentSslSimulator({
    accounts: {
      [credentials.secretId]: {
        secretKey: credentials.secretKey,
        ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      },
    },
    seed: { from: 1, to: 100_000 },
    rateLimit: options.rateLimit ?? 10,
    readRateLimit: options.readRateLimit ?? 10,
    maxLogEntries: 10_000,
  });
  const url = await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return { url, simulator };
}
