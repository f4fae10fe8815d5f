/**
 * Deletion jobs across three gateway processes that share one account's rate limit (the machine's
 * Redis, on a fresh account's keys) and one job store (a fresh database on the machine's
 * PostgreSQL), in front of one strict simulator in a process of its own — the judge. Each ID's
 * result is checked against what the simulator saw: which call carried it, what that call deleted.
 *
 *   - A 20,000-ID job completes with exact per-ID results, while a subscriber on a replica that is
 *     not running it follows its progress over SSE (the holder's changes reach it through
 *     PostgreSQL's LISTEN/NOTIFY).
 *   - The replica holding a 20,000-ID job is SIGKILLed mid-job: another takes it over once the
 *     lease has run out and finishes it; every ID is accounted for once, none was sent twice, the
 *     ones in flight at the kill are UNKNOWN, and the limit held throughout.
 *
 * Invariants only: how long each step took depends on the machine, and is the benchmark's business.
 */
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_PREFIX } from '../../../src/engine/redis-limiter.js';
import { scheduleKey } from '../../../src/engine/redis-schedule.js';
import type { CallRecord } from '../../../src/simulator/simulator.js';
import { freshDatabase, type TestDatabase } from '../audit/support/postgres.js';
import { TEST_REDIS_URL } from '../../support/environment.js';
import { graphql, type GraphQLResponse } from '../../support/gateway.js';
import { freshConnections, startGatewayProcesses, type GatewayProcess } from '../../support/gateway-process.js';
import { deleteKeys } from '../../support/redis-server.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';

const LIMIT = 10;
const LEASE_MS = 3_000;
/** IDs 10,001–30,000 exist: each job below is half IDs that exist, half that do not. */
const SEED = { from: 10_001, to: 30_000 };
/** The runner's window at this limit (src/server.ts): the most IDs of one job in flight at a kill. */
const WINDOW = Math.ceil(LIMIT * 100 * 1.5);

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let database: TestDatabase;
let simulator: SimulatorProcess;
let gateways: GatewayProcess[] = [];

beforeAll(async () => {
  database = await freshDatabase();
  simulator = await startSimulatorProcess({ seed: SEED, rateLimit: LIMIT });
  const env = { ...simulator.gatewayEnv, REDIS_URL: TEST_REDIS_URL, DATABASE_URL: database.url, JOB_LEASE_MS: String(LEASE_MS) };
  // One first, so that the store's migration is not three replicas racing on a loaded machine (they
  // would be fine, but the first start is then the slowest part of the file).
  gateways = await startGatewayProcesses(1, env);
  gateways.push(...(await startGatewayProcesses(2, env)));
}, 240_000);

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.process.stop('SIGKILL')));
  await simulator?.close();
  // The simulator's account is this file's alone, and so are its keys.
  if (simulator) await deleteKeys(TEST_REDIS_URL, scheduleKey(DEFAULT_KEY_PREFIX, simulator.credentials.secretId, '*'));
  await database?.drop();
}, 60_000);

interface Counts {
  deleted: number;
  notDeleted: number;
  unknown: number;
  failed: number;
  pending: number;
}
interface Job {
  id: string;
  status: string;
  total: number;
  counts: Counts;
}
interface Item {
  csrId: number;
  outcome: string | null;
  code: string | null;
  requestId: string | null;
  requestIds: string[];
  confirmedBy: string | null;
}

const JOB_FIELDS = 'id status total counts { deleted notDeleted unknown failed pending }';

async function start(gateway: GatewayProcess, ids: readonly number[]): Promise<string> {
  const response = await graphql<{ startCSRDeletion: { __typename: string; id?: string } }>(
    gateway.graphqlUrl,
    `mutation S($ids: [Int!]) { startCSRDeletion(ids: $ids) { __typename ... on CSRDeletionJob { id } } }`,
    { ids },
    {},
    freshConnections,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data?.startCSRDeletion.__typename).toBe('CSRDeletionJob');
  return response.data!.startCSRDeletion.id!;
}

async function read(gateway: GatewayProcess, id: string): Promise<Job> {
  const response = await graphql<{ csrDeletionJob: Job }>(
    gateway.graphqlUrl,
    `query J($id: ID!) { csrDeletionJob(id: $id) { ${JOB_FIELDS} } }`,
    { id },
    {},
    freshConnections,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.csrDeletionJob;
}

interface ResultsPage {
  csrDeletionJob: { results: { nodes: Item[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
}

async function results(gateway: GatewayProcess, id: string): Promise<Item[]> {
  const items: Item[] = [];
  let after: string | null = null;
  for (;;) {
    const response: GraphQLResponse<ResultsPage> = await graphql<ResultsPage>(
      gateway.graphqlUrl,
      `query R($id: ID!, $after: String) { csrDeletionJob(id: $id) {
         results(first: 1000, after: $after) { nodes { csrId outcome code requestId requestIds confirmedBy } pageInfo { hasNextPage endCursor } } } }`,
      { id, after },
      {},
      freshConnections,
    );
    expect(response.errors).toBeUndefined();
    const page = response.data!.csrDeletionJob.results;
    items.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return items;
    after = page.pageInfo.endCursor;
  }
}

/** The replica that took `jobId` (its own log line says so), waiting for it if need be. */
async function holderOf(jobId: string, among: readonly GatewayProcess[], timeoutMs = 60_000): Promise<GatewayProcess> {
  const taken = (gateway: GatewayProcess): boolean =>
    gateway.process.lines.some((line) => line.msg === 'deletion job taken' && line['job'] === jobId);
  await expect.poll(() => among.some(taken), { timeout: timeoutMs, interval: 50 }).toBe(true);
  return among.find(taken)!;
}

/** Every call the simulator received that carried an ID of `ids`, by ID. */
function callsById(calls: readonly CallRecord[], ids: readonly number[]): Map<number, CallRecord[]> {
  const wanted = new Set(ids);
  const byId = new Map<number, CallRecord[]>();
  // Deletes only: the heir's existence checks (DescribeCSR, DescribeCSRSet) are in the log too.
  for (const call of calls.filter((each) => each.action === 'BatchDeleteCSR')) {
    for (const id of call.ids) {
      if (!wanted.has(id)) continue;
      const carried = byId.get(id) ?? [];
      carried.push(call);
      byId.set(id, carried);
    }
  }
  return byId;
}

interface ProgressEvent {
  readonly at: number;
  readonly job: Job;
}

/**
 * Follows `csrDeletionJobProgress` over GraphQL over SSE on `gateway`, recording when each event
 * came, until the stream ends; `completed` tells whether the server ended it with `event: complete`.
 */
async function follow(gateway: GatewayProcess, id: string): Promise<{ events: ProgressEvent[]; completed: boolean }> {
  const response = await fetch(gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: `subscription P($id: ID!) { csrDeletionJobProgress(id: $id) { ${JOB_FIELDS} } }`, variables: { id } }),
    dispatcher: freshConnections,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: ProgressEvent[] = [];
  let completed = false;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
      const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
      if (event === 'complete') completed = true;
      if (event === 'next' && data) {
        const payload = JSON.parse(data) as { data?: { csrDeletionJobProgress: Job }; errors?: unknown };
        expect(payload.errors).toBeUndefined();
        events.push({ at: performance.now(), job: payload.data!.csrDeletionJobProgress });
      }
    }
  }
  return { events, completed };
}

describe('a deletion job on three replicas sharing Redis and PostgreSQL', () => {
  it('completes 20,000 IDs with exact per-ID results, its progress streamed by a replica that is not running it', async () => {
    const ids = range(1, 20_000);
    const id = await start(gateways[0]!, ids);
    const holder = await holderOf(id, gateways);
    const bystander = gateways.find((gateway) => gateway !== holder)!;
    const { events, completed } = await follow(bystander, id);

    // The stream: the job at once, then its changes, a last event with the final status, then the end.
    expect(completed).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events.at(-1)!.job;
    expect(last).toMatchObject({ id, status: 'COMPLETED', total: 20_000, counts: { deleted: 10_000, notDeleted: 10_000, unknown: 0, failed: 0, pending: 0 } });
    const pendings = events.map((event) => event.job.counts.pending);
    expect([...pendings].sort((a, b) => b - a)).toEqual(pendings);
    // Progress came while it ran, not only at the end: at least 1 event a second (with slack for a
    // loaded machine's stalls) ...
    const running = events.filter((event) => event.job.counts.pending < 20_000);
    const seconds = (events.at(-1)!.at - events[0]!.at) / 1_000;
    expect(running.length).toBeGreaterThanOrEqual(Math.floor(seconds / 2));
    // ... and more than the bystander's once-a-second re-read alone could make: the holder's
    // changes reached it as notifications (LISTEN/NOTIFY across processes), up to 4 a second.
    expect(events.length).toBeGreaterThan(seconds + 2);
    // Only the holder ran it.
    for (const other of gateways.filter((gateway) => gateway !== holder)) {
      expect(other.process.lines.filter((line) => line.msg === 'deletion job taken' && line['job'] === id)).toEqual([]);
    }

    // Exact per-ID results, against the judge: each ID went out in exactly one call, and its outcome
    // and RequestId are that call's.
    const items = await results(bystander, id);
    expect(items.map((item) => item.csrId)).toEqual(ids);
    const carried = callsById(await simulator.calls(), ids);
    for (const item of items) {
      const calls = carried.get(item.csrId) ?? [];
      expect(calls, `ID ${item.csrId}`).toHaveLength(1);
      const call = calls[0]!;
      expect(call.outcome).toBe('Success');
      const deleted = call.deleted.includes(item.csrId);
      expect(deleted, `ID ${item.csrId}`).toBe(item.csrId >= SEED.from);
      expect({ id: item.csrId, outcome: item.outcome, code: item.code, requestIds: item.requestIds }).toEqual({
        id: item.csrId,
        outcome: deleted ? 'DELETED' : 'NOT_DELETED',
        code: null,
        requestIds: [call.requestId],
      });
    }
    expect(await simulator.exists(ids)).toEqual([]);
    expect(await simulator.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
  }, 300_000);

  it('is taken over when its replica is SIGKILLed mid-job: finished elsewhere, every ID once, none sent twice, the limit kept', async () => {
    const ids = range(20_001, 40_000);
    const existing = new Set(range(20_001, SEED.to));
    const id = await start(gateways[1]!, ids);
    const holder = await holderOf(id, gateways);
    const survivors = gateways.filter((gateway) => gateway !== holder);
    // Mid-job: a few thousand settled, most not yet sent.
    await expect
      .poll(async () => (await read(survivors[0]!, id)).counts.pending, { timeout: 120_000, interval: 100 })
      .toBeLessThanOrEqual(17_000);
    await holder.process.stop('SIGKILL');
    const killedAt = performance.now();
    gateways = survivors;

    // Another replica takes it over once the lease has run out (at most LEASE_MS after the last
    // renewal, plus one poll of at most a second): a few seconds; the bound leaves a loaded machine
    // room, and would still catch a job left to rot.
    const heir = await holderOf(id, survivors, 60_000);
    expect(performance.now() - killedAt).toBeLessThanOrEqual(LEASE_MS + 1_000 + 15_000);
    await expect.poll(async () => (await read(heir, id)).status, { timeout: 180_000, interval: 500 }).toBe('COMPLETED');

    const job = await read(survivors.find((gateway) => gateway !== heir)!, id);
    const { deleted, notDeleted, unknown, failed, pending } = job.counts;
    expect({ failed, pending }).toEqual({ failed: 0, pending: 0 });
    expect(deleted + notDeleted + unknown).toBe(20_000);
    // UNKNOWN: only what the dead replica had claimed (marked SENDING) — at most its window.
    expect(unknown).toBeLessThanOrEqual(WINDOW);

    const items = await results(heir, id);
    expect(items.map((item) => item.csrId)).toEqual(ids);
    const carried = callsById(await simulator.calls(), ids);
    for (const item of items) {
      const calls = carried.get(item.csrId) ?? [];
      // Never sent twice: not by the heir, not by the engine's own retries.
      expect(calls.length, `ID ${item.csrId}`).toBeLessThanOrEqual(1);
      if (item.outcome === 'UNKNOWN') continue; // claimed by the dead replica: sent or not, never again
      if (item.confirmedBy === 'CHECK') {
        // Claimed by the dead replica and found gone by the heir's existence check (contract §5,
        // Reconciliation): deleted by the dead replica's call — or never there, which a check cannot
        // tell apart — and never sent again. Its RequestIds are the check's reads.
        expect(item.outcome, `ID ${item.csrId}`).toBe('DELETED');
        expect(item.requestIds.length, `ID ${item.csrId}`).toBeGreaterThan(0);
        if (calls[0]) expect(item.requestIds, `ID ${item.csrId}`).not.toContain(calls[0].requestId);
        continue;
      }
      expect(calls, `ID ${item.csrId}`).toHaveLength(1);
      const call = calls[0]!;
      const wasDeleted = call.deleted.includes(item.csrId);
      expect(wasDeleted).toBe(existing.has(item.csrId));
      expect({ id: item.csrId, outcome: item.outcome, requestIds: item.requestIds }).toEqual({
        id: item.csrId,
        outcome: wasDeleted ? 'DELETED' : 'NOT_DELETED',
        requestIds: [call.requestId],
      });
    }
    // Only an UNKNOWN ID may still exist.
    const unknownIds = new Set(items.filter((item) => item.outcome === 'UNKNOWN').map((item) => item.csrId));
    const left = await simulator.exists(ids);
    expect(left.filter((each) => !unknownIds.has(each))).toEqual([]);
    expect(await simulator.maxCallsInWindow(1_000)).toBeLessThanOrEqual(LIMIT);
  }, 400_000);
});
