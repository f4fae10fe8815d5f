/**
 * The read side on real processes (issue 21's acceptance): a gateway process (src/main.ts) lists,
 * pages and describes the CSRs of a simulator process, which judges each action's own rate limit by
 * arrival time. A burst of reads never puts more than the read limit in any second of either read
 * action, and no key-material marker the simulator hands out (DescribeCSR's PrivateKey, KeyPassword)
 * shows up in any answer, log line, exported span or audit record.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEY_MATERIAL_MARKERS } from '../../../src/simulator/csr-records.js';
import { DESCRIBE_CSR, DESCRIBE_CSR_SET } from '../../../src/tencent/read-client.js';
import { deleteCSRs, graphql } from '../../support/gateway.js';
import { freshConnections, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';

const READ_LIMIT = 10;
const CSRS = 1_234;

let simulator: SimulatorProcess;
let gateway: GatewayProcess;
let dataDir: string;
let otlp: Server;
const spans: Buffer[] = [];
/** Every GraphQL answer's text, for the marker grep. */
const answers: string[] = [];

beforeAll(async () => {
  otlp = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      spans.push(Buffer.concat(chunks));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => otlp.listen(0, '127.0.0.1', resolve));
  dataDir = await mkdtemp(join(tmpdir(), 'reads-'));
  simulator = await startSimulatorProcess({ seed: { from: 1, to: CSRS }, readRateLimit: READ_LIMIT });
  gateway = await startGatewayProcess({
    ...simulator.gatewayEnv,
    LOG_LEVEL: 'debug',
    AUDIT_DATA_DIR: join(dataDir, 'audit'),
    JOBS_DATA_DIR: join(dataDir, 'jobs'),
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(otlp.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await simulator?.close();
  await new Promise<void>((resolve) => otlp?.close(() => resolve()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function query<T>(text: string, variables: Record<string, unknown> = {}) {
  const response = await graphql<T>(gateway.graphqlUrl, text, variables, {}, freshConnections);
  answers.push(JSON.stringify(response));
  return response;
}

interface Page {
  csrs: { totalCount: number; nodes: { id: number }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

it('pages through every CSR of the simulator, newest first, 100 at a time', async () => {
  const seen: number[] = [];
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const response: Awaited<ReturnType<typeof query<Page>>> = await query<Page>(
      'query ($after: String) { csrs(first: 100, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    expect(response.errors).toBeUndefined();
    const csrs = response.data!.csrs;
    expect(csrs.totalCount).toBe(CSRS);
    seen.push(...csrs.nodes.map((node) => node.id));
    if (!csrs.pageInfo.hasNextPage) break;
    after = csrs.pageInfo.endCursor;
  }
  expect(seen).toEqual(Array.from({ length: CSRS }, (_, index) => CSRS - index));
}, 120_000);

it('a burst of reads of both actions never exceeds the read limit in any second, and takes no delete slot', async () => {
  const ids = Array.from({ length: 40 }, (_, index) => index * 29 + 1);
  const [described, listed, deleted] = await Promise.all([
    // One operation each: 40 lookups, 40 DescribeCSR calls.
    Promise.all(ids.map((id) => query<{ csr: { id: number; domain: string } | null }>('query ($id: Int!) { csr(id: $id) { id domain encryptAlgo } }', { id }))),
    Promise.all(Array.from({ length: 25 }, (_, index) => query<Page>('query ($d: String) { csrs(first: 5, domain: $d) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }', { d: `www${index}.example.com` }))),
    // A deletion meanwhile: its own budget, answered (and audited) while the reads queue.
    deleteCSRs(gateway.graphqlUrl, [CSRS], {}, freshConnections),
  ]);
  expect(described.map((response) => response.data?.csr?.id)).toEqual(ids);
  expect(listed.every((response) => response.errors === undefined && response.data!.csrs.totalCount > 0)).toBe(true);
  expect(deleted.deletedIds).toEqual([CSRS]);

  expect(await simulator.maxCallsInWindow(1000, DESCRIBE_CSR)).toBeLessThanOrEqual(READ_LIMIT);
  expect(await simulator.maxCallsInWindow(1000, DESCRIBE_CSR_SET)).toBeLessThanOrEqual(READ_LIMIT);
  const calls = await simulator.calls();
  expect(calls.filter((call) => call.outcome === 'RequestLimitExceeded')).toEqual([]);
  expect(calls.filter((call) => call.action === DESCRIBE_CSR)).toHaveLength(ids.length);
}, 120_000);

it('no key-material marker in any answer, log line, exported span or audit record', async () => {
  // csr(id) makes the simulator send its key material (DescribeCSR); make sure some of it was.
  const calls = await simulator.calls();
  expect(calls.some((call) => call.action === DESCRIBE_CSR && call.outcome === 'Success')).toBe(true);
  // Let the span exporter (50 ms batches) and the audit journal catch up before reading them.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const logs = gateway.process.lines.map((line) => JSON.stringify(line));
  expect(logs.some((line) => line.includes('upstream read call'))).toBe(true);
  expect(spans.length).toBeGreaterThan(0);
  const audit = await filesUnder(join(dataDir, 'audit'));
  expect(audit.length).toBeGreaterThan(0);
  const outputs = [...answers, ...logs, ...spans.map((body) => body.toString('utf8')), ...(await Promise.all(audit.map((file) => readFile(file, 'latin1'))))];
  for (const marker of KEY_MATERIAL_MARKERS) {
    expect(outputs.filter((output) => output.includes(marker))).toEqual([]);
  }
}, 60_000);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}
