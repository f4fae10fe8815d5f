/**
 * Deletion plans in the job database, on both drivers (the machine's PostgreSQL and the embedded
 * PGlite), with the same assertions: a plan round-trips whole, expired plans are swept by the plans
 * made after them, and a plan starts one job however many starts race for it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_PLAN_KEPT_MS, SWEEP_LIMIT } from '../../../src/jobs/plan-store.js';
import type { JobStore } from '../../../src/jobs/store.js';
import type { PlanRecord } from '../../../src/jobs/types.js';
import { JOB_STORE_DRIVERS } from './support/job-stores.js';

function planAt(createdAt: number, overrides: Partial<PlanRecord> = {}): PlanRecord {
  return {
    id: randomUUID(),
    caller: 'alice',
    domain: null,
    existingIds: [1, 2, 3],
    missingIds: [4],
    invalidIds: [-1, 0],
    requestIds: ['rq-1'],
    estimatedCalls: 1,
    estimatedSeconds: 0.103,
    createdAt: new Date(createdAt),
    expiresAt: new Date(createdAt + 15 * 60_000),
    ...overrides,
  };
}

describe.each(JOB_STORE_DRIVERS)('deletion plans on %s', (_name, open) => {
  let store: JobStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ store, close } = await open());
  });
  afterAll(() => close());

  it('keeps a plan whole: its lists (a hundred thousand IDs, negative ones), RequestIds, estimates and times', async () => {
    const existingIds = Array.from({ length: 100_000 }, (_, index) => 2_000_000_000 + index);
    const plan = planAt(Date.parse('2026-12-06T06:00:00.123Z'), {
      existingIds,
      invalidIds: [-2_147_483_648, -1, 0],
      domain: 'www.example.com',
      estimatedCalls: 1_000,
      estimatedSeconds: 103.5,
      requestIds: ['rq-1', 'rq-2'],
    });
    await store.plans.save(plan);
    expect(await store.plans.get(plan.id)).toEqual(plan);
    expect(await store.plans.get(randomUUID())).toBeUndefined();
  });

  it('sweeps plans expired more than an hour before a new one is made, at most a hundred at a time, oldest first', async () => {
    const t = Date.parse('2030-01-01T00:00:00Z');
    const ttl = 15 * 60_000;
    // Expired long enough before the new plan's creation: swept, the oldest first.
    const stale = Array.from({ length: SWEEP_LIMIT + 2 }, (_, index) => planAt(t - EXPIRED_PLAN_KEPT_MS - ttl - 1_000 * (SWEEP_LIMIT + 2 - index)));
    // Expired, but within the hour: kept, so that starting it says "expired".
    const recent = planAt(t - EXPIRED_PLAN_KEPT_MS - ttl + 60_000);
    for (const plan of [...stale, recent]) await store.plans.save(plan);
    // Saving them swept nothing of each other (they are all within an hour of each other's creation).
    expect(await store.plans.get(stale[0]!.id)).toBeDefined();
    await store.plans.save(planAt(t));
    const kept = await Promise.all(stale.map((plan) => store.plans.get(plan.id)));
    expect(kept.filter((plan) => plan === undefined)).toHaveLength(SWEEP_LIMIT);
    // The two newest of the stale ones are left for the next plan to sweep.
    expect(kept.slice(SWEEP_LIMIT).every((plan) => plan !== undefined)).toBe(true);
    expect(await store.plans.get(recent.id)).toBeDefined();
    await store.plans.save(planAt(t + 1));
    expect(await store.plans.get(stale.at(-1)!.id)).toBeUndefined();
  });

  it('starts one job per plan, however many starts race for it; another caller is apart', async () => {
    const plan = planAt(Date.now());
    await store.plans.save(plan);
    const starts = await Promise.all(
      Array.from({ length: 6 }, () => store.create({ caller: 'alice', planId: plan.id, ids: plan.existingIds })),
    );
    expect(starts.filter((start) => start.kind === 'created')).toHaveLength(1);
    expect(new Set(starts.map((start) => start.job.id)).size).toBe(1);
    expect(starts[0]!.job).toMatchObject({ total: 3, planId: plan.id });
    expect(await store.earlier({ caller: 'alice', planId: plan.id, ids: [] })).toMatchObject({ kind: 'replayed', job: { id: starts[0]!.job.id } });
    expect(await store.earlier({ caller: 'bob', planId: plan.id, ids: [] })).toBeUndefined();
  });
});
