/**
 * The example app's bulk mode (issue 20) in headless Chromium, against a gateway process (src/main.ts,
 * an embedded job database of its own) and a simulator process, judged by the simulator's own call log and store:
 *  - uploaded IDs become one job even when the first start's answer is lost and the person presses
 *    again (the idempotency key); its progress bar, fed over SSE, reaches 100 %; the counts on the page
 *    are what the simulator did; the per-ID results page and filter by outcome;
 *  - with the SSE stream blocked the page polls instead, and Cancel stops the sending: no call reaches
 *    the simulator once the job is CANCELLED, and every ID not sent is failed with Gateway.Cancelled.
 * Leaves screenshots in test-artifacts/web-app-bulk.png and web-app-bulk-cancelled.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../support/gateway.js';
import { watchedPage } from './chromium.js';
import { screenshot } from './web-app-server.js';
import { startWebAppStack, type WebAppStack } from './web-app-stack.js';

const API_KEY = 'web-app-jobs-key-0123456789abcdef';
/** Calls per second, for simulator and gateway alike: slow enough that a job of 10,000 IDs takes 20 s. */
const RATE_LIMIT = 5;
const JOB_TIMEOUT_MS = 90_000;
/** How long the page may take to show an answer, on a loaded machine. */
const UI_TIMEOUT_MS = 15_000;

let stack: WebAppStack;

beforeAll(async () => {
  stack = await startWebAppStack({ name: 'web-app-jobs', apiKey: API_KEY, rateLimit: RATE_LIMIT });
}, 180_000);

afterAll(() => stack?.close());

async function openBulkMode(page: Page): Promise<void> {
  await page.goto(stack.app.url);
  await page.getByLabel('Gateway').fill(stack.gateway.graphqlUrl);
  await page.getByLabel('Token').fill(API_KEY);
  await page.getByRole('tab', { name: 'Bulk job' }).click();
}

/** The counts the page shows, as numbers. */
async function shownCounts(page: Page): Promise<Record<string, number>> {
  return page.locator('#job-counts dd').evaluateAll((cells) =>
    Object.fromEntries(cells.map((cell): [string, number] => [(cell as HTMLElement).dataset['count'] ?? '', Number((cell.textContent ?? '').replace(/,/g, ''))])),
  );
}

async function resultRows(page: Page): Promise<string[][]> {
  return page.locator('#job-results-table tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? '')),
  );
}

/** The jobs the API key's caller has, straight from the gateway. */
async function jobsOfCaller(): Promise<{ id: string; total: number }[]> {
  const response = await graphql<{ csrDeletionJobs: { nodes: { id: string; total: number }[] } }>(
    stack.gateway.graphqlUrl,
    'query { csrDeletionJobs(first: 100) { nodes { id total } } }',
    {},
    { authorization: `Bearer ${API_KEY}` },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.csrDeletionJobs.nodes;
}

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 100 });

const range = (from: number, count: number) => Array.from({ length: count }, (_, index) => from + index);

describe('the example web app: bulk mode', () => {
  it('uploads IDs, makes one job despite a lost answer, shows live progress to 100 % and the results by outcome and page', async () => {
    const { page, pageErrors } = await watchedPage(stack.browser, { width: 1280, height: 800 });
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.headers()['accept']?.includes('text/event-stream')) streams.push(request.url());
    });
    await openBulkMode(page);

    // 100 IDs that exist (deleted) and 4,900 that do not (not deleted), uploaded as a file: 50 calls,
    // at least 10 s at the rate limit, so the job is still running when the page follows it.
    const existing = range(19_901, 100);
    const missing = range(30_001, 4_900);
    const ids = [...existing, ...missing];
    await page.getByLabel('Or read them from a file').setInputFiles({
      name: 'ids.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(`${ids.join('\n')}\n${existing.slice(0, 10).join(', ')}\n`),
    });
    const status = page.locator('#job-status');
    await eventually(() => status.textContent()).toBe('Read 5,000 distinct IDs from ids.txt.');

    // The first start reaches the gateway, but its answer is lost on the way back: the page says so,
    // the person presses again, and the idempotency key makes that the same job.
    let startsLost = 0;
    await page.route(stack.gateway.graphqlUrl, async (route) => {
      const request = route.request();
      if (startsLost === 0 && request.method() === 'POST' && request.postData()?.includes('startCSRDeletion')) {
        startsLost += 1;
        await route.fetch(); // the gateway makes the job...
        return route.abort('connectionreset'); // ...and the browser never hears of it
      }
      return route.fallback();
    });
    const start = page.getByRole('button', { name: 'Start job', exact: true });
    await start.click();
    await eventually(() => status.textContent()).toMatch(/^No answer from the gateway .* Press Start job again/);
    expect(startsLost).toBe(1);
    expect(await jobsOfCaller()).toHaveLength(1);
    await page.unroute(stack.gateway.graphqlUrl);
    await start.click();

    const bar = page.getByRole('progressbar', { name: 'Progress' });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: JOB_TIMEOUT_MS }).toBe('5000');
    expect(await bar.getAttribute('aria-valuemax')).toBe('5000');
    expect(await bar.getAttribute('aria-valuetext')).toBe('5,000 of 5,000 IDs settled (100 %)');
    expect(await page.locator('#job-percent').textContent()).toBe('100 %');
    await eventually(() => status.textContent()).toMatch(/^Job [0-9a-f-]{36}: Completed/);
    expect(await page.locator('#job-transport').textContent()).toMatch(/^Live: progress events over Server-Sent Events/);
    expect(streams.length).toBeGreaterThanOrEqual(1);

    // One job, and each ID went to Tencent once: the lost answer and the second press made nothing twice.
    const jobs = await jobsOfCaller();
    expect(jobs).toHaveLength(1);
    const calls = (await stack.simulator.calls()).filter((call) => call.action === 'BatchDeleteCSR' && call.outcome === 'Success');
    const sent = calls.flatMap((call) => call.ids);
    expect(sent.toSorted((a, b) => a - b)).toEqual(ids);
    const deletedBySimulator = calls.flatMap((call) => call.deleted);
    expect(await stack.simulator.exists(existing)).toEqual([]);
    expect(await shownCounts(page)).toEqual({ deleted: deletedBySimulator.length, notDeleted: 4_900, unknown: 0, failed: 0, pending: 0 });
    expect(deletedBySimulator.toSorted((a, b) => a - b)).toEqual(existing);

    // Results: by CSR ID, 50 a page, each with the RequestId of the call that carried it.
    await eventually(() => page.locator('#results-page').textContent()).toBe('Results 1–50 (page 1)');
    let rows = await resultRows(page);
    expect(rows).toHaveLength(50);
    expect(rows[0]).toEqual(['19901', 'deleted', '', expect.any(String)]);
    const callOf = new Map(calls.map((call) => [call.requestId, call]));
    for (const [id, , , requestId] of rows) expect(callOf.get(requestId)?.deleted).toContain(Number(id));
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(() => page.locator('#results-page').textContent()).toBe('Results 51–100 (page 2)');
    expect((await resultRows(page)).map((row) => row[0])).toEqual(existing.slice(50).map(String));

    // By outcome: the 100 deleted are two pages, the last with no Next.
    await page.getByLabel('Outcome').selectOption('DELETED');
    await eventually(() => page.locator('#results-page').textContent()).toBe('Results 1–50 (page 1)');
    expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(() => page.locator('#results-page').textContent()).toBe('Results 51–100 (page 2)');
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    expect((await resultRows(page)).map((row) => row[0])).toEqual(existing.slice(50).map(String));

    await page.getByLabel('Outcome').selectOption('NOT_DELETED');
    await eventually(async () => (await resultRows(page))[0]?.[0]).toBe('30001');
    expect(await page.locator('#results-page').textContent()).toBe('Results 1–50 (page 1)');
    for (const label of ['Results 51–100 (page 2)', 'Results 101–150 (page 3)']) {
      await page.getByRole('button', { name: 'Next page' }).click();
      await eventually(() => page.locator('#results-page').textContent()).toBe(label);
    }
    rows = await resultRows(page);
    expect(rows.map((row) => row[0])).toEqual(missing.slice(100, 150).map(String));
    expect(rows.every((row) => row[1] === 'not deleted')).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(() => page.locator('#results-page').textContent()).toBe('Results 51–100 (page 2)');

    await screenshot(page, 'test-artifacts/web-app-bulk.png');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 180_000);

  it('polls when the SSE stream is blocked, and Cancel stops the sending: every ID not sent fails with Gateway.Cancelled', async () => {
    const { page, pageErrors } = await watchedPage(stack.browser, { width: 1280, height: 800 });
    // A proxy that drops event streams: the page must fall back to polling csrDeletionJob.
    await page.route(stack.gateway.graphqlUrl, (route) =>
      route.request().headers()['accept']?.includes('text/event-stream') ? route.abort('connectionreset') : route.fallback(),
    );
    await openBulkMode(page);
    // This job's calls: its IDs are 1–10,000, and no other test's are.
    const callsOfThisJob = async () => (await stack.simulator.calls()).filter((call) => call.action === 'BatchDeleteCSR' && call.ids.some((id) => id <= 10_000));

    const ids = range(1, 10_000); // all exist: 100 calls, 20 s at the rate limit
    await page.getByLabel('IDs for the job').fill(ids.join(', '));
    await page.getByRole('button', { name: 'Start job', exact: true }).click();
    const bar = page.getByRole('progressbar', { name: 'Progress' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: JOB_TIMEOUT_MS }).toBeGreaterThan(0);
    expect(await page.locator('#job-transport').textContent()).toMatch(/^Polling every second/);
    await page.getByRole('button', { name: 'Cancel job' }).click();

    const status = page.locator('#job-status');
    await expect.poll(() => status.textContent(), { timeout: JOB_TIMEOUT_MS }).toMatch(/^Job [0-9a-f-]{36}: Cancelled/);
    const callsAtCancel = await callsOfThisJob();
    // Nothing more is sent once the job is CANCELLED: a few rate-limit slots later, the log is the same.
    await new Promise((resolve) => setTimeout(resolve, 3 * (1000 / RATE_LIMIT) + 1_000));
    expect(await callsOfThisJob()).toHaveLength(callsAtCancel.length);

    const sent = new Set(callsAtCancel.flatMap((call) => call.ids));
    const deleted = callsAtCancel.flatMap((call) => call.deleted);
    expect(sent.size).toBeGreaterThan(0);
    expect(sent.size).toBeLessThan(ids.length);
    expect((await stack.simulator.exists(ids)).length).toBe(ids.length - deleted.length);
    expect(await shownCounts(page)).toEqual({ deleted: deleted.length, notDeleted: 0, unknown: 0, failed: ids.length - sent.size, pending: 0 });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(ids.length);

    await page.getByLabel('Outcome').selectOption('FAILED');
    await eventually(async () => (await resultRows(page))[0]?.[2]).toBe('Gateway.Cancelled');
    const failedRows = await resultRows(page);
    expect(failedRows.every((row) => row[1] === 'failed' && row[2] === 'Gateway.Cancelled' && row[3] === '')).toBe(true);
    for (const [id] of failedRows) expect(sent.has(Number(id))).toBe(false);
    expect(await page.getByRole('button', { name: 'Cancel job' }).isDisabled()).toBe(true);

    await screenshot(page, 'test-artifacts/web-app-bulk-cancelled.png');
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
