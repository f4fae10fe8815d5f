/**
 * The results, written for machines (bench/results/*.json), for the terminal (a table per scenario
 * on stdout) and for people (the generated part of docs/benchmarks.md and its chart).
 */
import { cpus, loadavg, totalmem, type } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ScenarioResult, Table } from '../scenarios/types.js';

export interface RunInfo {
  readonly command: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly machine: Machine;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  /** 1-, 5- and 15-minute load averages when the run started and ended (as `uptime` shows them). */
  readonly loadAverage: { readonly atStart: readonly number[]; atEnd: readonly number[] };
}

export function describeMachine(): Machine {
  const load = (): number[] => loadavg().map((value) => Math.round(value * 100) / 100);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1e8) / 10,
    os: type(),
    node: process.version,
    loadAverage: { atStart: load(), atEnd: [] },
  };
}

export function finishMachine(machine: Machine): Machine {
  return { ...machine, loadAverage: { ...machine.loadAverage, atEnd: loadavg().map((value) => Math.round(value * 100) / 100) } };
}

/** Plain-text tables for the terminal. */
export function textReport(results: readonly ScenarioResult[]): string {
  const out: string[] = [];
  for (const result of results) {
    out.push('', `== ${result.title}${result.status === 'ok' ? '' : ' (not available)'}`);
    for (const table of result.tables) out.push(textTable(table));
    for (const note of result.notes) out.push(`   ${note}`);
  }
  return `${out.join('\n')}\n`;
}

function textTable(table: Table): string {
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(table.columns), widths.map((width) => '-'.repeat(width)).join('  '), ...table.rows.map(line)].join('\n');
}

/** The generated part of docs/benchmarks.md. */
export function markdownReport(run: RunInfo, results: readonly ScenarioResult[], chartPath: string | undefined): string {
  const { machine } = run;
  const out: string[] = [
    `Run ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${run.command}\` in ${Math.round(run.durationSeconds)} s` +
      `${run.quick ? ' (quick mode: rougher figures)' : ''}.`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}. ` +
      `Load average (1/5/15 min) ${machine.loadAverage.atStart.join(' / ')} at the start, ${machine.loadAverage.atEnd.join(' / ')} at the end ` +
      '(the machine is shared: other work ran beside the bench).',
  ];
  if (chartPath) out.push('', `![Throughput and latency against offered load](${chartPath})`);
  for (const result of results) {
    out.push('', `### ${result.title}`, '', result.description);
    if (result.status !== 'ok') out.push('', '_Not available in this run._');
    for (const table of result.tables) out.push('', markdownTable(table));
    if (result.notes.length > 0) out.push('', ...result.notes.map((note) => `- ${note}`));
  }
  return out.join('\n');
}

function markdownTable(table: Table): string {
  const escapeCell = (cell: string): string => cell.replace(/\|/g, '\\|');
  const align = table.columns.map((_, i) => (i < 2 ? ':--' : '--:'));
  return [
    `| ${table.columns.map(escapeCell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

export const DOC_START = '<!-- bench:results:start (written by `npm run bench`; edit the text outside these markers) -->';
export const DOC_END = '<!-- bench:results:end -->';

/** Replaces the generated part of the doc, keeping the prose around it. */
export async function updateDoc(path: string, generated: string): Promise<void> {
  const doc = await readFile(path, 'utf8');
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) throw new Error(`${path} lacks the bench markers; add ${DOC_START} … ${DOC_END}`);
  await writeFile(path, `${doc.slice(0, start + DOC_START.length)}\n${generated}\n${doc.slice(end)}`);
}

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
