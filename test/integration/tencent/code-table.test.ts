/**
 * Every code Tencent documents for the SSL API and every common code (src/tencent/code-catalogue.ts),
 * end to end: the simulator answers a mutation's upstream call with the code, over HTTP, and the
 * gateway answers the caller as the code's kind says it must:
 *
 *   - throttling: retried, through the rate limiter, after the 1 s cool-down; the retry deletes;
 *   - internal (and ResourceUnavailable): retried; the retry deletes;
 *   - everything else: final, one call, the typed error with Tencent's code, message and RequestId.
 *
 * And docs/tencent-error-codes.md lists the same codes with the same kinds.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_COOL_DOWN_MS } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import type { RateLimiter } from '../../../src/engine/types.js';
import { DOCUMENTED_CODES, type CodeKind, type DocumentedCode } from '../../../src/tencent/code-catalogue.js';
import { deleteCSRs, startRig, TEST_CREDENTIALS, type Rig } from '../../support/gateway.js';

/** The GraphQL type a final code must end in, by kind. */
const FINAL_TYPE: Readonly<Record<Exclude<CodeKind, 'throttling' | 'internal'>, string>> = {
  authentication: 'AuthFailureError',
  invalidParameters: 'InvalidParameterError',
  resources: 'FailedOperationError',
  operations: 'FailedOperationError',
};

/** The contract's exceptions to "the kind decides" (docs/contract.md §4). */
const retriedResource = (code: string): boolean => code === 'ResourceUnavailable';
const finalTypeOf = (entry: DocumentedCode): string =>
  entry.code === 'InvalidParameter.InvalidCSRId' ? 'InvalidCSRIdError' : FINAL_TYPE[entry.kind as keyof typeof FINAL_TYPE];

const throttling = DOCUMENTED_CODES.filter((entry) => entry.kind === 'throttling');
const retried = DOCUMENTED_CODES.filter((entry) => entry.kind === 'internal' || retriedResource(entry.code));
const final = DOCUMENTED_CODES.filter((entry) => !throttling.includes(entry) && !retried.includes(entry));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the table', () => {
  it('covers the common codes, the SSL API’s, and every throttling family', () => {
    expect(DOCUMENTED_CODES.filter((entry) => entry.sources.includes('common'))).toHaveLength(38);
    expect(new Set(DOCUMENTED_CODES.map((entry) => entry.code)).size).toBe(DOCUMENTED_CODES.length);
    expect(throttling.map((entry) => entry.code).sort()).toEqual([
      'LimitExceeded.RateLimitExceeded',
      'RequestLimitExceeded',
      'RequestLimitExceeded.GlobalRegionUinLimitExceeded',
      'RequestLimitExceeded.IPLimitExceeded',
      'RequestLimitExceeded.UinLimitExceeded',
    ]);
  });

  it('is the one docs/tencent-error-codes.md shows, kind for kind', () => {
    const doc = readFileSync(new URL('../../../docs/tencent-error-codes.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Za-z.]+)` \| (\w+) \|/gm)].map(([, code, kind]) => `${code} ${kind}`);
    expect(documented.sort()).toEqual(DOCUMENTED_CODES.map((entry) => `${entry.code} ${entry.kind}`).sort());
  });
});

describe('final codes: one call, the typed error, nothing deleted', () => {
  let rig: Rig;
  beforeAll(async () => {
    // A high limit on both sides, so that a hundred rows do not queue behind 10 calls a second.
    rig = await startRig({ env: { TENCENTCLOUD_RATE_LIMIT: '1000' }, simulator: { rateLimit: 1000 } });
  });
  afterAll(() => rig.close());

  it.each(final.map((entry, index) => [entry.code, finalTypeOf(entry), entry, 1_000 + index] as const))(
    '%s → %s',
    async (code, type, entry, id) => {
      rig.simulator.inject({ kind: 'error', code }, { whenIds: [id] });
      const result = await deleteCSRs(rig.url, [id]);
      // The simulator answers with Tencent's own description of the code.
      expect(result).toMatchObject({ __typename: type, code, message: entry.description, csrIds: [id] });
      expect(result.requestId).toMatch(UUID);
      const calls = rig.simulator.log.filter((call) => call.ids.includes(id));
      expect(calls.map((call) => [call.outcome, call.requestId])).toEqual([[code, result.requestId]]);
      expect(rig.simulator.store.has(id)).toBe(true);
    },
  );
});

describe('transient codes: retried, and the retry deletes', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ env: { MUTATION_DEADLINE_MS: '5000' } });
  });
  afterAll(() => rig.close());

  it.each(retried.map((entry, index) => [entry.code, 2_000 + index] as const))('%s', async (code, id) => {
    rig.simulator.inject({ kind: 'error', code }, { whenIds: [id] });
    expect(await deleteCSRs(rig.url, [id])).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [id], errors: [] });
    const calls = rig.simulator.log.filter((call) => call.ids.includes(id));
    expect(calls.map((call) => call.outcome)).toEqual([code, 'Success']);
  });
});

describe('throttling codes: retried through the rate limiter after the cool-down', () => {
  /** A fresh gateway for each code: the cool-down is the engine's, and must be seen starting from rest. */
  async function throttledRig(env: Record<string, string> = {}): Promise<{ rig: Rig; limiterKeys: string[] }> {
    const limiterKeys: string[] = [];
    const spacing = new LocalSpacingLimiter({ callsPerSecond: 10 });
    const limiter: RateLimiter = {
      acquire: (key, until) => {
        limiterKeys.push(key);
        return spacing.acquire(key, until);
      },
    };
    return { rig: await startRig({ limiter, env }), limiterKeys };
  }

  it.each(throttling.map((entry) => entry.code))('%s, once: the retry waits out the cool-down, then deletes', async (code) => {
    const { rig, limiterKeys } = await throttledRig({ MUTATION_DEADLINE_MS: '5000' });
    try {
      rig.simulator.inject({ kind: 'error', code });
      expect(await deleteCSRs(rig.url, [3_000])).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', deletedIds: [3_000] });
      const [refused, retry] = rig.simulator.log;
      expect([refused?.outcome, retry?.outcome]).toEqual([code, 'Success']);
      // The engine starts the cool-down when the refusal arrives, after the refused call did: 2 ms
      // of slack for the two clocks' rounding (Date.now in the engine, performance.now here).
      expect(retry!.arrivedAt - refused!.arrivedAt).toBeGreaterThanOrEqual(RATE_LIMIT_COOL_DOWN_MS - 2);
      expect(limiterKeys).toEqual([TEST_CREDENTIALS.secretId, TEST_CREDENTIALS.secretId]);
    } finally {
      await rig.close();
    }
  });

  it.each(throttling.map((entry) => entry.code))('%s, every time: RateLimitExceededError once the deadline passes', async (code) => {
    const { rig } = await throttledRig({ MUTATION_DEADLINE_MS: '1500' });
    try {
      rig.simulator.inject({ kind: 'error', code }, { times: Infinity });
      const result = await deleteCSRs(rig.url, [3_001]);
      expect(result).toMatchObject({ __typename: 'RateLimitExceededError', code, csrIds: [3_001] });
      expect(rig.simulator.log.length).toBeGreaterThan(1);
      expect(rig.simulator.store.has(3_001)).toBe(true);
    } finally {
      await rig.close();
    }
  });
});
