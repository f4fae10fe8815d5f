/**
 * Deletion plans across replicas: two gateway processes sharing one PostgreSQL (`DATABASE_URL`), the
 * simulator a process of its own — the judge. A plan made on replica A deletes nothing; replica B
 * starts it (for its caller only) and the job deletes exactly the plan's existingIds; starting it
 * again on A answers the same job; a plan by domain lists what the simulator holds of that domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_DELETE_CSR } from '../../../src/tencent/client.js';
import { startGatewayProcesses, type GatewayProcess } from '../../support/gateway-process.js';
import { graphql } from '../../support/gateway.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';
import { freshDatabase, type TestDatabase } from '../audit/support/postgres.js';

const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef';
const as = (key: string) => ({ authorization: `Bearer ${key}` });

const PLAN = /* GraphQL */ `
  mutation Plan($ids: [Int!], $domain: String) {
    planCSRDeletion(ids: $ids, domain: $domain) {
      __typename
      ... on CSRDeletionPlan { id existingIds missingIds invalidIds estimatedCalls caller domain }
      ... on TencentCloudError { code message csrIds }
    }
  }
`;
const START = /* GraphQL */ `
  mutation Start($planId: ID, $key: String) {
    startCSRDeletion(planId: $planId, idempotencyKey: $key) {
      __typename
      ... on CSRDeletionJob { id total planId }
      ... on UnknownPlanError { code message }
    }
  }
`;
const JOB = /* GraphQL */ `query Job($id: ID!) { csrDeletionJob(id: $id) { status total counts { deleted notDeleted unknown failed pending } } }`;

interface Plan {
  __typename: string;
  id: string;
  existingIds: number[];
  missingIds: number[];
  invalidIds: number[];
  estimatedCalls: number;
  caller: string;
  domain: string | null;
}

let simulator: SimulatorProcess;
let database: TestDatabase;
let a: GatewayProcess;
let b: GatewayProcess;

beforeAll(async () => {
  simulator = await startSimulatorProcess({ seed: { from: 1, to: 2_000 }, rateLimit: 10 });
  database = await freshDatabase();
  [a, b] = (await startGatewayProcesses(2, {
    ...simulator.gatewayEnv,
    DATABASE_URL: database.url,
    AUTH_API_KEYS: `alice:${ALICE},bob:${BOB}`,
  })) as [GatewayProcess, GatewayProcess];
}, 180_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await simulator?.close();
  await database?.drop();
});

async function plan(url: string, variables: Record<string, unknown>): Promise<Plan> {
  const response = await graphql<{ planCSRDeletion: Plan }>(url, PLAN, variables, as(ALICE));
  expect(response.errors).toBeUndefined();
  return response.data!.planCSRDeletion;
}

describe('deletion plans across replicas sharing PostgreSQL', () => {
  it('a plan made on one replica deletes nothing, and starts on another for its caller only, deleting exactly its existingIds once', async () => {
    const ids = [...Array.from({ length: 150 }, (_, index) => index + 1), 2_500, 0];
    const made = await plan(a.graphqlUrl, { ids });
    expect(made).toMatchObject({
      __typename: 'CSRDeletionPlan',
      existingIds: ids.slice(0, 150),
      missingIds: [2_500],
      invalidIds: [0],
      estimatedCalls: 2,
      caller: 'alice',
    });
    expect((await simulator.calls()).filter((call) => call.action === BATCH_DELETE_CSR)).toEqual([]);
    expect(await simulator.storeSize()).toBe(2_000);

    // Another caller, on the other replica: as if there were no such plan.
    const bobs = await graphql<{ startCSRDeletion: { __typename: string } }>(b.graphqlUrl, START, { planId: made.id }, as(BOB));
    expect(bobs.data?.startCSRDeletion.__typename).toBe('UnknownPlanError');

    const started = await graphql<{ startCSRDeletion: { __typename: string; id: string; total: number; planId: string } }>(
      b.graphqlUrl,
      START,
      { planId: made.id, key: 'replica-b' },
      as(ALICE),
    );
    expect(started.data?.startCSRDeletion).toMatchObject({ __typename: 'CSRDeletionJob', total: 150, planId: made.id });
    const jobId = started.data!.startCSRDeletion.id;
    // Started again on the first replica, without the key: the plan's one job.
    const again = await graphql<{ startCSRDeletion: { id: string } }>(a.graphqlUrl, START, { planId: made.id }, as(ALICE));
    expect(again.data?.startCSRDeletion.id).toBe(jobId);

    await expect
      .poll(async () => (await graphql<{ csrDeletionJob: { status: string } }>(a.graphqlUrl, JOB, { id: jobId }, as(ALICE))).data?.csrDeletionJob.status, {
        timeout: 60_000,
        interval: 250,
      })
      .toBe('COMPLETED');
    const job = await graphql<{ csrDeletionJob: { counts: Record<string, number> } }>(b.graphqlUrl, JOB, { id: jobId }, as(ALICE));
    expect(job.data?.csrDeletionJob.counts).toEqual({ deleted: 150, notDeleted: 0, unknown: 0, failed: 0, pending: 0 });
    const sent = (await simulator.calls()).filter((call) => call.action === BATCH_DELETE_CSR).flatMap((call) => call.ids);
    expect([...sent].sort((x, y) => x - y)).toEqual(ids.slice(0, 150));
    expect(await simulator.exists(ids)).toEqual([]);
    expect(await simulator.storeSize()).toBe(1_850);
  });

  it('a plan by domain lists every CSR the simulator holds of that domain, and only those', async () => {
    const domain = 'www7.example.com';
    const candidates = Array.from({ length: 20 }, (_, index) => 7 + 100 * index);
    const held = await simulator.exists(candidates);
    const made = await plan(b.graphqlUrl, { domain });
    expect(made).toMatchObject({ __typename: 'CSRDeletionPlan', existingIds: held, missingIds: [], invalidIds: [], domain });
    expect(held.length).toBeGreaterThan(0);
  });
});
