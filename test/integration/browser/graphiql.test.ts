/**
 * GraphiQL in a real browser (Debian's headless Chromium driven by playwright-core): `GET /graphql`
 * opens GraphiQL with the example mutation, running it deletes the CSRs in the simulator and shows
 * the result, the docs explorer shows the schema, and nothing is fetched from outside the gateway,
 * so it works offline. Leaves a screenshot in test-artifacts/graphiql.png.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../../support/gateway.js';
import { launchChromium, watchedPage } from './chromium.js';

const SCREENSHOT = 'test-artifacts/graphiql.png';

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  [rig, browser] = await Promise.all([startRig(), launchChromium()]);
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
    const { page, requested, pageErrors } = await watchedPage(browser, { width: 1400, height: 900 });

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
