/**
 * Abuse limits: aliases cannot multiply the per-mutation ID cap, no mutation runs over GET or from a
 * form post, and oversized or unsized bodies are refused — each time with nothing sent to Tencent —
 * while ordinary JSON POSTs and the GraphiQL page keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../../src/http/plugins/abuse-limits.js';
import { graphql, type GraphQLResponse } from '../../support/gateway.js';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

/** The default configuration: MAX_IDS_PER_MUTATION 10,000. */
let rig: InProcessRig;
/** MAX_IDS_PER_MUTATION 500, so that the per-operation cap is reached by few IDs. */
let smallCap: InProcessRig;

beforeAll(() => {
  [rig, smallCap] = [createRig(), createRig({ env: { MAX_IDS_PER_MUTATION: '500' } })];
});

afterAll(async () => {
  await Promise.all([rig?.close(), smallCap?.close()]);
});

/** `count` aliased batchDeleteCSRs fields, the i-th deleting `idsFor(i)`. */
function aliasedMutation(count: number, idsFor: (i: number) => number[]): { query: string; variables: Record<string, number[]> } {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: batchDeleteCSRs(ids: $ids${i}) { __typename }`);
  const variables = Object.fromEntries(Array.from({ length: count }, (_, i) => [`ids${i}`, idsFor(i)]));
  const definitions = Array.from({ length: count }, (_, i) => `$ids${i}: [Int!]!`).join(', ');
  return { query: `mutation Many(${definitions}) { ${fields.join(' ')} }`, variables };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

function expectNothingSent(ids: readonly number[], on: InProcessRig = rig): void {
  expect(on.simulator.log).toEqual([]);
  expect(ids.every((id) => on.simulator.store.has(id))).toBe(true);
}

describe('aliases', () => {
  it('200 aliases × 100 IDs delete nothing', async () => {
    const { query, variables } = aliasedMutation(200, (i) => range(1 + i * 100, 100));
    const response = await graphql<unknown>(rig, query, variables);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.message).toMatch(/Aliases limit of 15 exceeded, found 200/);
    expectNothingSent(range(1, 20_000));
  });

  it('200 aliases of inline literals delete nothing either', async () => {
    const fields = Array.from({ length: 200 }, (_, i) => `a${i}: batchDeleteCSRs(ids: [${range(1 + i * 100, 100).join(',')}]) { __typename }`);
    const response = await graphql<unknown>(rig, `mutation { ${fields.join(' ')} }`);
    expect(response.data ?? null).toBeNull();
    // 20,000 inline IDs are more tokens than one mutation's worth: refused while parsing.
    expect(response.errors?.[0]?.message).toMatch(/Token limit of 12000 exceeded/);
    expectNothingSent(range(1, 20_000));
  });

  it('under the alias limit, still cannot carry more distinct IDs than MAX_IDS_PER_MUTATION together', async () => {
    const { query, variables } = aliasedMutation(3, (i) => range(1 + i * 200, 200));
    const response = await graphql<unknown>(smallCap, query, variables);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(response.errors?.[0]?.message).toMatch(/3 batchDeleteCSRs fields carry 600 distinct IDs .* more than the 500/);
    expectNothingSent(range(1, 600), smallCap);
  });

  it('counts IDs shared by several fields once, and lets the operation run when within the cap', async () => {
    // 3 × 200 IDs, but only 400 distinct: within the 500 cap.
    const { query, variables } = aliasedMutation(3, (i) => range(5_001 + (i % 2) * 200, 200));
    const response = await graphql<Record<string, { __typename: string }>>(smallCap, query, variables);
    expect(response.errors).toBeUndefined();
    expect(Object.values(response.data ?? {}).map((field) => field.__typename)).toEqual(Array(3).fill('BatchDeleteCSRsSuccess'));
    expect(range(5_001, 400).some((id) => smallCap.simulator.store.has(id))).toBe(false);
    smallCap.simulator.log.length = 0;
  });

  it('skipped fields do not count', async () => {
    const { query, variables } = aliasedMutation(3, (i) => range(7_001 + i * 200, 200));
    const skipping = query.replace('a2: batchDeleteCSRs(ids: $ids2)', 'a2: batchDeleteCSRs(ids: $ids2) @skip(if: true)');
    const response = await graphql<Record<string, unknown>>(smallCap, skipping, variables);
    expect(response.errors).toBeUndefined();
    expect(Object.keys(response.data ?? {})).toEqual(['a0', 'a1']);
    expect(smallCap.simulator.store.has(7_401)).toBe(true);
    smallCap.simulator.log.length = 0;
  });
});

describe('CSRF', () => {
  const mutation = 'mutation { batchDeleteCSRs(ids: [1, 2, 3]) { __typename } }';
  const getUrl = () => `${rig.url}?query=${encodeURIComponent(mutation)}`;

  it('a mutation over GET deletes nothing: refused without the CSRF header…', async () => {
    const response = await rig.fetch(getUrl(), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(403);
    expectNothingSent([1, 2, 3]);
  });

  it('…and with it, because mutations need POST', async () => {
    const response = await rig.fetch(getUrl(), { headers: { accept: 'application/json', [CSRF_HEADER]: '1' } });
    expect(response.status).toBe(405);
    const body = (await response.json()) as GraphQLResponse<unknown>;
    expect(body.errors?.[0]?.message).toMatch(/mutation operation from a POST request/);
    expectNothingSent([1, 2, 3]);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'a POST a browser could send cross-site (%s) deletes nothing',
    async (contentType) => {
      const response = await rig.fetch(rig.url, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify({ query: mutation }) });
      expect(response.status).toBe(403);
      expectNothingSent([1, 2, 3]);
    },
  );

  it('queries over GET work with the CSRF header', async () => {
    const response = await rig.fetch(`${rig.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', [CSRF_HEADER]: '1' },
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('the GraphiQL page still opens in a browser', async () => {
    const response = await rig.fetch(rig.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('batchDeleteCSRs');
  });
});

describe('request bodies', () => {
  it('larger than the limit get 413, unread', async () => {
    const padding = ' '.repeat(1024 * 1024);
    const response = await rig.fetch(rig.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"query":"mutation { batchDeleteCSRs(ids: [1]) { __typename } }"${padding}}`,
    });
    expect(response.status).toBe(413);
    expectNothingSent([1]);
  });

  it('without a declared length (chunked) get 411', async () => {
    const body = JSON.stringify({ query: 'mutation { batchDeleteCSRs(ids: [1]) { __typename } }' });
    // A stream of two chunks, without a Content-Length: over HTTP it would go as Transfer-Encoding: chunked.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 10)));
        controller.enqueue(new TextEncoder().encode(body.slice(10)));
        controller.close();
      },
    });
    const response = await rig.fetch(rig.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    const status = response.status;
    expect(status).toBe(411);
    expectNothingSent([1]);
  });
});
