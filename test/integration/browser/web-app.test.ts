/**
 * The example frontend (examples/web/) in a real browser: built with Vite, served by Vite's preview
 * server from another origin than the gateway (so CORS is on the real path), and driven in headless
 * Chromium the way a person uses it. Each ID's outcome must show on the page: deleted, not deleted,
 * unknown, and each error with its message and RequestId; a caller without a token sees the
 * gateway's refusal. Leaves a screenshot in test-artifacts/web-app.png.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ACTIONS } from '../../../src/tencent/read-client.js';
import { startRig, type Rig } from '../../support/gateway.js';
import { launchChromium, watchedPage } from './chromium.js';
import { screenshot, serveWebApp, type WebApp } from './web-app-server.js';

const SCREENSHOT = 'test-artifacts/web-app.png';
const API_KEY = 'web-app-key-0123456789abcdef';
/** An ID the simulator's Tencent rejects as malformed (InvalidParameter.InvalidCSRId, with a RequestId). */
const MALFORMED_ID = 77;
/** An ID whose first call's answer is lost after Tencent applied it. */
const LOST_ANSWER_ID = 5;

let app: WebApp;
let appUrl: string;
let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  app = await serveWebApp();
  appUrl = app.url;
  [rig, browser] = await Promise.all([
    startRig({
      env: {
        AUTH_API_KEYS: API_KEY,
        // Allowed explicitly, for when the gateway's CORS is not permissive by default.
        CORS_ORIGINS: new URL(appUrl).origin,
      },
      simulator: { invalidIds: [MALFORMED_ID] },
    }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
  await app?.close();
});

/** Fills the form as a person would and presses Delete; resolves once the page has an answer. */
async function deleteThroughThePage(page: Page, ids: string, token: string): Promise<string> {
  await page.getByLabel('Gateway').fill(rig.url);
  await page.getByLabel('Token').fill(token);
  await page.getByLabel('CSR IDs').fill(ids);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const status = page.locator('#status');
  await expect.poll(() => status.textContent(), { timeout: 10_000 }).not.toMatch(/^Deleting/);
  return (await status.textContent()) ?? '';
}

/** The outcome table as the user reads it: one array of cell texts per row. */
async function tableRows(page: Page): Promise<string[][]> {
  return page.locator('#outcomes tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? '')),
  );
}

describe('the example web app in a browser', () => {
  it("deletes the IDs a person types and shows each one's outcome, errors with their message and RequestId", async () => {
    const { page, requested, pageErrors } = await watchedPage(browser, { width: 1280, height: 720 });
    await page.goto(appUrl);

    // Without a token: the gateway's refusal, and nothing sent to Tencent.
    expect(await deleteThroughThePage(page, '1, 2', '')).toMatch(/^The gateway refused: UNAUTHENTICATED: /);
    expect(rig.simulator.log).toEqual([]);

    // A lost answer: Tencent deleted the ID but its answer never came, the read side cannot check it
    // (refused for the moment), and the retry's answer cannot say whether it was this mutation that
    // deleted it: the page says it does not know.
    for (const action of READ_ACTIONS) rig.simulator.inject({ kind: 'error', code: 'UnauthorizedOperation' }, { times: 1, action });
    rig.simulator.inject({ kind: 'dropAfterApply' }, { times: 1, whenIds: [LOST_ANSWER_ID] });
    expect(await deleteThroughThePage(page, String(LOST_ANSWER_ID), API_KEY)).toBe('0 deleted, 0 not deleted, 1 unknown, 0 failed.');
    expect(await tableRows(page)).toEqual([[String(LOST_ANSWER_ID), 'unknown', '', '', '']]);

    // Pasted IDs, one a line and with commas: deleted, no such CSR, refused before sending, refused by Tencent.
    const status = await deleteThroughThePage(page, `1, 2\n999999\n0 ${MALFORMED_ID} 2`, API_KEY);
    expect(status).toBe('2 deleted, 1 not deleted, 0 unknown, 2 failed.');
    const rows = await tableRows(page);
    expect(rows).toEqual([
      ['1', 'deleted', '', '', ''],
      ['2', 'deleted', '', '', ''],
      ['999999', 'not deleted', '', '', ''],
      ['0', 'failed', 'InvalidCSRIdError (Gateway.InvalidCSRId)', 'CSR IDs are positive integers; nothing was sent for these.', '—'],
      [String(MALFORMED_ID), 'failed', 'InvalidCSRIdError (InvalidParameter.InvalidCSRId)', `Incorrect CSR ID: ${MALFORMED_ID}.`, expect.any(String)],
    ]);
    // The RequestId shown is that of a Tencent call that refused the ID.
    const refusals = rig.simulator.log.filter((call) => call.ids.includes(MALFORMED_ID) && call.outcome === 'InvalidParameter.InvalidCSRId');
    expect(refusals.map((call) => call.requestId)).toContain(rows[4]![4]);
    for (const id of [1, 2]) expect(rig.simulator.store.has(id)).toBe(false);
    expect(await page.locator('#request-ids').textContent()).toMatch(/^Tencent RequestIds: /);

    await screenshot(page, SCREENSHOT);

    expect(pageErrors).toEqual([]);
    // The page's own files from its origin; GraphQL (with CORS preflights) from the gateway's; nothing else.
    const origins = new Set(requested.map((url) => new URL(url).origin));
    expect([...origins].sort()).toEqual([new URL(appUrl).origin, new URL(rig.url).origin].sort());
    await page.close();
  });
});
