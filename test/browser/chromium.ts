/**
 * Debian's headless Chromium (`CHROMIUM_PATH`, /usr/bin/chromium by default), driven by
 * playwright-core: no test tool downloads a browser. Playwright gives every launch a fresh temporary
 * profile (user-data-dir).
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from '../support/environment.js';

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
