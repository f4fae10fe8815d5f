/**
 * What a browser test of the example app against processes stands on: the built app served from its
 * own origin, a simulator process seeded with CSRs 1 to 20,000, a gateway process (src/main.ts) that
 * lets that origin in and keeps its audit journal in a temporary folder, and headless Chromium.
 * Gateway and browser start side by side: each takes seconds. `close` stops whatever started, so a
 * start that fails half-way leaves nothing running.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';
import { launchChromium } from './chromium.js';
import { serveWebApp, type WebApp } from './web-app-server.js';

export interface WebAppStack {
  readonly app: WebApp;
  readonly simulator: SimulatorProcess;
  readonly gateway: GatewayProcess;
  readonly browser: Browser;
  close(): Promise<void>;
}

export interface WebAppStackOptions {
  /** Names the temporary folder, so a leftover one says which test left it. */
  readonly name: string;
  /** The gateway's one API key (AUTH_API_KEYS). */
  readonly apiKey: string;
  /** The simulator's calls per second. */
  readonly rateLimit: number;
}

export async function startWebAppStack({ name, apiKey, rateLimit }: WebAppStackOptions): Promise<WebAppStack> {
  const started: { dataDir?: string; app?: WebApp; simulator?: SimulatorProcess; gateway?: GatewayProcess; browser?: Browser } = {};
  const close = async (): Promise<void> => {
    await started.browser?.close();
    await started.gateway?.stop();
    await started.simulator?.close();
    await started.app?.close();
    if (started.dataDir) await rm(started.dataDir, { recursive: true, force: true });
  };
  try {
    const dataDir = (started.dataDir = await mkdtemp(join(tmpdir(), `${name}-`)));
    const app = (started.app = await serveWebApp());
    const simulator = (started.simulator = await startSimulatorProcess({ seed: { from: 1, to: 20_000 }, rateLimit }));
    // Settled, not Promise.all: when one start fails the other has still finished (or failed) before `close`.
    const [gateway, browser] = await Promise.allSettled([
      startGatewayProcess({
        ...simulator.gatewayEnv,
        AUTH_API_KEYS: apiKey,
        CORS_ORIGINS: app.origin,
        AUDIT_DATA_DIR: join(dataDir, 'audit'),
      }).then((gateway) => (started.gateway = gateway)),
      launchChromium().then((browser) => (started.browser = browser)),
    ]);
    if (gateway.status === 'rejected') throw gateway.reason;
    if (browser.status === 'rejected') throw browser.reason;
    return { app, simulator, gateway: gateway.value, browser: browser.value, close };
  } catch (error) {
    await close();
    throw error;
  }
}
