/**
 * Reconciliation of lost answers (issue 21 item 4): the share of IDs left `unknown` under the chaos
 * test's fault mix (test/integration/chaos/plan.ts: throttling and server codes, 5xx, non-JSON,
 * timeouts whose delete lands later, drops before and after the delete, one seed), with the read
 * side answering (after) and with it refusing every read (before: a check is then impossible, and
 * the gateway does exactly what it did before checks existed — a labelled reference, measured in the
 * same run on the same plan).
 *
 * The account holds 3,000 CSRs, so a check of many IDs is a 30-call scan (3 s of one read action's
 * 10 calls a second) and of a few, a DescribeCSR each: the checker's choice by calls. A check has
 * until its callers' deadline (MUTATION_DEADLINE_MS, 30 s), not just UPSTREAM_TIMEOUT_MS (1 s here,
 * which no check of more than ten IDs could meet: that is what made the share worse with checks on),
 * one check runs at a time for every lost call's IDs, and a scan re-reads what the deletes running
 * meanwhile shift past it. On an account of 300,000 a check of a full call's 100 IDs is 100
 * DescribeCSR calls, 10 s of the callers' 30.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { READ_ACTIONS } from '../../src/tencent/read-client.js';
import { drawPlan } from '../../test/integration/chaos/plan.js';
import { startSimulatorProcess } from '../../test/support/simulator-process.js';
import { duration } from '../support/format.js';
import { sendDelete, type MutationOutcome } from '../support/load.js';
import { round } from '../support/stats.js';
import { startTarget } from '../support/target.js';
import type { Scenario } from './types.js';

const ACCOUNT = 3_000;
const SEED = 214;
const UPSTREAM_TIMEOUT_MS = 1_000;

export interface ReconciliationRun {
  readonly mode: 'before' | 'after';
  readonly ids: number;
  readonly deleted: number;
  readonly unknown: number;
  readonly unknownShare: number;
  readonly deleteCalls: number;
  readonly lostAnswers: number;
  readonly readCalls: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

async function measure(mode: 'before' | 'after', quick: boolean): Promise<ReconciliationRun> {
  const plan = drawPlan(SEED, {
    replicas: 1,
    steadyCallers: quick ? 30 : 80,
    loadMs: quick ? 3_000 : 8_000,
    bursts: 0,
    burstSize: 0,
    scheduledCalls: 200,
    faultRate: 0.3,
    upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
    pauseMs: [0, 0],
    pauseGapMs: [1_000_000, 1_000_000],
  });
  // Existing, distinct IDs only: every one of them should end deleted, and any unknown is a lost answer's.
  let next = 1;
  const callers = plan.callers.map((caller) => ({
    startAfterMs: caller.startAfterMs,
    ids: Array.from({ length: Math.min(caller.ids.length, 40) }, () => next++),
  }));
  const simulator = await startSimulatorProcess({ seed: { from: 1, to: Math.max(ACCOUNT, next) } });
  const journal = await mkdtemp(join(tmpdir(), 'bench-reconcile-'));
  try {
    const target = await startTarget('gateway', {
      ...simulator.gatewayEnv,
      // Caller authentication is beside the point here: off, which production's safe defaults refuse.
      NODE_ENV: 'test',
      AUDIT_DATA_DIR: journal,
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      LOG_LEVEL: 'error',
    });
    try {
      if (mode === 'before') {
        await simulator.injectAll(READ_ACTIONS.map((action) => ({ fault: { kind: 'error', code: 'UnauthorizedOperation' } as const, times: Infinity, action })));
      }
      await simulator.injectAll(plan.calls.map((fault) => ({ fault })));
      const start = performance.now();
      const outcomes: MutationOutcome[] = await Promise.all(
        callers.map(async (caller) => {
          await new Promise((resolve) => setTimeout(resolve, caller.startAfterMs));
          return sendDelete(target.url, caller.ids, start + caller.startAfterMs, AbortSignal.timeout(60_000));
        }),
      );
      const calls = await simulator.calls();
      const deletes = calls.filter((call) => call.action === 'BatchDeleteCSR');
      const lost = deletes.filter((call) => ['Dropped', 'NonJson', 'Delayed'].includes(call.outcome) || call.outcome.startsWith('HTTP 5'));
      const ids = callers.reduce((sum, caller) => sum + caller.ids.length, 0);
      const unknown = outcomes.reduce((sum, outcome) => sum + outcome.unknown, 0);
      const latencies = outcomes.map((outcome) => outcome.latencyMs).sort((a, b) => a - b);
      return {
        mode,
        ids,
        deleted: outcomes.reduce((sum, outcome) => sum + outcome.deleted, 0),
        unknown,
        unknownShare: round(unknown / ids, 4),
        deleteCalls: deletes.length,
        lostAnswers: lost.length,
        readCalls: calls.length - deletes.length,
        p50Ms: round(latencies[Math.floor(latencies.length / 2)] ?? Infinity, 0),
        p99Ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? Infinity, 0),
      };
    } finally {
      await target.stop();
    }
  } finally {
    await simulator.close();
    await rm(journal, { recursive: true, force: true });
  }
}

export const reconciliationScenario: Scenario = {
  id: 'reconciliation',
  title: 'Lost answers under the chaos fault mix: IDs left unknown',
  async run({ quick, progress }) {
    progress.step('reconciliation · read side refusing (before)');
    const before = await measure('before', quick);
    progress.step('reconciliation · read side answering (after)');
    const after = await measure('after', quick);
    const runs = [before, after];
    return {
      id: this.id,
      title: this.title,
      description:
        `Callers of 1–40 existing IDs over ${quick ? 3 : 8} s into one gateway, its delete calls meeting the chaos test's fault ` +
        `mix (seed ${SEED}, 30 % of calls; UPSTREAM_TIMEOUT_MS ${UPSTREAM_TIMEOUT_MS}), on an account of ${ACCOUNT.toLocaleString('en')} ` +
        'CSRs; the same plan with the read side refusing every read (before: no check possible, the old behaviour) and answering (after).',
      status: 'ok',
      tables: [
        {
          columns: ['read side', 'IDs', 'deleted', 'unknown', 'unknown share', 'delete calls', 'lost answers', 'read calls', 'p50', 'p99'],
          rows: runs.map((run) => [
            run.mode === 'before' ? 'refusing (before, reference)' : 'answering (after)',
            String(run.ids),
            String(run.deleted),
            String(run.unknown),
            `${(run.unknownShare * 100).toFixed(1)} %`,
            String(run.deleteCalls),
            String(run.lostAnswers),
            String(run.readCalls),
            duration(run.p50Ms),
            duration(run.p99Ms),
          ]),
        },
      ],
      notes: [
        'After, an ID can be left unknown only if its check cannot finish by its caller\'s deadline (the read side failing throughout, or a lost call ' +
          'that may still land and leaves the ID still there when the deadline comes). Before, every ID a lost call deleted is unknown: a resend\'s answer cannot tell.',
      ],
      data: runs,
    };
  },
};
