/**
 * The read client (src/tencent/read-client.ts) against the simulator in process: signed calls of
 * DescribeCSRSet and DescribeCSR, paging, the domain filter, "no such CSR", failures as values, and
 * key material that never leaves the client.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { KEY_MATERIAL_MARKERS, simulatedDomain } from '../../../src/simulator/csr-records.js';
import { InProcessSimulatorDispatcher } from '../../../src/simulator/in-process.js';
import { TencentSslSimulator } from '../../../src/simulator/simulator.js';
import { GatewayCode } from '../../../src/tencent/codes.js';
import { DESCRIBE_CSR, DESCRIBE_CSR_SET, TencentReadClient, type ReadCallEvent } from '../../../src/tencent/read-client.js';
import { TEST_CREDENTIALS } from '../../support/gateway.js';

const ENDPOINT = new URL('http://ssl.simulator.localhost');
const deadline = (): { deadline: number } => ({ deadline: Date.now() + 10_000 });

function setUp(options: { readRateLimit?: number; seed?: { from: number; to: number } } = {}) {
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: options.seed ?? { from: 1, to: 250 },
    readRateLimit: options.readRateLimit ?? 1_000,
  });
  const events: ReadCallEvent[] = [];
  const limiter = () => new LocalSpacingLimiter({ callsPerSecond: 1_000, jitterMarginMs: 0 });
  const client = new TencentReadClient({
    endpoint: ENDPOINT,
    credentials: TEST_CREDENTIALS,
    timeoutMs: 5_000,
    dispatcher: new InProcessSimulatorDispatcher(simulator, ENDPOINT),
    limiters: { [DESCRIBE_CSR_SET]: limiter(), [DESCRIBE_CSR]: limiter() },
    observe: (event) => events.push(event),
  });
  return { simulator, client, events };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('DescribeCSRSet', () => {
  it('pages through every CSR newest first, each page signed and accepted, the total on every page', async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    const seen: number[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await client.describeCSRSet({ limit: 100, offset }, deadline());
      if (!page.ok) throw new Error(page.failure.code);
      expect(page.value.total).toBe(250);
      expect(page.requestId).toMatch(/^[0-9a-f-]{36}$/);
      seen.push(...page.value.items.map((item) => item.id));
      if (page.value.items.length < 100) break;
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, index) => 250 - index));
    expect(simulator.log.map((call) => [call.action, call.outcome])).toEqual([
      [DESCRIBE_CSR_SET, 'Success'],
      [DESCRIBE_CSR_SET, 'Success'],
      [DESCRIBE_CSR_SET, 'Success'],
    ]);
  });

  it('filters by domain, and reads every descriptive field', async () => {
    const { client } = setUp();
    close = () => client.close();
    const page = await client.describeCSRSet({ limit: 10, offset: 0, domain: simulatedDomain(7) }, deadline());
    if (!page.ok) throw new Error(page.failure.code);
    expect(page.value.total).toBe(3); // 7, 107, 207
    expect(page.value.items.map((item) => item.id)).toEqual([207, 107, 7]);
    expect(page.value.items[2]).toEqual({
      id: 7,
      ownerUin: '100000000001',
      domain: 'www7.example.com',
      organization: 'Example Ltd',
      department: 'Platform',
      email: 'admin@www7.example.com',
      province: 'Guangdong',
      city: 'Shenzhen',
      country: 'CN',
      remarks: 'simulated CSR 7',
      status: 1,
      createTime: '2024-01-01 00:00:07',
      encryptAlgo: 'RSA',
      keyParameter: '2048',
    });
  });

  it("answers a Tencent error as a typed failure with Tencent's RequestId", async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    simulator.inject({ kind: 'error', code: 'FailedOperation.SystemError' }, { action: DESCRIBE_CSR_SET });
    const page = await client.describeCSRSet({ limit: 10, offset: 0 }, deadline());
    expect(page.ok).toBe(false);
    if (page.ok) return;
    expect(page.failure.code).toBe('FailedOperation.SystemError');
    expect(page.failure.requestId).toBe(simulator.log[0]?.requestId);
  });

  it('retries what is worth retrying (a throttled read), through its limiter, and counts every call', async () => {
    const { simulator, client, events } = setUp();
    close = () => client.close();
    simulator.inject({ kind: 'error', code: 'RequestLimitExceeded' }, { action: DESCRIBE_CSR_SET, times: 2 });
    const page = await client.describeCSRSet({ limit: 10, offset: 0 }, deadline());
    expect(page.ok).toBe(true);
    expect(events.map((event) => [event.code, event.attempt])).toEqual([
      ['RequestLimitExceeded', 1],
      ['RequestLimitExceeded', 2],
      ['Success', 3],
    ]);
  });

  it('gives up after three calls, and an answer without its fields is an invalid answer, not an empty page', async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    simulator.inject({ kind: 'noSuccessList' }, { action: DESCRIBE_CSR_SET, times: 3 });
    const page = await client.describeCSRSet({ limit: 10, offset: 0 }, deadline());
    expect(page.ok ? 'ok' : page.failure.code).toBe(GatewayCode.UpstreamInvalidResponse);
    expect(simulator.log).toHaveLength(1); // an invalid answer is not retried by the parser's caller
  });
});

describe('DescribeCSR', () => {
  it('describes one CSR without its private key or password', async () => {
    const { client } = setUp();
    close = () => client.close();
    const answer = await client.describeCSR(42, deadline());
    if (!answer.ok) throw new Error(answer.failure.code);
    expect(answer.value).toMatchObject({ id: 42, domain: 'www42.example.com', encryptAlgo: 'ECC', keyParameter: 'prime256v1' });
    const text = JSON.stringify(answer);
    for (const marker of KEY_MATERIAL_MARKERS) expect(text).not.toContain(marker);
    expect(Object.keys(answer.value ?? {})).not.toContain('privateKey');
  });

  it('reads InvalidParameter.InvalidCSRId as "no such CSR" (null); an ID outside Tencent\'s range is never sent', async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    simulator.store.delete(5);
    expect(await client.describeCSR(5, deadline())).toMatchObject({ ok: true, value: null });
    expect(await client.describeCSR(0, deadline())).toEqual({ ok: true, value: null });
    expect(await client.describeCSR(2 ** 31, deadline())).toEqual({ ok: true, value: null });
    expect(simulator.log.map((call) => [call.action, call.ids, call.outcome])).toEqual([[DESCRIBE_CSR, [5], 'InvalidParameter.InvalidCSRId']]);
  });

  it('a dropped connection is a failure, never "absent"', async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    simulator.inject({ kind: 'dropBeforeApply' }, { action: DESCRIBE_CSR, times: 3 });
    const answer = await client.describeCSR(9, deadline());
    expect(answer.ok ? 'ok' : answer.failure.code).toBe(GatewayCode.UpstreamConnectionReset);
  });

  it('faults queued without an action stay with BatchDeleteCSR', async () => {
    const { simulator, client } = setUp();
    close = () => client.close();
    simulator.inject({ kind: 'error', code: 'FailedOperation' });
    expect((await client.describeCSR(9, deadline())).ok).toBe(true);
  });
});

describe('the simulator judges each action on its own', () => {
  it('answers RequestLimitExceeded per action, and counts the window per action', async () => {
    const { simulator, client, events } = setUp({ readRateLimit: 2 });
    close = () => client.close();
    // A limiter of 1000 a second against Tencent's 2: the third listing is throttled, and so are its retries.
    const sets = await Promise.all([0, 1, 2].map(() => client.describeCSRSet({ limit: 1, offset: 0 }, deadline())));
    const ones = await Promise.all([1, 2].map((id) => client.describeCSR(id, deadline())));
    expect(sets.map((page) => (page.ok ? 'ok' : page.failure.code))).toEqual(['ok', 'ok', 'RequestLimitExceeded']);
    // DescribeCSR's budget is its own: the throttled listings took none of it.
    expect(ones.map((one) => one.ok)).toEqual([true, true]);
    expect(events.filter((event) => event.action === DESCRIBE_CSR).map((event) => event.code)).toEqual(['Success', 'Success']);
    expect(simulator.maxCallsInWindow(1000, DESCRIBE_CSR)).toBe(2);
  });
});
