/**
 * The example app's browse mode (issue 21) in headless Chromium, against a gateway process and a
 * simulator process (the judge: its store and call log): the list shows exactly the simulator's CSRs
 * for a domain, page by page; a selection across pages becomes a plan that counts what exists now (one
 * CSR deleted behind the page's back is missing); the plan's job deletes exactly the rest, and the
 * list no longer shows any of them. Leaves a screenshot in test-artifacts/web-app-csrs.png.
 * Gateways older than the read side (no `csrs`) or than plans (no `planCSRDeletion`) are played by
 * answering those documents with the validation error yoga gives for a field its schema lacks.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../support/gateway.js';
import { watchedPage } from './chromium.js';
import { screenshot } from './web-app-server.js';
import { startWebAppStack, type WebAppStack } from './web-app-stack.js';

const API_KEY = 'web-app-csrs-key-0123456789abcdef';
/** The simulator's CSR n is for `www<n mod 100>.example.com`: 200 of its 20,000 are this domain's. */
const DOMAIN = 'www7.example.com';
const UI_TIMEOUT_MS = 15_000;
const JOB_TIMEOUT_MS = 90_000;

let stack: WebAppStack;

beforeAll(async () => {
  stack = await startWebAppStack({ name: 'web-app-csrs', apiKey: API_KEY, rateLimit: 20 });
}, 180_000);

afterAll(() => stack?.close());

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 100 });

async function openBrowseMode(page: Page): Promise<void> {
  await page.goto(stack.app.url);
  await page.getByLabel('Gateway').fill(stack.gateway.graphqlUrl);
  await page.getByLabel('Token').fill(API_KEY);
  await page.getByRole('tab', { name: 'Browse CSRs' }).click();
  await page.getByLabel('Domain').fill(DOMAIN);
}

/**
 * Plays a gateway whose schema lacks `field` (of `type`): the operation `operationName` gets yoga's validation
 * error for it (HTTP 400, nothing executed); everything else goes to the real gateway.
 */
async function answerAsAGatewayWithout(page: Page, operationName: string, field: string, type: 'Query' | 'Mutation'): Promise<void> {
  await page.route(stack.gateway.graphqlUrl, (route) =>
    route.request().postData()?.includes(`"operationName":"${operationName}"`)
      ? route.fulfill({
          status: 400,
          headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', 'access-control-allow-origin': stack.app.origin },
          body: JSON.stringify({
            errors: [{ message: `Cannot query field "${field}" on type "${type}".`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
          }),
        })
      : route.fallback(),
  );
}

/** The listed CSRs as the person reads them: ID, domain, status, created, key. */
async function listedRows(page: Page): Promise<string[][]> {
  return page.locator('#csrs tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...(row as HTMLTableRowElement).cells].slice(1).map((cell) => cell.textContent ?? '')),
  );
}

/** Lists the domain and reads every page, returning the IDs in the order shown. */
async function listEveryPage(page: Page): Promise<number[]> {
  await page.getByRole('button', { name: 'List CSRs' }).click();
  const label = page.locator('#csrs-page');
  await eventually(() => label.textContent()).toMatch(/^CSRs 1–/);
  const ids: number[] = [];
  for (;;) {
    const rows = await listedRows(page);
    for (const row of rows) expect(row[1]).toBe(DOMAIN);
    ids.push(...rows.map((row) => Number(row[0])));
    const next = page.getByRole('button', { name: 'Next CSRs' });
    if (await next.isDisabled()) return ids;
    const before = await label.textContent();
    await next.click();
    await eventually(() => label.textContent()).not.toBe(before);
  }
}

describe('the example web app: browse, plan and delete', () => {
  it("lists a domain's CSRs in pages, plans the selected ones, deletes them as a job, and they are gone from the list", async () => {
    const { page, pageErrors } = await watchedPage(stack.browser, { width: 1280, height: 800 });
    await openBrowseMode(page);

    // Every page together is exactly the simulator's CSRs for the domain, newest (highest ID) first.
    const domainIds = Array.from({ length: 200 }, (_, index) => 19_907 - index * 100);
    expect(await stack.simulator.exists(domainIds)).toHaveLength(domainIds.length);
    expect(await listEveryPage(page)).toEqual(domainIds);
    expect(await page.locator('#csrs-page').textContent()).toBe(`CSRs 151–200 of 200 CSRs for ${DOMAIN}`);

    // Back to the first page; select three there and two on the second.
    await page.getByRole('button', { name: 'List CSRs' }).click();
    await eventually(() => page.locator('#csrs-page').textContent()).toBe(`CSRs 1–50 of 200 CSRs for ${DOMAIN}`);
    expect(await page.getByRole('button', { name: 'Previous CSRs' }).isDisabled()).toBe(true);
    const chosen = [19_907, 19_807, 19_707, 14_907, 14_807];
    for (const id of chosen.slice(0, 3)) await page.getByRole('checkbox', { name: `Select CSR ${id}` }).check();
    await page.getByRole('button', { name: 'Next CSRs' }).click();
    await eventually(() => page.locator('#csrs-page').textContent()).toBe(`CSRs 51–100 of 200 CSRs for ${DOMAIN}`);
    for (const id of chosen.slice(3)) await page.getByRole('checkbox', { name: `Select CSR ${id}` }).check();
    expect(await page.locator('#selected-count').textContent()).toBe('5 selected');

    // One of them is deleted by someone else meanwhile: the plan finds it missing.
    const gone = 19_807;
    const elsewhere = await graphql<{ batchDeleteCSRs: { deletedIds: number[] } }>(
      stack.gateway.graphqlUrl,
      'mutation { batchDeleteCSRs(ids: [19807]) { ... on BatchDeleteCSRsSuccess { deletedIds } } }',
      {},
      { authorization: `Bearer ${API_KEY}` },
    );
    expect(elsewhere.data?.batchDeleteCSRs.deletedIds).toEqual([gone]);
    const callsBeforeJob = (await stack.simulator.calls()).length;

    await page.getByRole('button', { name: 'Plan deletion of the selected CSRs' }).click();
    const plan = page.getByRole('region', { name: 'Deletion plan' });
    const existing = chosen.filter((id) => id !== gone);
    await eventually(() => plan.locator('[data-plan=existing]').textContent()).toBe('4');
    expect(await plan.locator('[data-plan=missing]').textContent()).toBe('1');
    expect(await plan.locator('[data-plan=invalid]').textContent()).toBe('0');
    expect(await plan.locator('[data-plan=calls]').textContent()).toBe('1');
    expect(await page.locator('#plan-details').textContent()).toContain(`Missing (already gone, nothing to delete): ${gone}.`);
    await screenshot(page, 'test-artifacts/web-app-csrs-plan.png');

    const sent = existing;
    await page.getByRole('button', { name: 'Delete 4 CSRs (as a job)' }).click();
    await eventually(() => page.getByRole('tab', { name: 'Bulk job' }).getAttribute('aria-selected')).toBe('true');
    const bar = page.getByRole('progressbar', { name: 'Progress' });
    await expect
      .poll(() => bar.getAttribute('aria-valuetext'), { timeout: JOB_TIMEOUT_MS })
      .toBe(`${sent.length} of ${sent.length} IDs settled (100 %)`);
    await eventually(() => page.locator('#job-status').textContent()).toMatch(/: Completed/);
    expect(await page.locator('#job-counts [data-count=deleted]').textContent()).toBe('4');

    // The job sent exactly the plan's four, once each (not the one already gone); the simulator no
    // longer has any of the five.
    const jobCalls = (await stack.simulator.calls())
      .slice(callsBeforeJob)
      .filter((call) => call.action === 'BatchDeleteCSR' && call.ids.some((id) => chosen.includes(id)));
    expect(jobCalls.flatMap((call) => call.ids).toSorted((a, b) => a - b)).toEqual(sent.toSorted((a, b) => a - b));
    expect(jobCalls.flatMap((call) => call.deleted).toSorted((a, b) => a - b)).toEqual(existing.toSorted((a, b) => a - b));
    expect(await stack.simulator.exists(chosen)).toEqual([]);

    // Listed again: 195, none of the five.
    await page.getByRole('tab', { name: 'Browse CSRs' }).click();
    expect(await page.locator('#selected-count').textContent()).toBe('0 selected');
    const after = await listEveryPage(page);
    expect(after).toEqual(domainIds.filter((id) => !chosen.includes(id)));
    expect(await page.locator('#csrs-page').textContent()).toBe(`CSRs 151–195 of 195 CSRs for ${DOMAIN}`);

    // The whole domain, planned (not started): what is left of it.
    await page.getByRole('button', { name: 'Plan deletion of every CSR of the domain' }).click();
    await eventually(() => plan.locator('[data-plan=existing]').textContent()).toBe('195');
    expect(await plan.locator('[data-plan=missing]').textContent()).toBe('0');
    expect(await plan.locator('[data-plan=calls]').textContent()).toBe('2');
    expect(await stack.simulator.exists(after)).toHaveLength(195);

    await screenshot(page, 'test-artifacts/web-app-csrs.png');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 240_000);

  it('hides the list, and says why, where the gateway is older than the read side (no Query.csrs)', async () => {
    const { page, pageErrors } = await watchedPage(stack.browser, { width: 1280, height: 800 });
    await answerAsAGatewayWithout(page, 'CSRs', 'csrs', 'Query');
    await openBrowseMode(page);
    await page.getByRole('button', { name: 'List CSRs' }).click();

    const notice = page.locator('#browse-unavailable');
    await eventually(() => notice.textContent()).toBe('This gateway cannot list CSRs (its schema has no such field): use Delete now or Bulk job.');
    expect(await notice.isVisible()).toBe(true);
    expect(await page.locator('#browse').isVisible()).toBe(false);
    // The other modes are untouched.
    await page.getByRole('tab', { name: 'Bulk job' }).click();
    expect(await page.getByRole('button', { name: 'Start job', exact: true }).isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('offers the selection as a job of its IDs where the gateway lists CSRs but cannot plan (no planCSRDeletion)', async () => {
    const { page, pageErrors } = await watchedPage(stack.browser, { width: 1280, height: 800 });
    await answerAsAGatewayWithout(page, 'PlanCSRDeletion', 'planCSRDeletion', 'Mutation');
    await openBrowseMode(page);
    await page.getByRole('button', { name: 'List CSRs' }).click();
    await eventually(() => page.locator('#csrs-page').textContent()).toMatch(/^CSRs 1–50 of /);
    const [first, second] = (await listedRows(page)).map((row) => Number(row[0]));
    for (const id of [first, second]) await page.getByRole('checkbox', { name: `Select CSR ${id}` }).check();
    await page.getByRole('button', { name: 'Plan deletion of the selected CSRs' }).click();

    await eventually(() => page.locator('#plan-details').textContent()).toMatch(/^This gateway cannot plan deletions/);
    expect(await page.locator('#plan-counts').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Delete 2 selected CSRs (as a job, without a plan)' }).isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
