/**
 * GraphiQL served by the gateway itself, so that it works offline and behind a firewall.
 *
 * Yoga's default page loads GraphiQL from unpkg.com (and yoga 5.24.1 names a version the registry
 * does not have). `@graphql-yoga/render-graphiql` ships the same build as strings, with no
 * dependencies, but its renderer inlines all ~9 MB of it into every page load. Here the page stays
 * small and loads the build from `/graphiql/<content hash>/…`: browsers cache it for good (the hash
 * changes with the content), it is gzipped once on first request, and the gateway does not even load
 * it until someone opens GraphiQL.
 *
 * Six in-memory files with fixed names do not need a static-file server, hence the small handler.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/** Where the GraphiQL build is served (an extension of docs/contract.md §3). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

const gzipAsync = promisify(gzip);

/** Bytes as fetch's Response takes them. */
type Bytes = Uint8Array<ArrayBuffer>;

interface Asset {
  readonly body: Bytes;
  readonly contentType: string;
  /** Compressed on first request, then kept. */
  gzipped?: Promise<Bytes>;
}

interface Build {
  /** A hash of every file: the path segment that makes the URLs cacheable forever. */
  readonly version: string;
  readonly assets: ReadonlyMap<string, Asset>;
}

const JS = 'text/javascript; charset=utf-8';

/** One per process: every gateway in it serves the same build. */
let build: Promise<Build> | undefined;

function loadBuild(): Promise<Build> {
  build ??= import('@graphql-yoga/render-graphiql/graphiql').then((files) => {
    const assets = new Map<string, Asset>([
      ['graphiql.js', { body: Buffer.from(files.js), contentType: JS }],
      ['graphiql.css', { body: Buffer.from(files.css), contentType: 'text/css; charset=utf-8' }],
      ['editor.worker.js', { body: Buffer.from(files.editorWorkerService), contentType: JS }],
      ['json.worker.js', { body: Buffer.from(files.jsonWorker), contentType: JS }],
      ['graphql.worker.js', { body: Buffer.from(files.graphqlWorker), contentType: JS }],
      ['favicon.ico', { body: dataUrlBytes(files.favicon), contentType: 'image/x-icon' }],
    ]);
    const hash = createHash('sha256');
    for (const [name, asset] of assets) hash.update(name).update(asset.body);
    return { version: hash.digest('hex').slice(0, 16), assets };
  });
  return build;
}

function dataUrlBytes(dataUrl: string): Bytes {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** Yoga's `renderGraphiQL`: the GraphiQL page, loading the build from this gateway. */
export async function renderOfflineGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { version } = await loadBuild();
  const base = `${GRAPHIQL_ASSETS_PATH}${version}/`;
  const title = escapeHtml(options.title ?? 'GraphiQL');
  // Same-origin workers need no blob: URLs (yoga's CDN page fetches them into blobs for CORS).
  const workers = {
    editorWorkerService: `${base}editor.worker.js`,
    json: `${base}json.worker.js`,
    graphql: `${base}graphql.worker.js`,
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${base}favicon.ico" />
    <link rel="stylesheet" href="${base}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to use GraphiQL.</noscript>
    <div id="root">Loading ${title}…</div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: (_moduleId, label) => workers[label] ?? workers.editorWorkerService,
      };
    </script>
    <script src="${base}graphiql.js"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
}

/** Serves the GraphiQL build under `GRAPHIQL_ASSETS_PATH`; every other request passes through. */
export function useGraphiQLAssets(): Plugin {
  return {
    // Not an async function: a request for another path must not pay for a promise.
    onRequest(payload) {
      if (!payload.url.pathname.startsWith(GRAPHIQL_ASSETS_PATH)) return;
      return assetResponse(payload.request, payload.url, payload.fetchAPI.Response).then((response) => payload.endResponse(response));
    },
  };
}

async function assetResponse(request: Request, url: URL, Response: typeof globalThis.Response): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
  }
  const { version, assets } = await loadBuild();
  const [requestedVersion, name, ...rest] = url.pathname.slice(GRAPHIQL_ASSETS_PATH.length).split('/');
  const asset = requestedVersion === version && rest.length === 0 && name ? assets.get(name) : undefined;
  if (!asset) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

  const compress = acceptsGzip(request.headers.get('accept-encoding'));
  const body = compress ? await gzipped(asset) : asset.body;
  const headers: Record<string, string> = {
    'content-type': asset.contentType,
    'content-length': String(body.length),
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (compress) headers['content-encoding'] = 'gzip';
  return new Response(request.method === 'HEAD' ? null : body, { headers });
}

function gzipped(asset: Asset): Promise<Bytes> {
  asset.gzipped ??= gzipAsync(asset.body).then((zipped) => new Uint8Array(zipped));
  return asset.gzipped;
}

/** Whether `Accept-Encoding` allows gzip (named or `*`, without `q=0`). */
function acceptsGzip(acceptEncoding: string | null): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding, ...params] = entry.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip' && coding?.trim() !== '*') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element: no `</script>` or `<!--` can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
