/**
 * 1,000 concurrent one-ID callers through one gateway process, judged by a simulator in a process of
 * its own: each caller is answered with exactly its own ID, deleted; every upstream call carries 1 to
 * 100 distinct IDs; no sliding second holds more calls than the limit.
 *
 * How few calls the gateway needed is not asserted here: it depends on how fast this machine accepts
 * 1,000 connections (the exact count is an in-memory engine test, the figure a benchmark's).
 */
import { afterEach, expect, it } from 'vitest';
import { deleteCSRs, expectPartition } from '../../support/gateway.js';
import { freshConnections, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';

const CALLERS = 1_000;

let gateway: GatewayProcess | undefined;
let simulator: SimulatorProcess | undefined;
afterEach(async () => {
  await gateway?.stop();
  await simulator?.close();
  gateway = simulator = undefined;
});

it(`${CALLERS} concurrent one-ID callers: each its own ID, calls of 1–100 distinct IDs, never over the limit`, async () => {
  simulator = await startSimulatorProcess({ seed: { from: 1, to: CALLERS } });
  gateway = await startGatewayProcess({ ...simulator.gatewayEnv });
  const ids = Array.from({ length: CALLERS }, (_, index) => index + 1);

  const results = await Promise.all(ids.map((id) => deleteCSRs(gateway!.graphqlUrl, [id], {}, freshConnections)));

  const calls = await simulator.calls();
  expect(await simulator.maxCallsInWindow(1_000)).toBeLessThanOrEqual(simulator.rateLimit);
  expect(calls.filter((call) => call.outcome !== 'Success')).toEqual([]);
  for (const call of calls) {
    expect(call.ids.length).toBeGreaterThan(0);
    expect(call.ids.length).toBeLessThanOrEqual(100);
    expect(new Set(call.ids).size).toBe(call.ids.length);
  }
  results.forEach((result, index) => {
    expectPartition(result, [ids[index]!]);
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [ids[index]], errors: [], unknownIds: [] });
  });
  expect(await simulator.storeSize()).toBe(0);
}, 120_000);
