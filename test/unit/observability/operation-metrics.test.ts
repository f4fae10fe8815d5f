/**
 * GraphQL operation metrics on `GET /metrics`, beside the upstream ones: each operation's duration
 * by name, type and result (success, or the refusal's code), with client-chosen names bounded.
 */
import { afterEach, expect, it } from 'vitest';
import { MAX_OPERATION_NAMES } from '../../../src/http/plugins/operation-metrics.js';
import { deleteCSRs, graphql } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

const KEY = 'metrics-test-key-0123456789';
const METRIC = 'tencent_ssl_graphql_operation_duration_seconds';
let rig: InProcessRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function metrics(on: InProcessRig): Promise<string> {
  return (await on.fetch(on.url.replace('/graphql', '/metrics'))).text();
}

function count(text: string, labels: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${METRIC}_count{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : undefined;
}

it('times each operation by name, type and result: success, or the code it was refused with', async () => {
  rig = createRig({ env: { AUTH_API_KEYS: KEY } });
  await deleteCSRs(rig, [1], { authorization: `Bearer ${KEY}` });
  await deleteCSRs(rig, [2], { authorization: `Bearer ${KEY}` });
  const refused = await graphql(rig, 'mutation Delete { batchDeleteCSRs(ids: [3]) { __typename } }');
  expect(refused.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  await graphql(rig, '{ csrDeletionLimits { maxIdsPerCall } }', {}, { authorization: `Bearer ${KEY}` });

  const text = await metrics(rig);
  expect(count(text, 'operation_name="Delete",operation_type="mutation",result="success"')).toBe(2);
  expect(count(text, 'operation_name="Delete",operation_type="mutation",result="UNAUTHENTICATED"')).toBe(1);
  expect(count(text, 'operation_name="anonymous",operation_type="query",result="success"')).toBe(1);
  // The upstream metrics are still there beside them.
  expect(text).toContain('tencent_ssl_upstream_requests_total{action="BatchDeleteCSR",code="Success"} 2');
});

it('keeps at most MAX_OPERATION_NAMES client-chosen names; the rest count as "other"', async () => {
  rig = createRig();
  for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) await graphql(rig, `query Name${i} { csrDeletionLimits { maxIdsPerCall } }`);
  const text = await metrics(rig);
  expect(count(text, `operation_name="Name${MAX_OPERATION_NAMES - 1}",operation_type="query",result="success"`)).toBe(1);
  expect(count(text, `operation_name="Name${MAX_OPERATION_NAMES}",operation_type="query",result="success"`)).toBeUndefined();
  expect(count(text, 'operation_name="other",operation_type="query",result="success"')).toBe(5);
});
