/**
 * GraphiQL in a real browser (Debian's headless Chromium driven by playwright-core): `GET /graphql`
 * opens GraphiQL with the example mutation, running it deletes the CSRs in the simulator and shows
 * the result, the docs explorer shows the schema, and nothing is fetched from outside the gateway,
 * so it works offline. Leaves a screenshot in test-artifacts/graphiql.png.
 */
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../support/environment.js';
import { startRig, type Rig } from '../support/gateway.js';

const SCREENSHOT = 'test-artifacts/graphiql.png';

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  [rig, browser] = await Promise.all([
    startRig(),
    chromium.launch({
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
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

/** The text of a Monaco editor pane, as the user sees it. */
async function paneText(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
}

describe('GraphiQL in a browser', () => {
  it('opens with the example mutation, runs it, shows the result and the schema docs, all offline', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(15_000); // fail with the browser's reason, within vitest's 30 s
    const requested: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(rig.url);
    const runButton = page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' });
    await runButton.waitFor();
    await page.locator('.graphiql-query-editor').getByText('batchDeleteCSRs').first().waitFor();
    expect(await paneText(page, '.graphiql-query-editor')).toContain('batchDeleteCSRs(ids: [1, 2, 3])');

    await runButton.click();
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('deletedIds'));
    const shown = JSON.parse(await paneText(page, '.graphiql-response')) as { data: { batchDeleteCSRs: Record<string, unknown> } };
    expect(shown.data.batchDeleteCSRs).toMatchObject({
      __typename: 'BatchDeleteCSRsSuccess',
      deletedIds: [1, 2, 3],
      notDeletedIds: [],
      unknownIds: [],
      errors: [],
    });
    for (const id of [1, 2, 3]) expect(rig.simulator.store.has(id)).toBe(false);

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByRole('link', { name: 'Mutation', exact: true }).click();
    await docs.getByRole('link', { name: 'batchDeleteCSRs', exact: true }).waitFor();
    expect(await docs.innerText()).toContain('Deletes certificate signing requests (CSRs) by ID');

    await mkdir('test-artifacts', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    expect(pageErrors).toEqual([]);
    // Page, GraphiQL build, workers and GraphQL requests: all from the gateway itself.
    const origin = new URL(rig.url).origin;
    expect(requested.filter((url) => new URL(url).origin !== origin && !/^(data|blob):/.test(url))).toEqual([]);
    expect(requested.some((url) => url.includes('/graphiql/') && url.endsWith('/graphiql.js'))).toBe(true);
    await page.close();
  });
});
