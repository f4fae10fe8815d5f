/**
 * How the schema turns the engine's per-ID outcomes into a result, tested through `yoga.fetch` with an
 * in-memory Tencent and a fake clock: one deadline for a whole operation however many
 * `batchDeleteCSRs` fields it has, and `errors` grouped one entry per code, in a stable order.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';
import { RecordingClient } from '../engine/support/recording-client.js';

const DEADLINE_MS = 2_000;
const UPSTREAM_TIMEOUT_MS = 1_000;

let gateway: Gateway | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  const closing = gateway?.close();
  await vi.runAllTimersAsync();
  await closing;
  gateway = undefined;
  vi.useRealTimers();
});

function start(client: RecordingClient, deadlineMs = DEADLINE_MS): Gateway {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MUTATION_DEADLINE_MS: String(deadlineMs),
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
  });
  gateway = createGateway({
    config,
    credentials: { secretId: client.secretId, secretKey: 'unused-by-the-recording-client' },
    logger: createLogger('silent'),
    client,
  });
  return gateway;
}

interface ErrorShape {
  code: string;
  csrIds: number[];
}
type Result = { __typename: string; errors?: ErrorShape[]; unknownIds?: number[]; deletedIds?: number[] } & Partial<ErrorShape>;

async function mutate(on: Gateway, query: string): Promise<Record<string, Result>> {
  const response = Promise.resolve(on.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }));
  let done = false;
  void response.finally(() => (done = true));
  while (!done) await vi.advanceTimersByTimeAsync(10);
  const body = (await (await response).json()) as { data: Record<string, Result>; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const FIELDS = `__typename
  ... on BatchDeleteCSRsSuccess { deletedIds unknownIds errors { code csrIds } }
  ... on TencentCloudError { code csrIds }`;

describe('one deadline per operation', () => {
  it('15 aliased fields against an upstream that never answers end within the deadline plus one upstream timeout', async () => {
    const client = new RecordingClient();
    client.latencyMs = UPSTREAM_TIMEOUT_MS;
    client.answers = () => ({
      kind: 'fail',
      failure: failure(GatewayCode.UpstreamTimeout, 'Tencent Cloud did not answer in time', { delivery: 'unknown' }),
    });
    const on = start(client);
    const fields = Array.from({ length: 15 }, (_, i) => `f${i}: batchDeleteCSRs(ids: [${i + 1}]) { ${FIELDS} }`);
    const started = Date.now();
    const data = await mutate(on, `mutation { ${fields.join('\n')} }`);

    expect(Date.now() - started).toBeLessThanOrEqual(DEADLINE_MS + UPSTREAM_TIMEOUT_MS);
    // The first field's ID rode calls whose answers were lost: unknown. The others were never sent.
    expect(data['f0']).toMatchObject({ __typename: 'BatchDeleteCSRsSuccess', unknownIds: [1], errors: [] });
    for (let i = 1; i < 15; i++) {
      expect(data[`f${i}`]).toMatchObject({ __typename: 'RateLimitExceededError', code: GatewayCode.DeadlineExceeded, csrIds: [i + 1] });
    }
    expect(client.calls.flatMap((call) => call.ids).every((id) => id === 1)).toBe(true);
  });
});

describe('errors, one entry per code', () => {
  it('IDs refused locally, by Tencent in several calls, and by the deadline: one entry per code, ordered by code', async () => {
    const client = new RecordingClient();
    for (const id of [3, 17, 60]) client.invalid.add(id);
    // Long enough to isolate the three (35 calls), too short for all 3,000 IDs.
    const on = start(client, 6_000);
    const ids = [0, -4, ...Array.from({ length: 3_000 }, (_, i) => i + 1)];
    const data = await mutate(on, `mutation { batchDeleteCSRs(ids: [${ids.join(',')}]) { ${FIELDS} } }`);

    const result = data['batchDeleteCSRs'] as Result;
    expect(result.__typename).toBe('BatchDeleteCSRsSuccess');
    expect(result.errors?.map((error) => error.code)).toEqual([
      GatewayCode.DeadlineExceeded,
      GatewayCode.InvalidCSRId,
      'InvalidParameter.InvalidCSRId',
    ]);
    expect(result.errors?.[1]?.csrIds).toEqual([0, -4]);
    expect(result.errors?.[2]?.csrIds.sort((a, b) => a - b)).toEqual([3, 17, 60]);
  });
});
