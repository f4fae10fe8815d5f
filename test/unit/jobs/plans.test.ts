/**
 * Deletion plans through GraphQL, in memory: `yoga.fetch` into a whole gateway whose real client
 * reaches an in-process simulator, with the job database embedded (PGlite, in memory) and the job
 * runner running. Plans are judged by the simulator: a plan deletes nothing; a job started from one
 * deletes exactly its existingIds.
 *
 * The read side here is a recording stand-in that answers from the simulator's own store (which
 * CSRs exist) and from a table of domains, so that what a plan classifies can be checked exactly
 * against what exists, and a read failure can be made at will.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExistenceAnswer, ExistenceChecker } from '../../../src/engine/existence.js';
import type { CsrLister, DomainListing } from '../../../src/jobs/planner.js';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { failure } from '../../../src/tencent/codes.js';
import { graphql } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef';
const AUDITOR = 'auditor-key-0123456789abcdef';
const as = (key: string) => ({ authorization: `Bearer ${key}` });

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

/** Which CSRs exist, as the simulator holds them; every check recorded; a failure when `failing` is set. */
class SimulatorReads implements ExistenceChecker, CsrLister {
  readonly checked: number[][] = [];
  readonly domains = new Map<string, number[]>();
  failing: ExistenceAnswer | undefined;
  constructor(private readonly rig: () => InProcessRig) {}
  check(ids: readonly number[]): Promise<ExistenceAnswer> {
    this.checked.push([...ids]);
    if (this.failing) return Promise.resolve(this.failing);
    const store = this.rig().simulator.store;
    return Promise.resolve({ ok: true, existing: new Set(ids.filter((id) => store.has(id))), requestIds: [`read-${this.checked.length}`] });
  }
  idsOfDomain(domain: string, options: { limit: number }): Promise<DomainListing> {
    const ids = (this.domains.get(domain) ?? []).filter((id) => this.rig().simulator.store.has(id));
    return Promise.resolve({ ok: true, ids: ids.slice(0, options.limit), complete: ids.length <= options.limit, requestIds: ['list-1'] });
  }
}

const TTL_MS = 15 * 60 * 1000;
let rig: InProcessRig;
let now = Date.parse('2026-12-06T06:00:00.000Z');
const reads = new SimulatorReads(() => rig);

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

const deleteCalls = () => rig.simulator.log.filter((call) => call.requestId !== undefined);

beforeAll(async () => {
  const { store } = await JobStore.open(await PGliteDriver.open(undefined));
  rig = createRig({
    env: {
      AUTH_API_KEYS: `alice:${ALICE},bob:${BOB},auditor:${AUDITOR}`,
      AUTH_API_KEY_SCOPES: 'auditor=csr:audit',
      MAX_IDS_PER_JOB: '1000',
      TENCENTCLOUD_RATE_LIMIT: '10',
    },
    simulator: { rateLimit: 50 },
    gateway: { jobStore: store, jobRunner: { pollMs: 50 }, reads: { existence: reads, lister: reads }, planClock: () => now },
  });
});
afterAll(() => rig.close());
beforeEach(() => {
  reads.failing = undefined;
  reads.checked.length = 0;
});

describe('planCSRDeletion', () => {
  it('classifies exactly — existing, missing, invalid, each distinct ID once — and deletes nothing', async () => {
    const before = rig.simulator.store.size;
    const calls = deleteCalls().length;
    const result = await plan({ ids: [3, 1, 2, 30_001, 0, -5, 2, 2, 30_000, 20_000, 20_001] });
    expect(result).toMatchObject({
      __typename: 'CSRDeletionPlan',
      existingIds: [1, 2, 3, 20_000],
      missingIds: [20_001, 30_000, 30_001],
      invalidIds: [-5, 0],
      caller: 'alice',
      domain: null,
      requestIds: ['read-1'],
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + TTL_MS).toISOString(),
    });
    // Only the valid IDs were looked up, each once; IDs ≤ 0 never left the gateway.
    expect(reads.checked).toEqual([[1, 2, 3, 20_000, 20_001, 30_000, 30_001]]);
    expect(rig.simulator.store.size).toBe(before);
    expect(deleteCalls()).toHaveLength(calls);
  });

  it("estimates a call per 100 existing IDs and a rate-limit slot per call, at the configured limit's spacing", async () => {
    const ids = Array.from({ length: 250 }, (_, index) => 5_001 + index);
    const result = await plan({ ids: [...ids, 40_000] });
    expect(result).toMatchObject({ existingIds: ids, missingIds: [40_000], estimatedCalls: 3 });
    // TENCENTCLOUD_RATE_LIMIT=10: one slot every ceil((1000 + 20 ms margin + 10 ms slack) / 10) = 103 ms.
    expect(result.estimatedSeconds).toBeCloseTo(0.309, 9);
    const none = await plan({ ids: [40_000, 0] });
    expect(none).toMatchObject({ existingIds: [], estimatedCalls: 0, estimatedSeconds: 0 });
  });

  it('plans every CSR of a domain, and nothing of the others', async () => {
    reads.domains.set('www.example.com', [7_003, 7_001, 7_002]);
    reads.domains.set('other.example.com', [7_004]);
    const result = await plan({ domain: 'www.example.com' });
    expect(result).toMatchObject({ existingIds: [7_001, 7_002, 7_003], missingIds: [], invalidIds: [], domain: 'www.example.com', estimatedCalls: 1 });
    const empty = await plan({ domain: 'nothing.example.com' });
    expect(empty).toMatchObject({ __typename: 'CSRDeletionPlan', existingIds: [], estimatedCalls: 0 });
  });

  it.each([
    ['neither ids nor domain', {}, 'Gateway.IdsOrDomain'],
    ['both', { ids: [1], domain: 'www.example.com' }, 'Gateway.IdsOrDomain'],
    ['an empty list', { ids: [] }, 'Gateway.EmptyIdList'],
    ['more distinct IDs than MAX_IDS_PER_JOB', { ids: Array.from({ length: 1_001 }, (_, index) => index + 1) }, 'Gateway.TooManyIds'],
    ['a blank domain', { domain: ' ' }, 'Gateway.InvalidDomain'],
  ])('refuses %s with InvalidParameterError, reading and storing nothing', async (_name, variables, code) => {
    const result = await plan(variables);
    expect(result).toMatchObject({ __typename: 'InvalidParameterError', code, csrIds: [] });
    expect(result.message).toMatch(/nothing was planned/);
    expect(reads.checked).toEqual([]);
  });

  it('refuses a domain with more CSRs than one job may carry', async () => {
    reads.domains.set('big.example.com', Array.from({ length: 1_001 }, (_, index) => 8_001 + index));
    expect(await plan({ domain: 'big.example.com' })).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.TooManyIds' });
  });

  it('answers the read failure as its typed error, with the IDs it concerned, when what exists cannot be found out', async () => {
    reads.failing = { ok: false, failure: failure('RequestLimitExceeded', 'Too many reads.', { requestId: 'rq-1' }) };
    const result = await plan({ ids: [1, 2, 0] });
    expect(result).toMatchObject({ __typename: 'RateLimitExceededError', code: 'RequestLimitExceeded', csrIds: [1, 2] });
    expect(result.message).toMatch(/nothing was planned/);
  });

  it('needs the delete scope: a caller with only csr:audit is FORBIDDEN, nothing read', async () => {
    const response = await graphql(rig, PLAN, { ids: [1] }, as(AUDITOR));
    expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(reads.checked).toEqual([]);
  });
});

describe('startCSRDeletion(planId:)', () => {
  it("deletes exactly the plan's existingIds, whatever exists when it starts", async () => {
    const made = await plan({ ids: [9_001, 9_002, 9_003, 45_000, -1] });
    expect(made.existingIds).toEqual([9_001, 9_002, 9_003]);
    // Created after the plan: not in it, so not deleted by it.
    rig.simulator.store.add(45_000);
    const calls = deleteCalls().length;
    const job = await start({ planId: made.id });
    expect(job).toMatchObject({ __typename: 'CSRDeletionJob', total: 3, planId: made.id });
    expect(await finished(job.id!)).toMatchObject({ total: 3, counts: { deleted: 3, notDeleted: 0, pending: 0 } });
    const sent = deleteCalls().slice(calls).flatMap((call) => call.ids);
    expect([...sent].sort((a, b) => a - b)).toEqual([9_001, 9_002, 9_003]);
    expect(rig.simulator.store.has(45_000)).toBe(true);
  });

  it('starts one job per plan: starting it again, with or without a key, answers that job', async () => {
    const made = await plan({ ids: [9_101, 9_102] });
    const first = await start({ planId: made.id, key: 'plan-key-1' });
    expect(first.__typename).toBe('CSRDeletionJob');
    expect((await start({ planId: made.id, key: 'plan-key-1' })).id).toBe(first.id);
    expect((await start({ planId: made.id })).id).toBe(first.id);
    // The key is the plan's now: with other IDs it is a mismatch, naming the plan's job.
    expect(await start({ ids: [9_101, 9_102], key: 'plan-key-1' })).toMatchObject({ __typename: 'IdempotencyKeyMismatchError', jobId: first.id });
    // And a key used for other IDs does not start the plan.
    const other = await start({ ids: [9_201], key: 'ids-key-1' });
    const second = await plan({ ids: [9_202] });
    expect(await start({ planId: second.id, key: 'ids-key-1' })).toMatchObject({ __typename: 'IdempotencyKeyMismatchError', jobId: other.id });
    await finished(first.id!);
  });

  it("is another caller's plan: unknown, its content never told", async () => {
    const made = await plan({ ids: [9_301, 9_302] });
    const answer = await start({ planId: made.id }, BOB);
    expect(answer).toMatchObject({ __typename: 'UnknownPlanError', code: 'Gateway.UnknownPlan' });
    expect(answer.message).not.toMatch(/9301|9302|alice/);
    // Bob's failed start made nothing that Alice's start would find: hers still starts.
    expect(await start({ planId: made.id })).toMatchObject({ __typename: 'CSRDeletionJob', total: 2 });
  });

  it('answers UnknownPlanError for a plan never made, or an ID that is not a plan ID', async () => {
    for (const planId of ['6f1c7c2e-8d0b-4b1a-9c55-0c9f8d7e6a5b', 'not-a-plan']) {
      expect(await start({ planId })).toMatchObject({ __typename: 'UnknownPlanError', code: 'Gateway.UnknownPlan' });
    }
  });

  it('answers ExpiredPlanError once the plan has expired, and a started one still finds its job', async () => {
    const stale = await plan({ ids: [9_401] });
    const started = await plan({ ids: [9_402] });
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
    expect(rig.simulator.store.has(9_401)).toBe(true);
  });

  it('refuses a plan that found nothing to delete, making no job', async () => {
    const made = await plan({ ids: [50_000, 0] });
    expect(await start({ planId: made.id })).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.EmptyIdList' });
  });
});
