/**
 * Debian's headless Chromium (`CHROMIUM_PATH`, /usr/bin/chromium by default), driven by
 * playwright-core: no test tool downloads a browser. Playwright gives every launch a fresh temporary
 * profile (user-data-dir).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_PATH } from '../../support/environment.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that records what it requested and the errors it threw, for the test to assert on. */
export async function watchedPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ page: Page; requested: string[]; pageErrors: string[] }> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000); // fail with the browser's reason, within vitest's 30 s
  const requested: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { page, requested, pageErrors };
}
