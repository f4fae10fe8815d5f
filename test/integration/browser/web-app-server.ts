/**
 * The example frontend (examples/web/) as a person gets it: built with Vite into a temporary folder
 * and served by Vite's preview server on a port of its own, another origin than the gateway's (so
 * CORS is on the real path). Also what its screenshots must be to count as the page, not a blank one.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { expect } from 'vitest';

const WEB_ROOT = fileURLToPath(new URL('../../../examples/web/', import.meta.url));

export interface WebApp {
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

export async function serveWebApp(): Promise<WebApp> {
  const outDir = await mkdtemp(join(tmpdir(), 'web-app-'));
  await build({ root: WEB_ROOT, configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const app = await preview({
    root: WEB_ROOT,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const url = app.resolvedUrls?.local[0] ?? '';
  return {
    url,
    origin: new URL(url).origin,
    async close() {
      await app.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a full-page screenshot under test-artifacts/ (gitignored) and checks it is a picture of a
 * page: a PNG at least the viewport's width, and too large to be one colour (a blank page compresses
 * to a few KB).
 */
export async function screenshot(page: Page, path: string): Promise<void> {
  await mkdir('test-artifacts', { recursive: true });
  await page.screenshot({ path, fullPage: true });
  const png = await readFile(path);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(width).toBe(page.viewportSize()?.width);
  expect(height).toBeGreaterThanOrEqual(page.viewportSize()?.height ?? 0);
  expect(png.length).toBeGreaterThan(20_000);
}
