/**
 * `npm run bench`: every scenario against the Tencent simulator at its real limit, the gateway beside
 * a baseline measured in the same run; prints a table per scenario, writes bench/results/*.json,
 * the chart and the generated part of docs/benchmarks.md. A progress line runs on stderr.
 *
 *   npm run bench                      the full run (about three minutes); writes the results
 *   npm run bench -- --quick           shorter loads, rougher figures; prints only
 *   npm run bench -- --only=idle,memory  some scenarios; prints only
 *   … --write                          write results even for a quick or partial run (a partial run
 *                                      writes its scenarios' bench/results/<id>.json only: run.json,
 *                                      the chart and the doc's generated part are a whole run's)
 *
 * Scenarios are modules in bench/scenarios/, each exporting a `Scenario`; adding one is adding it
 * to the list below.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { spacingMs } from '../src/engine/limiter.js';
import { burst300Scenario } from './scenarios/burst-300.js';
import { concurrentScenario } from './scenarios/concurrent.js';
import { deletionJobScenario } from './scenarios/deletion-job.js';
import { fairnessScenario } from './scenarios/fairness.js';
import { graphqlOverheadScenario } from './scenarios/graphql-overhead.js';
import { idleScenario } from './scenarios/idle.js';
import { loadSweepScenario, type SweepPoint } from './scenarios/load-sweep.js';
import { memoryScenario } from './scenarios/memory.js';
import { observabilityScenario } from './scenarios/observability.js';
import { replicasScenario } from './scenarios/replicas.js';
import type { Scenario, ScenarioResult } from './scenarios/types.js';
import { buildTargets } from './support/build.js';
import { closeLoadAgent } from './support/load.js';
import { loadChart } from './support/load-chart.js';
import { Progress } from './support/progress.js';
import { describeMachine, finishMachine, markdownReport, textReport, updateDoc, writeJson, type RunInfo } from './support/report.js';
import { RATE_LIMIT } from './support/session.js';

const SCENARIOS: readonly Scenario[] = [
  idleScenario,
  concurrentScenario,
  burst300Scenario,
  fairnessScenario,
  loadSweepScenario,
  replicasScenario,
  deletionJobScenario,
  graphqlOverheadScenario,
  observabilityScenario,
  memoryScenario,
];

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const RESULTS_DIR = path('./results/');
const DOC = path('../docs/benchmarks.md');
const CHART = path('../docs/benchmarks/load.svg');
const CHART_LINK = 'benchmarks/load.svg';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, write: { type: 'boolean', default: false } },
});
const only = args.only?.split(',').map((id) => id.trim());
const unknown = only?.filter((id) => !SCENARIOS.some((scenario) => scenario.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((scenario) => scenario.id).join(', ')}`);
  process.exit(2);
}
const selected = only ? SCENARIOS.filter((scenario) => only.includes(scenario.id)) : SCENARIOS;
const write = args.write || (!args.quick && !only);

const startedAt = new Date().toISOString();
const started = performance.now();
const machine = describeMachine();
const progress = new Progress();
progress.step('compiling the measured servers');
await buildTargets();
const results: ScenarioResult[] = [];
for (const scenario of selected) {
  progress.step(scenario.title);
  results.push(await scenario.run({ quick: args.quick, progress }));
}
progress.done();
await closeLoadAgent();

const run: RunInfo = {
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  startedAt,
  durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  quick: args.quick,
  machine: finishMachine(machine),
};
process.stdout.write(textReport(results));

if (write) {
  for (const result of results) await writeJson(`${RESULTS_DIR}${result.id}.json`, { run, ...result });
  if (only) {
    process.stderr.write(`results: ${results.map((result) => `bench/results/${result.id}.json`).join(', ')} (a partial run: run.json and docs/benchmarks.md left as they are)\n`);
  } else {
    const sweep = results.find((result) => result.id === loadSweepScenario.id);
    if (sweep?.status === 'ok') {
      await mkdir(dirname(CHART), { recursive: true });
      await writeFile(CHART, loadChart(sweep.data as SweepPoint[], spacingMs({ callsPerSecond: RATE_LIMIT })));
    }
    await writeJson(`${RESULTS_DIR}run.json`, { ...run, scenarios: results.map((result) => ({ id: result.id, status: result.status })) });
    await updateDoc(DOC, markdownReport(run, results, sweep?.status === 'ok' ? CHART_LINK : undefined));
    process.stderr.write(`results: bench/results/*.json, docs/benchmarks.md, docs/benchmarks/load.svg\n`);
  }
}
