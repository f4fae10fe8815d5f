/**
 * A single gateway process with the embedded job database (no DATABASE_URL) is SIGKILLed mid-job and
 * started again on the same directory: the job resumes and completes; every ID is accounted for
 * once; the IDs that were in flight when it died are UNKNOWN (never sent again), the others have the
 * outcome the simulator — a process of its own, the judge — says they should.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { graphql } from '../../support/gateway.js';
import { spawnGateway } from '../../support/process.js';
import { PGLITE_TEMPLATE } from '../../support/pglite-template.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';

let simulator: SimulatorProcess;
let dir: string;
let gateway: GatewayProcess | undefined;

beforeAll(async () => {
  simulator = await startSimulatorProcess({ seed: { from: 1, to: 2_000 }, rateLimit: 10 });
  dir = await mkdtemp(join(tmpdir(), 'jobs-restart-'));
  // PGlite's first open runs initdb (20-40 s on a loaded 2-core machine): start from the initialised
  // template instead, so that the gateway's start stays within the process helper's start timeout.
  await cp(PGLITE_TEMPLATE, join(dir, 'jobs'), { recursive: true });
}, 180_000);
afterAll(async () => {
  await gateway?.process.stop('SIGKILL');
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

const JOB = `query J($id: ID!) { csrDeletionJob(id: $id) { status total counts { deleted notDeleted unknown failed pending } } }`;

interface Job {
  status: string;
  total: number;
  counts: { deleted: number; notDeleted: number; unknown: number; failed: number; pending: number };
}

it('resumes the job after a SIGKILL and a restart, losing no ID and sending none twice (and no second process shares its directory)', async () => {
  const env = {
    ...simulator.gatewayEnv,
    JOBS_DATA_DIR: join(dir, 'jobs'),
    AUDIT_DATA_DIR: join(dir, 'audit'),
    JOB_LEASE_MS: '3000',
  };
  gateway = await startGatewayProcess(env);
  const ids = Array.from({ length: 4_000 }, (_, index) => index + 1);
  const started = await graphql<{ startCSRDeletion: { id: string } }>(
    gateway.graphqlUrl,
    `mutation S($ids: [Int!]) { startCSRDeletion(ids: $ids) { ... on CSRDeletionJob { id } } }`,
    { ids },
  );
  const id = started.data!.startCSRDeletion.id;
  const read = async (): Promise<Job> => (await graphql<{ csrDeletionJob: Job }>(gateway!.graphqlUrl, JOB, { id })).data!.csrDeletionJob;
  await expect.poll(async () => (await read()).counts.deleted, { timeout: 60_000, interval: 200 }).toBeGreaterThan(300);
  // A second process pointed at the directory the first holds refuses to start, and says why.
  const second = spawnGateway({ NODE_ENV: 'test', PORT: '0', ...env });
  expect(await second.exited).toBe(1);
  expect(second.stderr()).toContain(`in use by process ${gateway.process.child.pid}`);
  await gateway.process.stop('SIGKILL');

  gateway = await startGatewayProcess(env);
  await expect.poll(async () => (await read()).status, { timeout: 120_000, interval: 500 }).toBe('COMPLETED');
  const job = await read();
  const { deleted, notDeleted, unknown, failed, pending } = job.counts;
  expect(pending).toBe(0);
  expect(failed).toBe(0);
  expect(deleted + notDeleted + unknown).toBe(4_000);
  // In flight at the kill: at most the runner's window (1.5 s of calls at 10 calls/s).
  expect(unknown).toBeLessThanOrEqual(1_500);
  // 1–2,000 existed: each was deleted by the job, or is UNKNOWN (claimed by the killed process, maybe
  // sent, never sent again) — and only an UNKNOWN one may still exist.
  expect(deleted + unknown).toBeGreaterThanOrEqual(2_000);
  expect((await simulator.exists(ids)).length).toBeLessThanOrEqual(unknown);
  // No ID was carried by two calls: nothing was sent again.
  const carried = (await simulator.calls()).flatMap((call) => call.ids);
  expect(carried.length).toBe(new Set(carried).size);
  expect(await simulator.maxCallsInWindow()).toBeLessThanOrEqual(10);
}, 240_000);
