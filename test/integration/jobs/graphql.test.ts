/**
 * Deletion jobs through GraphQL, in one process: a gateway over real HTTP with the embedded job
 * database (PGlite, in memory) and an in-process simulator. The runner really runs: jobs complete
 * against the simulator, and what each ID became is checked against what the simulator saw.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDriver } from '../../../src/jobs/sql.js';
import { JobStore } from '../../../src/jobs/store.js';
import { graphql, startRig, type Rig } from '../../support/gateway.js';

const JOB_FIELDS = /* GraphQL */ `
  id status caller total cancelRequested createdAt startedAt finishedAt
  counts { deleted notDeleted unknown failed pending }
`;
const START = /* GraphQL */ `
  mutation Start($ids: [Int!], $planId: ID, $key: String) {
    startCSRDeletion(ids: $ids, planId: $planId, idempotencyKey: $key) {
      __typename
      ... on CSRDeletionJob { ${JOB_FIELDS} }
      ... on TencentCloudError { code message csrIds }
      ... on IdempotencyKeyMismatchError { code message jobId }
      ... on UnknownPlanError { code message }
    }
  }
`;
const JOB = /* GraphQL */ `query Job($id: ID!) { csrDeletionJob(id: $id) { ${JOB_FIELDS} } }`;
const RESULTS = /* GraphQL */ `
  query Results($id: ID!, $after: String, $outcome: CSRDeletionOutcome) {
    csrDeletionJob(id: $id) {
      results(first: 1000, after: $after, outcome: $outcome) {
        nodes { csrId outcome code requestId requestIds }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

interface Job {
  id: string;
  status: string;
  caller: string;
  total: number;
  cancelRequested: boolean;
  finishedAt: string | null;
  counts: { deleted: number; notDeleted: number; unknown: number; failed: number; pending: number };
}
interface Result {
  csrId: number;
  outcome: string | null;
  code: string | null;
  requestId: string | null;
  requestIds: string[];
}
type StartResult = Job & { __typename: string; code?: string; csrIds?: number[]; jobId?: string };

let rig: Rig;

async function start(variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<StartResult> {
  const response = await graphql<{ startCSRDeletion: StartResult }>(rig.url, START, variables, headers);
  expect(response.errors).toBeUndefined();
  return response.data!.startCSRDeletion;
}

async function job(id: string): Promise<Job> {
  const response = await graphql<{ csrDeletionJob: Job }>(rig.url, JOB, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.csrDeletionJob;
}

async function finished(id: string): Promise<Job> {
  await expect.poll(async () => (await job(id)).status, { timeout: 60_000, interval: 200 }).toMatch(/COMPLETED|CANCELLED/);
  return job(id);
}

async function results(id: string, outcome?: string): Promise<Result[]> {
  const all: Result[] = [];
  let after: string | null = null;
  for (;;) {
    const response: Awaited<ReturnType<typeof graphql<{ csrDeletionJob: { results: { nodes: Result[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } }>>> =
      await graphql(rig.url, RESULTS, { id, after, ...(outcome ? { outcome } : {}) });
    expect(response.errors).toBeUndefined();
    const page = response.data!.csrDeletionJob.results;
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return all;
    after = page.pageInfo.endCursor;
  }
}

beforeAll(async () => {
  const { store } = await JobStore.open(await PGliteDriver.open(undefined));
  rig = await startRig({
    env: { TENCENTCLOUD_RATE_LIMIT: '50' },
    simulator: { rateLimit: 50 },
    gateway: { jobStore: store, jobRunner: { pollMs: 100 } },
  });
});
afterAll(() => rig.close());

describe('deletion jobs over GraphQL', () => {
  it('runs a job to completion with an outcome and RequestIds per ID, as the simulator saw them', async () => {
    // 19,501–20,000 exist; 20,001–22,500 do not.
    const ids = Array.from({ length: 3_000 }, (_, index) => 19_501 + index);
    const started = await start({ ids });
    expect(started).toMatchObject({ __typename: 'CSRDeletionJob', caller: 'anonymous', total: 3_000 });
    expect(['QUEUED', 'RUNNING']).toContain(started.status);
    const done = await finished(started.id);
    expect(done).toMatchObject({ status: 'COMPLETED', counts: { deleted: 500, notDeleted: 2_500, unknown: 0, failed: 0, pending: 0 } });
    expect(done.finishedAt).not.toBeNull();
    const items = await results(started.id);
    expect(items.map((item) => item.csrId)).toEqual(ids);
    const callOf = new Map(rig.simulator.log.filter((call) => call.requestId).map((call) => [call.requestId!, call]));
    for (const item of items) {
      expect(item.outcome).toBe(item.csrId <= 20_000 ? 'DELETED' : 'NOT_DELETED');
      // The RequestId is that of a call that carried the ID, and (for DELETED) deleted it.
      const call = callOf.get(item.requestId!);
      expect(call?.ids).toContain(item.csrId);
      if (item.outcome === 'DELETED') expect(call?.deleted).toContain(item.csrId);
    }
    expect(ids.filter((id) => rig.simulator.store.has(id))).toEqual([]);
    expect(rig.simulator.maxCallsInWindow()).toBeLessThanOrEqual(50);
    expect((await results(started.id, 'DELETED')).map((item) => item.csrId)).toEqual(ids.slice(0, 500));
  });

  it('answers a replay with the same key and IDs with the same job, live, and other IDs with IdempotencyKeyMismatchError', async () => {
    const first = await start({ ids: [30_001, 30_002], key: 'replay-1' });
    const byHeader = await start({ ids: [30_002, 30_001, 30_001] }, { 'idempotency-key': 'replay-1' });
    expect(byHeader.id).toBe(first.id);
    await finished(first.id);
    const later = await start({ ids: [30_001, 30_002], key: 'replay-1' });
    expect(later).toMatchObject({ id: first.id, status: 'COMPLETED', counts: { notDeleted: 2 } });
    const mismatch = await start({ ids: [30_001], key: 'replay-1' });
    expect(mismatch).toMatchObject({ __typename: 'IdempotencyKeyMismatchError', code: 'Gateway.IdempotencyKeyMismatch', jobId: first.id });
  });

  it.each([
    [{}, 'InvalidParameterError', 'Gateway.IdsOrPlan'],
    [{ ids: [1], planId: 'p' }, 'InvalidParameterError', 'Gateway.IdsOrPlan'],
    [{ ids: [] }, 'InvalidParameterError', 'Gateway.EmptyIdList'],
    [{ ids: [5, 0, -3] }, 'InvalidCSRIdError', 'Gateway.InvalidCSRId'],
    [{ planId: 'no-such-plan' }, 'UnknownPlanError', 'Gateway.UnknownPlan'],
    [{ ids: [1], key: 'has space' }, 'InvalidParameterError', 'Gateway.InvalidIdempotencyKey'],
  ])('refuses %j with %s (%s), making no job', async (variables, typename, code) => {
    const before = rig.simulator.log.length;
    expect(await start(variables)).toMatchObject({ __typename: typename, code });
    expect(rig.simulator.log.length).toBe(before);
  });

  it('cancels: IDs not sent by then are never sent, the others settle, every ID is accounted for once', async () => {
    const ids = Array.from({ length: 20_000 }, (_, index) => 40_001 + index);
    const started = await start({ ids });
    await expect.poll(async () => (await job(started.id)).counts.pending < 20_000, { timeout: 30_000, interval: 100 }).toBe(true);
    const cancel = await graphql<{ cancelCSRDeletion: Job }>(rig.url, `mutation C($id: ID!) { cancelCSRDeletion(id: $id) { ${JOB_FIELDS} } }`, { id: started.id });
    expect(cancel.data?.cancelCSRDeletion.cancelRequested).toBe(true);
    const done = await finished(started.id);
    expect(done.status).toBe('CANCELLED');
    const { deleted, notDeleted, unknown, failed, pending } = done.counts;
    expect(pending).toBe(0);
    expect(deleted + notDeleted + unknown + failed).toBe(20_000);
    expect(failed).toBeGreaterThan(0);
    const cancelled = await results(started.id, 'FAILED');
    expect(cancelled.every((item) => item.code === 'Gateway.Cancelled' && item.requestIds.length === 0)).toBe(true);
    const sent = new Set(rig.simulator.log.flatMap((call) => call.ids));
    expect(cancelled.filter((item) => sent.has(item.csrId))).toEqual([]);
    // Nothing more is sent for the job once it is CANCELLED.
    const calls = rig.simulator.log.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rig.simulator.log.slice(calls).flatMap((call) => call.ids).filter((id) => id > 40_000 && id <= 60_000)).toEqual([]);
  });

  it('streams progress over SSE: the job at once, changes, the final status, then the end', async () => {
    const ids = Array.from({ length: 1_000 }, (_, index) => 70_001 + index);
    const started = await start({ ids });
    const response = await fetch(rig.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription P($id: ID!) { csrDeletionJobProgress(id: $id) { id status counts { deleted notDeleted pending } } }`,
        variables: { id: started.id },
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('event: next'))
      .map((block) => JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice(6)) as { data: { csrDeletionJobProgress: Job } });
    const jobs = events.map((event) => event.data.csrDeletionJobProgress);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.at(-1)).toMatchObject({ status: 'COMPLETED', counts: { notDeleted: 1_000, pending: 0 } });
    const pendings = jobs.map((each) => each.counts.pending);
    expect([...pendings].sort((a, b) => b - a)).toEqual(pendings);
    expect(text).toContain('event: complete');
  });
});
