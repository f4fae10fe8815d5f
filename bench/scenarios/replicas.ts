/**
 * Three gateway replicas sharing the rate limit through Redis. The measurement itself is
 * `bench/replicas.ts` (the shared-limit work, issue 6): it runs on its own (`npx tsx
 * bench/replicas.ts`), prints its figures and writes `bench/results/replicas.json`. This module
 * runs it as one more scenario and shows that JSON: if it holds `rows` shaped like the other
 * scenarios' (`Row`, bench/support/stats.ts) they get the same table; otherwise its top-level
 * figures are listed. Until that module exists, the scenario says so instead of failing the run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadTable } from '../support/format.js';
import type { Row } from '../support/stats.js';
import type { Scenario, ScenarioResult, Table } from './types.js';

const MODULE = fileURLToPath(new URL('../replicas.ts', import.meta.url));
const RESULTS = fileURLToPath(new URL('../results/replicas.json', import.meta.url));
/** Far beyond what a scenario of this bench may take; a hung child must not hang the run. */
const LIMIT_MS = 120_000;

export const replicasScenario: Scenario = {
  id: 'replicas',
  title: 'Three replicas sharing the limit through Redis',
  async run({ progress }): Promise<ScenarioResult> {
    const base = { id: this.id, title: this.title };
    if (!existsSync(MODULE)) {
      return {
        ...base,
        description: 'Measured by bench/replicas.ts (the Redis-shared limiter, issue 6).',
        status: 'not-available',
        tables: [],
        notes: ['Not available yet: bench/replicas.ts is not in this checkout.'],
        data: null,
      };
    }
    progress.step('three replicas with Redis (bench/replicas.ts)');
    await runModule();
    const figures = JSON.parse(await readFile(RESULTS, 'utf8')) as Record<string, unknown>;
    const rows = Array.isArray(figures['rows']) && figures['rows'].every(isRow) ? figures['rows'] : undefined;
    return {
      ...base,
      description:
        typeof figures['description'] === 'string' ? figures['description'] : 'Measured by bench/replicas.ts; figures from bench/results/replicas.json.',
      status: 'ok',
      tables: [rows ? loadTable(rows) : scalarTable(figures)],
      notes: Array.isArray(figures['notes']) ? figures['notes'].filter((note): note is string => typeof note === 'string') : [],
      data: figures,
    };
  },
};

function runModule(): Promise<void> {
  return new Promise((resolve, reject) => {
    // Its own printout goes to stderr, beside the progress line: stdout is the bench's table.
    const child = spawn(process.execPath, ['--import', 'tsx', MODULE], { stdio: ['ignore', process.stderr, 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`bench/replicas.ts failed (exit code ${code}, signal ${signal})`));
    });
  });
}

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && 'case' in value && 'target' in value && 'latency' in value;
}

/** Top-level numbers and strings (and those one object down) as "figure | value" lines. */
function scalarTable(figures: Record<string, unknown>): Table {
  const rows: string[][] = [];
  const add = (prefix: string, value: unknown): void => {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') rows.push([prefix, String(value)]);
  };
  for (const [key, value] of Object.entries(figures)) {
    if (key === 'description') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) add(`${key}.${inner}`, innerValue);
    } else add(key, value);
  }
  return { columns: ['figure', 'value'], rows };
}
