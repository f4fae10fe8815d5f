/**
 * docs/contract.md is tied to the code where it states configuration, as §4 is to the schema
 * (test/unit/schema/schema.test.ts) and the error-code page to the code table (test/integration/tencent/code-table.test.ts):
 *
 *   - §2's table of environment variables names exactly the variables `src/config.ts` reads, each
 *     with the default the config applies when it is unset (`none`: no value);
 *   - §5's rate-limit numbers are the ones the limiters compute from those defaults.
 *
 * In memory: reads the Markdown and the config's parsers, starts nothing.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENVIRONMENT_VARIABLES } from '../../../src/config.js';
import { SCHEDULE_SLACK_MS, spacingMs } from '../../../src/engine/limiter.js';
import { DEFAULT_FRESH_START_GUARD_MS, DEFAULT_LATE_TOLERANCE_MS } from '../../../src/engine/redis-limiter.js';

const CONTRACT = readFileSync(new URL('../../../docs/contract.md', import.meta.url), 'utf8');

/** Section `n` of the contract, from its `## n.` heading to the next `## ` heading. */
function section(markdown: string, n: number): string {
  const start = markdown.search(new RegExp(`^## ${n}\\. `, 'm'));
  if (start < 0) throw new Error(`docs/contract.md has no section ${n}`);
  const rest = markdown.slice(start);
  const end = rest.slice(3).search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end + 3);
}

/** One variable as §2 documents it; `defaultValue` undefined: `none`. */
interface Documented {
  readonly name: string;
  readonly defaultValue: string | undefined;
}

/**
 * The rows of the `| variable | default | meaning |` table. A row may name several variables
 * (`` `PORT` / `HOST` `` with `` `4000` / `0.0.0.0` ``, or `` `A`, `B` `` sharing one default), and a
 * name ending in `*` stands for every variable with that prefix (`OTEL_*`).
 */
function environmentTable(text: string): Documented[] {
  const lines = text.split('\n');
  const header = lines.findIndex((line) => /^\|\s*variable\s*\|\s*default\s*\|/.test(line));
  if (header < 0) throw new Error('no `| variable | default | meaning |` table');
  const documented: Documented[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [, variables = '', defaults = ''] = /^\|([^|]*)\|([^|]*)\|/.exec(line) ?? [];
    const names = [...variables.matchAll(/`([A-Z][A-Z0-9_]*\*?)`/g)].map((match) => match[1]!);
    const values = /^\s*none\b/.test(defaults) ? [] : [...defaults.matchAll(/`([^`]*)`/g)].map((match) => match[1]!);
    if (names.length === 0 || (values.length > 1 && values.length !== names.length)) {
      throw new Error(`cannot read this row of the table: ${line}`);
    }
    names.forEach((name, index) => documented.push({ name, defaultValue: values.length > 1 ? values[index] : values[0] }));
  }
  return documented;
}

/** What a parsed value looks like for comparison: URLs by their text. */
const comparable = (value: unknown): unknown => (value instanceof URL ? value.href : value);
const shown = (value: unknown): string => JSON.stringify(comparable(value));
/** What "no value" parses to: nothing, or an empty list (`AUTH_API_KEYS`). */
const isUnset = (value: unknown): boolean => value === undefined || (Array.isArray(value) && value.length === 0);

/** Where the table and the config disagree, one line each; empty when they agree. */
function disagreements(documented: readonly Documented[], variables: Readonly<Record<string, z.ZodType>>): string[] {
  const problems: string[] = [];
  const covered = new Set<string>();
  for (const { name, defaultValue } of documented) {
    const names = name.endsWith('*')
      ? Object.keys(variables).filter((key) => key.startsWith(name.slice(0, -1)))
      : Object.keys(variables).filter((key) => key === name);
    if (names.length === 0) problems.push(`${name}: in docs/contract.md §2, but src/config.ts does not read it`);
    for (const key of names) {
      covered.add(key);
      const unset = variables[key]!.safeParse(undefined);
      if (!unset.success) {
        problems.push(`${key}: src/config.ts requires a value, which §2 does not say`);
      } else if (defaultValue === undefined) {
        if (!isUnset(unset.data)) problems.push(`${key}: §2 says none, src/config.ts defaults to ${shown(unset.data)}`);
      } else {
        const documentedValue = variables[key]!.safeParse(defaultValue);
        if (!documentedValue.success) problems.push(`${key}: §2's default \`${defaultValue}\` is not a value src/config.ts accepts`);
        else if (isUnset(unset.data)) problems.push(`${key}: §2 says \`${defaultValue}\`, src/config.ts has no default`);
        else if (!isDeepStrictEqual(comparable(documentedValue.data), comparable(unset.data))) {
          problems.push(`${key}: §2 says \`${defaultValue}\`, src/config.ts defaults to ${shown(unset.data)}`);
        }
      }
    }
  }
  for (const key of Object.keys(variables)) {
    if (!covered.has(key)) problems.push(`${key}: src/config.ts reads it, but docs/contract.md §2 does not list it`);
  }
  return problems;
}

const VARIABLES: Readonly<Record<string, z.ZodType>> = ENVIRONMENT_VARIABLES;
const SECTION_2 = section(CONTRACT, 2);

describe('docs/contract.md §2 and src/config.ts', () => {
  it('list the same variables with the same defaults', () => {
    const documented = environmentTable(SECTION_2);
    expect(documented.map((entry) => entry.name)).toContain('TENCENTCLOUD_RATE_LIMIT');
    expect(disagreements(documented, VARIABLES)).toEqual([]);
  });

  // The check itself, on altered copies: it must notice each way the two can drift apart.
  const altered = (from: string, to: string): string[] => {
    expect(SECTION_2).toContain(from);
    return disagreements(environmentTable(SECTION_2.replace(from, to)), VARIABLES);
  };

  it('notices a variable the config reads and the table does not list', () => {
    const withNew = { ...VARIABLES, FEATURE_FLAG: z.string().optional() };
    expect(disagreements(environmentTable(SECTION_2), withNew)).toEqual([
      'FEATURE_FLAG: src/config.ts reads it, but docs/contract.md §2 does not list it',
    ]);
    expect(altered('| `LOG_LEVEL` |', '| `LOG_FORMAT` |')).toEqual([
      'LOG_FORMAT: in docs/contract.md §2, but src/config.ts does not read it',
      'LOG_LEVEL: src/config.ts reads it, but docs/contract.md §2 does not list it',
    ]);
  });

  it('notices a default that differs, or that only one side has', () => {
    expect(altered('| `UPSTREAM_TIMEOUT_MS` | `10000` |', '| `UPSTREAM_TIMEOUT_MS` | `9000` |')).toEqual([
      'UPSTREAM_TIMEOUT_MS: §2 says `9000`, src/config.ts defaults to 10000',
    ]);
    expect(altered('| `PORT` | `4000` |', '| `PORT` | `4001` |')).toEqual(['PORT: §2 says `4001`, src/config.ts defaults to 4000']);
    // HOST's default depends on NODE_ENV, so the variable itself has none (loadConfig picks it).
    expect(altered('| `HOST` | none |', '| `HOST` | `0.0.0.0` |')).toEqual(['HOST: §2 says `0.0.0.0`, src/config.ts has no default']);
    expect(altered('| `LOG_LEVEL` | `info` |', '| `LOG_LEVEL` | none |')).toEqual([
      'LOG_LEVEL: §2 says none, src/config.ts defaults to "info"',
    ]);
    expect(altered('| `REDIS_URL` | none |', '| `REDIS_URL` | `redis://127.0.0.1:6379` |')).toEqual([
      'REDIS_URL: §2 says `redis://127.0.0.1:6379`, src/config.ts has no default',
    ]);
  });
});

describe('docs/contract.md §5, the rate limit’s numbers', () => {
  const text = section(CONTRACT, 5).replace(/\s+/g, ' ');
  const number = (pattern: RegExp): number[] => {
    const match = pattern.exec(text);
    if (!match) throw new Error(`§5 no longer says ${String(pattern)}`);
    return match.slice(1).map(Number);
  };
  const defaultOf = (name: string): number => VARIABLES[name]!.parse(undefined) as number;
  const timing = { callsPerSecond: defaultOf('TENCENTCLOUD_RATE_LIMIT'), jitterMarginMs: defaultOf('TENCENTCLOUD_RATE_LIMIT_MARGIN_MS') };

  it('are the spacing the limiters compute from the default limit and margin', () => {
    const local = spacingMs(timing);
    const shared = spacingMs(timing, DEFAULT_LATE_TOLERANCE_MS);
    expect(number(/⌈\(1000 \+ margin \+ (\d+)\) \/ N⌉ ms in one process \((\d+) ms at the defaults/)).toEqual([SCHEDULE_SLACK_MS, local]);
    expect(number(/⌈\(1000 \+ margin \+ (\d+)\) \/ N⌉ ms for replicas sharing Redis \((\d+) ms\), which may send at most (\d+) ms after their slot/)).toEqual([
      DEFAULT_LATE_TOLERANCE_MS,
      shared,
      DEFAULT_LATE_TOLERANCE_MS,
    ]);
    // 100 IDs a slot, against N × 100 IDs a second.
    const ceiling = (spacing: number) => Number((1000 / spacing / timing.callsPerSecond).toFixed(3));
    expect(number(/(0\.\d+) of N × 100 IDs a second in one process, (0\.\d+) through Redis/)).toEqual([ceiling(local), ceiling(shared)]);
    expect(number(/The default margin, (\d+) ms/)).toEqual([timing.jitterMarginMs]);
    expect(number(/starts (\d+) s later/)).toEqual([DEFAULT_FRESH_START_GUARD_MS / 1000]);
  });
});
