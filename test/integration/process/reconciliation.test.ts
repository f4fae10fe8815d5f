/**
 * Reconciliation of lost answers (issue 21 item 4), end to end: a gateway process with its real
 * delete client, read client and existence checker, against the simulator in a process of its own,
 * which applies (or not) each delete and then loses its answer, and can make the read actions fail.
 * The exact decisions are table-tested in memory (test/unit/engine/decision.test.ts,
 * reconciliation.test.ts); here the invariants over sockets:
 *
 *   - an answer lost after the delete: the caller gets `deletedIds`, nothing is sent again, and the
 *     audit record says a check confirmed it, with the check's RequestId;
 *   - an answer lost before the delete: a later call deletes the IDs;
 *   - the read actions failing: `unknownIds`, as before checks existed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { READ_ACTIONS } from '../../../src/tencent/read-client.js';
import { deleteCSRs, expectPartition } from '../../support/gateway.js';
import { freshConnections, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { startSimulatorProcess, type SimulatorProcess } from '../../support/simulator-process.js';
import { auditOf } from '../audit/support/audit-query.js';

let gateway: GatewayProcess | undefined;
let simulator: SimulatorProcess | undefined;
let auditDir: string;

beforeEach(async () => {
  auditDir = mkdtempSync(join(tmpdir(), 'reconcile-audit-'));
  simulator = await startSimulatorProcess({ seed: { from: 1, to: 1_000 } });
  gateway = await startGatewayProcess({ ...simulator.gatewayEnv, AUDIT_DATA_DIR: auditDir });
});
afterEach(async () => {
  await gateway?.stop();
  await simulator?.close();
  gateway = simulator = undefined;
  rmSync(auditDir, { recursive: true, force: true });
});

const deletes = async () => (await simulator!.calls()).filter((call) => call.action === 'BatchDeleteCSR');
const reads = async () => (await simulator!.calls()).filter((call) => call.action !== 'BatchDeleteCSR');

describe('a lost answer is reconciled by the read side', () => {
  it('lost after the delete: deletedIds, not sent again, and the audit says a check confirmed it', async () => {
    await simulator!.inject({ kind: 'dropAfterApply' });
    const ids = [11, 12, 13];
    const result = await deleteCSRs(gateway!.graphqlUrl, ids, {}, freshConnections);

    expectPartition(result, ids);
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: ids, unknownIds: [], notDeletedIds: [] });
    expect(await deletes()).toHaveLength(1);
    // The check's calls (a scan, a DescribeCSR per ID — "not found" is an answer too): no delete slot taken.
    const checks = await reads();
    expect(checks.length).toBeGreaterThan(0);
    expect(await simulator!.exists(ids)).toEqual([]);

    const [record] = await auditOf(gateway!.graphqlUrl, 12);
    expect(record).toMatchObject({ outcome: 'DELETED', confirmedBy: 'CHECK' });
    expect(record!.requestIds.length).toBeGreaterThan(0);
    expect(checks.map((call) => call.requestId)).toEqual(expect.arrayContaining(record!.requestIds));
    expect(result.requestIds).toEqual(expect.arrayContaining(record!.requestIds));
  });

  it('an answer without a Success list after the delete: deletedIds, confirmed by a check', async () => {
    await simulator!.inject({ kind: 'noSuccessList', success: 'null' });
    const result = await deleteCSRs(gateway!.graphqlUrl, [21, 22], {}, freshConnections);
    expect(result).toMatchObject({ deletedIds: [21, 22], unknownIds: [] });
    expect(await deletes()).toHaveLength(1);
    const [record] = await auditOf(gateway!.graphqlUrl, 21);
    expect(record).toMatchObject({ outcome: 'DELETED', confirmedBy: 'CHECK' });
  });

  it('lost before the delete: still there, so a later call deletes the IDs (its answer is the evidence)', async () => {
    await simulator!.inject({ kind: 'dropBeforeApply' });
    const ids = [31, 32];
    const result = await deleteCSRs(gateway!.graphqlUrl, ids, {}, freshConnections);

    expect(result).toMatchObject({ deletedIds: ids, unknownIds: [], notDeletedIds: [] });
    const sent = await deletes();
    expect(sent.map((call) => call.outcome)).toEqual(['Dropped', 'Success']);
    expect(sent[1]?.deleted).toEqual(ids);
    // The check went between the two deletes.
    const [check] = await reads();
    expect(check!.arrivedAt).toBeGreaterThan(sent[0]!.arrivedAt);
    expect(check!.arrivedAt).toBeLessThan(sent[1]!.arrivedAt);
    const [record] = await auditOf(gateway!.graphqlUrl, 31);
    expect(record).toMatchObject({ outcome: 'DELETED', confirmedBy: null });
  });

  it('the read actions failing: the check is impossible, and the IDs are unknown as before', async () => {
    await simulator!.injectAll([
      ...READ_ACTIONS.map((action) => ({ fault: { kind: 'error', code: 'UnauthorizedOperation' } as const, times: Infinity, action })),
      { fault: { kind: 'dropAfterApply' } },
    ]);
    const ids = [41, 42];
    const result = await deleteCSRs(gateway!.graphqlUrl, ids, {}, freshConnections);

    expectPartition(result, ids);
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', unknownIds: ids, deletedIds: [], notDeletedIds: [] });
    expect((await reads()).length).toBeGreaterThan(0);
    const [record] = await auditOf(gateway!.graphqlUrl, 41);
    expect(record).toMatchObject({ outcome: 'UNKNOWN', confirmedBy: null });
  });
});
