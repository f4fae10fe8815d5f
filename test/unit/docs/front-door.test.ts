/**
 * README.md is the front door, not the manual, and each fact has one home:
 *
 *   - README stays under 15,000 bytes: what the gateway is, the two commands, one example, and a link
 *     to the docs/ page of each kind of reader;
 *   - the environment variables are tabled once, in docs/contract.md §2 (test/unit/docs/contract-config.test.ts
 *     ties that table to the code); no other page tables them again;
 *   - the rate limit's spacing is stated once, in contract §5; other pages refer to it.
 *
 * In memory: reads the Markdown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../../../src/config.js';
import { spacingMs } from '../../../src/engine/limiter.js';
import { DEFAULT_LATE_TOLERANCE_MS } from '../../../src/engine/redis-limiter.js';

const read = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const README = read('README.md');

/** README.md and the pages of docs/ written for readers (docs/notes/ holds research, with its sources). */
const PAGES = ['README.md', ...readdirSync(new URL('../../../docs', import.meta.url)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

describe('README.md', () => {
  it('is a front door: under 15,000 bytes', () => {
    expect(Buffer.byteLength(README)).toBeLessThanOrEqual(15_000);
  });

  it('says how to start it and test it, and shows one mutation with its answer', () => {
    const shell = [...README.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((match) => match[1]!).join('\n');
    expect(shell).toMatch(/\bnpm start\b/);
    expect(shell).toMatch(/\bnpm test\b/);
    expect(README).toMatch(/^```graphql\nmutation \{\n\s+batchDeleteCSRs\(/m);
    expect(README).toMatch(/^```json\n\{\n\s+"data": \{\n\s+"batchDeleteCSRs"/m);
  });

  it('points at the read side, plans and jobs with their idempotency and progress, by the names the schema uses', () => {
    for (const name of ['csrs', 'planCSRDeletion', 'startCSRDeletion', 'Idempotency-Key', 'csrDeletionJobProgress']) {
      expect(README, name).toContain(`\`${name}\``);
    }
    expect(read('docs/frontends.md')).toMatch(/^## Listing, planning and deleting in bulk$/m);
    expect(read('docs/operators.md')).toMatch(/^## Deletion jobs and plans: the job database$/m);
  });

  it('links the page of each kind of reader', () => {
    const links = new Set([...README.matchAll(/\]\(([^)#\s]+)/g)].map((match) => match[1]));
    for (const page of ['operators', 'frontends', 'federation', 'engine', 'contributing', 'contract']) {
      expect(links, `docs/${page}.md`).toContain(`docs/${page}.md`);
    }
  });
});

describe('one home per fact', () => {
  it('contract §2 is the only table of the environment variables', () => {
    const variables = new Set(Object.keys(ENVIRONMENT_VARIABLES));
    const tabledElsewhere = PAGES.filter((page) => page !== 'docs/contract.md').flatMap((page) =>
      [...read(page).matchAll(/^\|\s*`([A-Z][A-Z0-9_]*)`/gm)]
        .filter((match) => variables.has(match[1]!))
        .map((match) => `${page}: ${match[1]}`),
    );
    expect(tabledElsewhere).toEqual([]);
  });

  it('contract §5 is the only page that states the slot spacing', () => {
    const timing = {
      callsPerSecond: ENVIRONMENT_VARIABLES.TENCENTCLOUD_RATE_LIMIT.parse(undefined),
      jitterMarginMs: ENVIRONMENT_VARIABLES.TENCENTCLOUD_RATE_LIMIT_MARGIN_MS.parse(undefined),
    };
    const spacings = [spacingMs(timing), spacingMs(timing, DEFAULT_LATE_TOLERANCE_MS)];
    expect(read('docs/contract.md')).toContain(`(${spacings[0]} ms at the defaults`);
    // The results `npm run bench` writes between its markers are computed from the code, not restated.
    const handWritten = (page: string) => read(page).replace(/<!-- bench:results:start[\s\S]*?<!-- bench:results:end -->/, '');
    const restated = PAGES.filter((page) => page !== 'docs/contract.md').flatMap((page) =>
      spacings.filter((ms) => new RegExp(`\\b${ms} ms\\b`).test(handWritten(page))).map((ms) => `${page}: ${ms} ms`),
    );
    expect(restated).toEqual([]);
  });
});
