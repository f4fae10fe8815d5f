/**
 * Deletion plans through GraphQL, in memory: `yoga.fetch` into a whole gateway whose real clients —
 * the delete client and the read side (DescribeCSR, DescribeCSRSet) — reach an in-process simulator,
 * with the job database embedded (PGlite, in memory) and the job runner running. The simulator judges:
 * a plan deletes nothing and classifies by what it holds; a job started from a plan deletes exactly
 * the plan's existingIds. The simulator holds CSRs 1–2000, 20 to each of its 100 domains
 * (`www<id mod 100>.example.com`).
 *
 * Cost: opening the embedded PGlite (seconds of WebAssembly start-up on a loaded machine) is most of
 * this file's time; the tests themselves take about a second.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { BATCH_DELETE_CSR } from '../../../src/tencent/client.js';
import { graphql } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef';
const AUDITOR = 'auditor-key-0123456789abcdef';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const MAX_IDS_PER_JOB = 150;

const PLAN = /* GraphQL */ `
  mutation Plan($ids: [Int!], $domain: String) {
    planCSRDeletion(ids: $ids, domain: $domain) {
      __typename
      ... on CSRDeletionPlan {
        id existingIds missingIds invalidIds estimatedCalls estimatedSeconds expiresAt createdAt caller domain requestIds
      }
      ... on TencentCloudError { code message csrIds }
    }
  }
`;
const START = /* GraphQL */ `
  mutation Start($ids: [Int!], $planId: ID, $key: String) {
    startCSRDeletion(ids: $ids, planId: $planId, idempotencyKey: $key) {
      __typename
      ... on CSRDeletionJob { id status total planId counts { deleted notDeleted pending } }
      ... on TencentCloudError { code message csrIds }
      ... on UnknownPlanError { code message }
      ... on ExpiredPlanError { code message expiredAt }
      ... on IdempotencyKeyMismatchError { code message jobId }
    }
  }
`;
const JOB = /* GraphQL */ `query Job($id: ID!) { csrDeletionJob(id: $id) { id status total counts { deleted notDeleted pending } } }`;

interface Plan {
  __typename: string;
  id: string;
  existingIds: number[];
  missingIds: number[];
  invalidIds: number[];
  estimatedCalls: number;
  estimatedSeconds: number;
  expiresAt: string;
  createdAt: string;
  caller: string;
  domain: string | null;
  requestIds: string[];
  code?: string;
  message?: string;
  csrIds?: number[];
}
interface Started {
  __typename: string;
  id?: string;
  status?: string;
  total?: number;
  planId?: string | null;
  code?: string;
  message?: string;
  expiredAt?: string;
  jobId?: string;
}

const TTL_MS = 15 * 60 * 1000;
let rig: InProcessRig;
let now = Date.parse('2026-12-06T06:00:00.000Z');

async function plan(variables: Record<string, unknown>, key = ALICE): Promise<Plan> {
  const response = await graphql<{ planCSRDeletion: Plan }>(rig, PLAN, variables, as(key));
  expect(response.errors).toBeUndefined();
  return response.data!.planCSRDeletion;
}

async function start(variables: Record<string, unknown>, key = ALICE): Promise<Started> {
  const response = await graphql<{ startCSRDeletion: Started }>(rig, START, variables, as(key));
  expect(response.errors).toBeUndefined();
  return response.data!.startCSRDeletion;
}

async function finished(id: string): Promise<{ status: string; total: number; counts: { deleted: number; notDeleted: number; pending: number } }> {
  let job: { status: string; total: number; counts: { deleted: number; notDeleted: number; pending: number } } | undefined;
  await expect
    .poll(
      async () => {
        job = (await graphql<{ csrDeletionJob: NonNullable<typeof job> }>(rig, JOB, { id }, as(ALICE))).data?.csrDeletionJob;
        return job?.status;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe('COMPLETED');
  return job!;
}

const deleteCalls = () => rig.simulator.log.filter((call) => call.action === BATCH_DELETE_CSR && call.requestId !== undefined);
const readCalls = () => rig.simulator.log.filter((call) => call.action !== BATCH_DELETE_CSR);
/** The IDs the simulator holds of `domain`, ascending. */
const heldOf = (domain: string) => [...rig.simulator.store].filter((id) => `www${id % 100}.example.com` === domain).sort((a, b) => a - b);

beforeAll(async () => {
  const { store } = await JobStore.open(await PGliteDriver.open(undefined));
  rig = createRig({
    env: {
      AUTH_API_KEYS: `alice:${ALICE},bob:${BOB},auditor:${AUDITOR}`,
      AUTH_API_KEY_SCOPES: 'auditor=csr:audit',
      MAX_IDS_PER_JOB: String(MAX_IDS_PER_JOB),
      TENCENTCLOUD_RATE_LIMIT: '10',
      TENCENTCLOUD_READ_RATE_LIMIT: '100',
    },
    simulator: { seed: { from: 1, to: 2_000 }, rateLimit: 50, readRateLimit: 100 },
    gateway: { jobStore: store, jobRunner: { pollMs: 50 }, planClock: () => now },
  });
});
afterAll(() => rig.close());
beforeEach(() => rig.simulator.clearFaults());

describe('planCSRDeletion', () => {
  it('classifies exactly — existing, missing, invalid, each distinct ID once — and deletes nothing', async () => {
    const before = rig.simulator.store.size;
    const deletes = deleteCalls().length;
    const reads = readCalls().length;
    const result = await plan({ ids: [3, 1, 2, 3_001, 0, -5, 2, 2, 3_000, 2_000, 2_001] });
    expect(result).toMatchObject({
      __typename: 'CSRDeletionPlan',
      existingIds: [1, 2, 3, 2_000],
      missingIds: [2_001, 3_000, 3_001],
      invalidIds: [-5, 0],
      caller: 'alice',
      domain: null,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + TTL_MS).toISOString(),
    });
    // Found by reads, which the plan names; IDs ≤ 0 never left the gateway; nothing deleted.
    const made = readCalls().slice(reads);
    expect(made.length).toBeGreaterThan(0);
    expect(result.requestIds.length).toBeGreaterThan(0);
    expect(result.requestIds.every((requestId) => made.some((call) => call.requestId === requestId))).toBe(true);
    expect(made.flatMap((call) => call.ids).filter((id) => id <= 0)).toEqual([]);
    expect(rig.simulator.store.size).toBe(before);
    expect(deleteCalls()).toHaveLength(deletes);
  });

  it("estimates a call per 100 existing IDs and a rate-limit slot per call, at the configured limit's spacing", async () => {
    const ids = Array.from({ length: 149 }, (_, index) => 1_001 + index);
    const result = await plan({ ids: [...ids, 4_000] });
    expect(result).toMatchObject({ existingIds: ids, missingIds: [4_000], estimatedCalls: 2 });
    // TENCENTCLOUD_RATE_LIMIT=10: one slot every ceil((1000 + 20 ms margin + 10 ms slack) / 10) = 103 ms.
    expect(result.estimatedSeconds).toBeCloseTo(0.206, 9);
    const none = await plan({ ids: [4_000, 0] });
    expect(none).toMatchObject({ existingIds: [], estimatedCalls: 0, estimatedSeconds: 0 });
  });

  it('plans every CSR of a domain, exactly that domain', async () => {
    const held = heldOf('www7.example.com');
    expect(held).toHaveLength(20);
    const result = await plan({ domain: 'www7.example.com' });
    expect(result).toMatchObject({ existingIds: held, missingIds: [], invalidIds: [], domain: 'www7.example.com', estimatedCalls: 1 });
    // A domain without CSRs, or one that only begins like one: an empty plan.
    expect(await plan({ domain: 'nothing.example.com' })).toMatchObject({ __typename: 'CSRDeletionPlan', existingIds: [], estimatedCalls: 0 });
    expect(await plan({ domain: 'www7.example' })).toMatchObject({ existingIds: [] });
  });

  it.each([
    ['neither ids nor domain', {}, 'Gateway.IdsOrDomain'],
    ['both', { ids: [1], domain: 'www1.example.com' }, 'Gateway.IdsOrDomain'],
    ['an empty list', { ids: [] }, 'Gateway.EmptyIdList'],
    ['more distinct IDs than MAX_IDS_PER_JOB', { ids: Array.from({ length: MAX_IDS_PER_JOB + 1 }, (_, index) => index + 1) }, 'Gateway.TooManyIds'],
    ['a blank domain', { domain: ' ' }, 'Gateway.InvalidDomain'],
  ])('refuses %s with InvalidParameterError, reading and storing nothing', async (_name, variables, code) => {
    const reads = readCalls().length;
    const result = await plan(variables);
    expect(result).toMatchObject({ __typename: 'InvalidParameterError', code, csrIds: [] });
    expect(result.message).toMatch(/nothing was planned/);
    expect(readCalls()).toHaveLength(reads);
  });

  it('refuses a domain with more CSRs than one job may carry', async () => {
    for (let k = 1; k <= MAX_IDS_PER_JOB; k++) rig.simulator.store.add(100_042 + 100 * k);
    expect(heldOf('www42.example.com').length).toBeGreaterThan(MAX_IDS_PER_JOB);
    expect(await plan({ domain: 'www42.example.com' })).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.TooManyIds' });
  });

  it('answers the read failure as its typed error, with the IDs it concerned, when what exists cannot be found out', async () => {
    for (const action of ['DescribeCSR', 'DescribeCSRSet']) {
      rig.simulator.inject({ kind: 'error', code: 'AuthFailure.UnauthorizedOperation' }, { action, times: Infinity });
    }
    const result = await plan({ ids: [1, 2, 0] });
    expect(result).toMatchObject({ __typename: 'AuthFailureError', code: 'AuthFailure.UnauthorizedOperation', csrIds: [1, 2] });
    expect(result.message).toMatch(/nothing was planned/);
    expect(await plan({ domain: 'www1.example.com' })).toMatchObject({ __typename: 'AuthFailureError', csrIds: [] });
  });

  it('needs the delete scope: a caller with only csr:audit is FORBIDDEN, nothing read', async () => {
    const reads = readCalls().length;
    const response = await graphql(rig, PLAN, { ids: [1] }, as(AUDITOR));
    expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(readCalls()).toHaveLength(reads);
  });
});

describe('startCSRDeletion(planId:)', () => {
  it("deletes exactly the plan's existingIds, whatever exists when it starts", async () => {
    const made = await plan({ ids: [1_901, 1_902, 1_903, 4_500, -1] });
    expect(made.existingIds).toEqual([1_901, 1_902, 1_903]);
    // Created after the plan: not in it, so not deleted by it.
    rig.simulator.store.add(4_500);
    const calls = deleteCalls().length;
    const job = await start({ planId: made.id });
    expect(job).toMatchObject({ __typename: 'CSRDeletionJob', total: 3, planId: made.id });
    expect(await finished(job.id!)).toMatchObject({ total: 3, counts: { deleted: 3, notDeleted: 0, pending: 0 } });
    const sent = deleteCalls().slice(calls).flatMap((call) => call.ids);
    expect([...sent].sort((a, b) => a - b)).toEqual([1_901, 1_902, 1_903]);
    expect(rig.simulator.store.has(4_500)).toBe(true);
  });

  it('starts one job per plan: starting it again, with or without a key, answers that job', async () => {
    const made = await plan({ ids: [1_911, 1_912] });
    const first = await start({ planId: made.id, key: 'plan-key-1' });
    expect(first.__typename).toBe('CSRDeletionJob');
    expect((await start({ planId: made.id, key: 'plan-key-1' })).id).toBe(first.id);
    expect((await start({ planId: made.id })).id).toBe(first.id);
    // The key is the plan's now: with other IDs it is a mismatch, naming the plan's job.
    expect(await start({ ids: [1_911, 1_912], key: 'plan-key-1' })).toMatchObject({ __typename: 'IdempotencyKeyMismatchError', jobId: first.id });
    // And a key used for other IDs does not start the plan.
    const other = await start({ ids: [1_921], key: 'ids-key-1' });
    const second = await plan({ ids: [1_922] });
    expect(await start({ planId: second.id, key: 'ids-key-1' })).toMatchObject({ __typename: 'IdempotencyKeyMismatchError', jobId: other.id });
    await finished(first.id!);
  });

  it("is another caller's plan: unknown, its content never told", async () => {
    const made = await plan({ ids: [1_931, 1_932] });
    const answer = await start({ planId: made.id }, BOB);
    expect(answer).toMatchObject({ __typename: 'UnknownPlanError', code: 'Gateway.UnknownPlan' });
    expect(answer.message).not.toMatch(/1931|1932|alice/);
    // Bob's failed start made nothing that Alice's start would find: hers still starts.
    expect(await start({ planId: made.id })).toMatchObject({ __typename: 'CSRDeletionJob', total: 2 });
  });

  it('answers UnknownPlanError for a plan never made, or an ID that is not a plan ID', async () => {
    for (const planId of ['6f1c7c2e-8d0b-4b1a-9c55-0c9f8d7e6a5b', 'not-a-plan']) {
      expect(await start({ planId })).toMatchObject({ __typename: 'UnknownPlanError', code: 'Gateway.UnknownPlan' });
    }
  });

  it('answers ExpiredPlanError once the plan has expired, and a started one still finds its job', async () => {
    const stale = await plan({ ids: [1_941] });
    const started = await plan({ ids: [1_942] });
    const job = await start({ planId: started.id });
    const at = now;
    now += TTL_MS;
    try {
      expect(await start({ planId: stale.id })).toMatchObject({
        __typename: 'ExpiredPlanError',
        code: 'Gateway.PlanExpired',
        expiredAt: new Date(at + TTL_MS).toISOString(),
      });
      expect((await start({ planId: started.id })).id).toBe(job.id);
      // Expired for everyone: another caller still learns nothing but "unknown".
      expect((await start({ planId: stale.id }, BOB)).__typename).toBe('UnknownPlanError');
    } finally {
      now = at;
    }
    expect(rig.simulator.store.has(1_941)).toBe(true);
  });

  it('refuses a plan that found nothing to delete, making no job', async () => {
    const made = await plan({ ids: [5_000, 0] });
    expect(await start({ planId: made.id })).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.EmptyIdList' });
  });
});
