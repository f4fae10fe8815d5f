/**
 * The GraphiQL page and its build, through `yoga.fetch`: everything the page loads comes from the gateway under
 * /graphiql/<hash>/, cacheable for good, gzipped for browsers that ask, and nothing else is served there.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

let rig: InProcessRig;
let origin: string;
let page: string;

beforeAll(async () => {
  rig = createRig();
  origin = new URL(rig.url).origin;
  page = await (await rig.fetch(rig.url, { headers: { accept: 'text/html' } })).text();
});
afterAll(async () => {
  await rig?.close();
});

/** Every URL the page names: scripts, styles, icon and the workers. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/"(\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('GraphiQL served by the gateway', () => {
  it('renders a small page that loads only same-origin, versioned assets', () => {
    expect(page).toContain('<title>Tencent SSL gateway</title>');
    expect(page).toContain('batchDeleteCSRs(ids: [1, 2, 3])');
    expect(page).not.toMatch(/https?:\/\//);
    expect(page.length).toBeLessThan(10_000);
    const urls = assetUrls(page);
    expect(urls.map((url) => url.replace(/^\/graphiql\/[0-9a-f]{16}\//, '')).sort()).toEqual([
      'editor.worker.js',
      'favicon.ico',
      'graphiql.css',
      'graphiql.js',
      'graphql.worker.js',
      'json.worker.js',
    ]);
  });

  it('serves each asset with its type, immutable caching, and gzip when asked', async () => {
    for (const url of assetUrls(page)) {
      const plain = await rig.fetch(origin + url, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status, url).toBe(200);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.get('content-type')).toMatch(/^(text\/javascript|text\/css|image\/x-icon)/);
      expect(plain.headers.get('content-encoding')).toBeNull();
      const bytes = Buffer.from(await plain.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(1000);

      // In process nothing decodes the answer: these are the bytes the gateway puts on the wire.
      const zipped = await rig.fetch(origin + url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      const wire = Buffer.from(await zipped.arrayBuffer());
      expect(wire.length).toBeLessThan(bytes.length);
      expect(gunzipSync(wire).equals(bytes)).toBe(true);
    }
  });

  it('answers 404 for an unknown file or an old build hash, 405 for other methods', async () => {
    const [script] = assetUrls(page).filter((url) => url.endsWith('/graphiql.js'));
    const stale = script!.replace(/\/graphiql\/[0-9a-f]{16}\//, '/graphiql/0000000000000000/');
    expect((await rig.fetch(origin + stale)).status).toBe(404);
    expect((await rig.fetch(`${origin}/graphiql/${script!.split('/')[2]}/package.json`)).status).toBe(404);
    expect((await rig.fetch(`${origin}${script!}/extra`)).status).toBe(404);
    const post = await rig.fetch(origin + script!, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await rig.fetch(origin + script!, { method: 'HEAD', headers: { 'accept-encoding': 'identity' } });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1_000_000);
  });
});
