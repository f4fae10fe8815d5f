/**
 * Every row of docs/contract.md §4's error mapping, end to end: a GraphQL mutation to the gateway, the real
 * undici client, the simulator answering (or failing) over HTTP, and the typed result back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/simulator/simulator.js';
import { READ_ACTIONS } from '../../../src/tencent/read-client.js';
import { deleteCSRs, expectPartition, startRig, type Rig } from '../../support/gateway.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Short deadline and timeout, so rows whose failure is retried until the deadline finish quickly. */
const FAST = { MUTATION_DEADLINE_MS: '800', UPSTREAM_TIMEOUT_MS: '300' };

async function mutateAgainst(fault: Fault): Promise<Awaited<ReturnType<typeof deleteCSRs>>> {
  rig = await startRig({ env: FAST });
  rig.simulator.inject(fault, { times: Infinity });
  const result = await deleteCSRs(rig.url, [42]);
  expectPartition(result, [42]);
  return result;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Tencent error codes land in their GraphQL types', () => {
  const rows: [code: string, type: string][] = [
    ['InvalidParameter.InvalidCSRId', 'InvalidCSRIdError'],
    ['InvalidParameter', 'InvalidParameterError'],
    ['InvalidParameter.WithDetailReason', 'InvalidParameterError'],
    ['InvalidParameterValue', 'InvalidParameterError'],
    ['MissingParameter', 'InvalidParameterError'],
    ['UnknownParameter', 'InvalidParameterError'],
    ['FailedOperation', 'FailedOperationError'],
    ['FailedOperation.CAMAuthorizedFail', 'FailedOperationError'],
    ['ResourceNotFound', 'FailedOperationError'],
    ['SomeCodeNobodyDocumented', 'FailedOperationError'],
    ['RequestLimitExceeded', 'RateLimitExceededError'],
    ['RequestLimitExceeded.UinLimitExceeded', 'RateLimitExceededError'],
    ['AuthFailure.SignatureFailure', 'AuthFailureError'],
    ['AuthFailure.SecretIdNotFound', 'AuthFailureError'],
    ['AuthFailure.SignatureExpire', 'AuthFailureError'],
    ['UnauthorizedOperation', 'AuthFailureError'],
    ['UnauthorizedOperation.NoPermission', 'AuthFailureError'],
    ['InternalError', 'UpstreamUnavailableError'],
    ['ServiceUnavailable', 'UpstreamUnavailableError'],
    ['ResourceUnavailable', 'UpstreamUnavailableError'],
  ];
  it.each(rows)('%s → %s', async (code, type) => {
    const result = await mutateAgainst({ kind: 'error', code, message: `simulated ${code}` });
    expect(result).toMatchObject({ __typename: type, code, message: `simulated ${code}`, csrIds: [42] });
    expect(result.requestId).toMatch(UUID);
    // The request ID is the one the simulator answered with.
    expect(rig!.simulator.log.map((call) => call.requestId)).toContain(result.requestId);
  });
});

describe('a lost answer, retries spent: the IDs are unknown, never an error (honest accounting)', () => {
  // Each of these may come after Tencent applied the call, so the ID may be deleted: docs/contract.md §4
  // reports it in unknownIds, whatever fails afterwards, and never as an error.
  const rows: [name: string, fault: Fault][] = [
    ['HTTP 502', { kind: 'http', status: 502 }],
    ['HTTP 503', { kind: 'http', status: 503 }],
    ['HTTP 500', { kind: 'http', status: 500 }],
    ['a body that is not JSON', { kind: 'nonJson' }],
    ['a connection reset', { kind: 'dropBeforeApply' }],
    ['a timeout', { kind: 'delay', ms: 2_000 }],
  ];
  it.each(rows)('%s', async (_name, fault) => {
    const result = await mutateAgainst(fault);
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', unknownIds: [42], errors: [], deletedIds: [] });
    // It was retried, each retry taking a call, until the deadline.
    expect(rig!.simulator.log.length).toBeGreaterThan(1);
  });
});

describe('an answer without a Success list is no evidence that nothing was deleted', () => {
  it.each([['null', 'null'] as const, ['missing', 'missing'] as const])(
    'Success %s, the read side failing: the ID is unknown, and not sent again',
    async (_name, success) => {
      rig = await startRig({ env: FAST });
      for (const action of READ_ACTIONS) rig.simulator.inject({ kind: 'error', code: 'UnauthorizedOperation' }, { times: Infinity, action });
      rig.simulator.inject({ kind: 'noSuccessList', success }, { times: Infinity });
      const result = await deleteCSRs(rig.url, [42]);
      expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', unknownIds: [42], notDeletedIds: [], deletedIds: [], errors: [] });
      expect(rig.simulator.log.filter((call) => call.action === 'BatchDeleteCSR')).toHaveLength(1);
      expect(rig.simulator.store.has(42)).toBe(false);
    },
  );

  it.each([['null', 'null'] as const, ['missing', 'missing'] as const])('Success %s: a check finds it gone, so it is deleted, not sent again', async (_name, success) => {
    const result = await mutateAgainst({ kind: 'noSuccessList', success });
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [42], unknownIds: [], notDeletedIds: [], errors: [] });
    expect(rig!.simulator.log.filter((call) => call.action === 'BatchDeleteCSR')).toHaveLength(1);
    expect(rig!.simulator.store.has(42)).toBe(false);
  });
});

describe('other HTTP statuses in front of Tencent', () => {
  it('HTTP 429 is retried after the cool-down, then RateLimitExceededError', async () => {
    rig = await startRig({ env: { ...FAST, MUTATION_DEADLINE_MS: '2500' } });
    rig.simulator.inject({ kind: 'http', status: 429 }, { times: Infinity });
    const result = await deleteCSRs(rig.url, [42]);
    expect(result).toMatchObject({ __typename: 'RateLimitExceededError', code: 'Gateway.UpstreamThrottled', csrIds: [42] });
    const [first, second] = rig.simulator.log;
    expect(second).toBeDefined();
    expect(second!.arrivedAt - first!.arrivedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('HTTP 404 is final: FailedOperationError, one call', async () => {
    const result = await mutateAgainst({ kind: 'http', status: 404 });
    expect(result).toMatchObject({ __typename: 'FailedOperationError', code: 'Gateway.UpstreamHttpRejected' });
    expect(rig!.simulator.log).toHaveLength(1);
  });
});

describe('real authentication failures, not injected ones', () => {
  it('a wrong SecretKey gives AuthFailure.SignatureFailure, not retried', async () => {
    rig = await startRig({ credentials: { secretId: 'AKIDTEST00000000000000000000000000', secretKey: 'wrong' } });
    const result = await deleteCSRs(rig.url, [7]);
    expect(result).toMatchObject({ __typename: 'AuthFailureError', code: 'AuthFailure.SignatureFailure', csrIds: [7] });
    expect(rig.simulator.log).toHaveLength(1);
    expect(rig.simulator.store.has(7)).toBe(true);
  });

  it('an unknown SecretId gives AuthFailure.SecretIdNotFound', async () => {
    rig = await startRig({ credentials: { secretId: 'AKIDNOBODY', secretKey: 'whatever' } });
    const result = await deleteCSRs(rig.url, [7]);
    expect(result).toMatchObject({ __typename: 'AuthFailureError', code: 'AuthFailure.SecretIdNotFound' });
  });
});

describe('local validation lands in its types, and sends nothing', () => {
  it('an empty list → InvalidParameterError', async () => {
    rig = await startRig();
    const result = await deleteCSRs(rig.url, []);
    expect(result).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.EmptyIdList', csrIds: [], requestId: null });
    expect(rig.simulator.log).toHaveLength(0);
  });

  it('more than MAX_IDS_PER_MUTATION distinct IDs → InvalidParameterError for all of them', async () => {
    rig = await startRig({ env: { MAX_IDS_PER_MUTATION: '150' } });
    const ids = Array.from({ length: 151 }, (_, i) => i + 1);
    const result = await deleteCSRs(rig.url, [...ids, 1, 2, 3]);
    expect(result).toMatchObject({ __typename: 'InvalidParameterError', code: 'Gateway.TooManyIds' });
    expectPartition(result, ids);
    expect(rig.simulator.log).toHaveLength(0);
    expect(rig.simulator.store.has(1)).toBe(true);
  });

  it('duplicates count once toward the limit', async () => {
    rig = await startRig({ env: { MAX_IDS_PER_MUTATION: '3' } });
    const result = await deleteCSRs(rig.url, [1, 2, 3, 3, 2, 1]);
    expect(result).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [1, 2, 3] });
  });

  it('IDs ≤ 0 → InvalidCSRIdError; alone, nothing is sent', async () => {
    rig = await startRig();
    const result = await deleteCSRs(rig.url, [0, -5, 0]);
    expect(result).toMatchObject({ __typename: 'InvalidCSRIdError', code: 'Gateway.InvalidCSRId', csrIds: [0, -5] });
    expect(rig.simulator.log).toHaveLength(0);
  });

  it('IDs ≤ 0 beside valid ones: the valid ones are deleted, the others reported', async () => {
    rig = await startRig();
    const result = await deleteCSRs(rig.url, [5, 0, 6]);
    expect(result).toMatchObject({
      __typename: 'BatchDeleteCSRsSuccess',
      deletedIds: [5, 6],
      errors: [{ __typename: 'InvalidCSRIdError', code: 'Gateway.InvalidCSRId', csrIds: [0] }],
    });
    expect(rig.simulator.log.flatMap((call) => call.ids)).toEqual([5, 6]);
  });
});
