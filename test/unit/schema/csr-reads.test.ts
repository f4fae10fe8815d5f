/**
 * The read side of the schema (src/schema/csr-reads.ts) in process, against the simulator: paging
 * `csrs`, `csr` by ID, `_entities` batched, read failures as GraphQL errors with their type, the
 * csr:read scope, and no key material in any answer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_MATERIAL_MARKERS, simulatedDomain } from '../../../src/simulator/csr-records.js';
import { DESCRIBE_CSR, DESCRIBE_CSR_SET } from '../../../src/tencent/read-client.js';
import { graphql, type GraphQLResponse } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

let rig: InProcessRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

interface Page {
  csrs: {
    totalCount: number;
    nodes: { id: number; domain: string }[];
    edges: { cursor: string; node: { id: number } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const PAGE = `query Page($first: Int, $after: String, $domain: String) {
  csrs(first: $first, after: $after, domain: $domain) {
    totalCount nodes { id domain } edges { cursor node { id } } pageInfo { hasNextPage endCursor }
  }
}`;
const reads = (r: InProcessRig, action: string) => r.simulator.log.filter((call) => call.action === action);

describe('Query.csrs', () => {
  it('pages through every CSR, newest first, by opaque cursors; the last page says so', async () => {
    rig = createRig({ simulator: { seed: { from: 1, to: 45 } } });
    const seen: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const response: GraphQLResponse<Page> = await graphql<Page>(rig, PAGE, { first: 20, after });
      expect(response.errors).toBeUndefined();
      const page = response.data?.csrs;
      if (!page) throw new Error('no page');
      expect(page.totalCount).toBe(45);
      expect(page.edges.map((edge) => edge.node.id)).toEqual(page.nodes.map((node) => node.id));
      seen.push(...page.nodes.map((node) => node.id));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(after).not.toMatch(/^\d+$/); // opaque, not a bare offset
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, index) => 45 - index));
    expect(reads(rig, DESCRIBE_CSR_SET)).toHaveLength(3);
  });

  it('filters by domain; the default page is 20', async () => {
    rig = createRig({ simulator: { seed: { from: 1, to: 5_000 } } });
    const response = await graphql<Page>(rig, PAGE, { domain: simulatedDomain(3) });
    expect(response.data?.csrs.totalCount).toBe(50);
    expect(response.data?.csrs.nodes).toHaveLength(20);
    expect(new Set(response.data?.csrs.nodes.map((node) => node.domain))).toEqual(new Set(['www3.example.com']));
  });

  it.each([0, 101, -1])('refuses first: %i as BAD_USER_INPUT, sending nothing', async (first) => {
    rig = createRig();
    const response = await graphql<Page>(rig, PAGE, { first });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(rig.simulator.log).toHaveLength(0);
  });

  it('refuses a cursor it did not give out', async () => {
    rig = createRig();
    const response = await graphql<Page>(rig, PAGE, { after: 'NDI' });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it("a failed read is a GraphQL error naming batchDeleteCSRs' error type, Tencent's code and RequestId", async () => {
    rig = createRig();
    rig.simulator.inject({ kind: 'error', code: 'FailedOperation.SystemError' }, { action: DESCRIBE_CSR_SET });
    const response = await graphql<Page>(rig, PAGE);
    expect(response.data).toBeNull();
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'FailedOperationError',
      tencentCode: 'FailedOperation.SystemError',
      requestId: rig.simulator.log[0]?.requestId,
    });
  });
});

describe('Query.csr and CSR entities', () => {
  it('csr(id) describes one CSR, null when there is none; no key material in the answer', async () => {
    rig = createRig();
    rig.simulator.store.delete(8);
    const response = await graphql<{ a: Record<string, unknown> | null; b: null }>(
      rig,
      '{ a: csr(id: 7) { id domain status createdAt encryptAlgo keyParameter ownerUin organization department email province city country remarks } b: csr(id: 8) { id } }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.a).toMatchObject({ id: 7, domain: 'www7.example.com', createdAt: '2024-01-01 00:00:07', keyParameter: '2048' });
    expect(response.data?.b).toBeNull();
    for (const marker of KEY_MATERIAL_MARKERS) expect(JSON.stringify(response)).not.toContain(marker);
  });

  it('_entities resolves CSRs by id in one batch: a few IDs, one DescribeCSR each; absent ones are null', async () => {
    rig = createRig();
    rig.simulator.store.delete(3);
    const response = await graphql<{ _entities: ({ id: number; domain: string } | null)[] }>(
      rig,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on CSR { id domain } } }',
      { r: [1, 2, 3].map((id) => ({ __typename: 'CSR', id })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?._entities).toEqual([{ id: 1, domain: 'www1.example.com' }, { id: 2, domain: 'www2.example.com' }, null]);
    expect(reads(rig, DESCRIBE_CSR).map((call) => call.ids[0]).sort()).toEqual([1, 2, 3]);
  });

  it('_entities for many IDs among few CSRs scans DescribeCSRSet instead (fewer calls)', async () => {
    rig = createRig({ simulator: { seed: { from: 1, to: 300 } } });
    const ids = Array.from({ length: 50 }, (_, index) => index * 7 + 1);
    const response = await graphql<{ _entities: ({ id: number } | null)[] }>(
      rig,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on CSR { id } } }',
      { r: ids.map((id) => ({ __typename: 'CSR', id })) },
    );
    expect(response.data?._entities.map((entity) => entity?.id ?? null)).toEqual(ids.map((id) => (id <= 300 ? id : null)));
    expect(reads(rig, DESCRIBE_CSR_SET)).toHaveLength(3);
    expect(reads(rig, DESCRIBE_CSR)).toHaveLength(0);
  });
});

describe('the csr:read scope', () => {
  const KEYS = 'reader:reader-key-0123456789abcdef,deleter:deleter-key-0123456789abcdef,auditor:auditor-key-0123456789abcdef';
  const SCOPES = 'reader=csr:read,deleter=csr:delete,auditor=csr:audit';

  it.each([
    ['reader-key-0123456789abcdef', true],
    ['deleter-key-0123456789abcdef', true],
    ['auditor-key-0123456789abcdef', false],
  ])('key %s may read: %s', async (key, allowed) => {
    rig = createRig({ env: { AUTH_API_KEYS: KEYS, AUTH_API_KEY_SCOPES: SCOPES } });
    const response = await graphql<{ csr: unknown }>(rig, '{ csr(id: 1) { id } }', {}, { authorization: `Bearer ${key}` });
    if (allowed) expect(response.data?.csr).toEqual({ id: 1 });
    else expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it('csr:read alone does not delete', async () => {
    rig = createRig({ env: { AUTH_API_KEYS: KEYS, AUTH_API_KEY_SCOPES: SCOPES } });
    const response = await graphql(rig, 'mutation { batchDeleteCSRs(ids: [1]) { __typename } }', {}, { authorization: 'Bearer reader-key-0123456789abcdef' });
    expect(response.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    expect(rig.simulator.log).toHaveLength(0);
  });
});
