/**
 * Serves GraphiQL's build (graphiql/page.ts loads it) under `GRAPHIQL_ASSETS_PATH`: six in-memory
 * files with fixed names, immutable, gzipped once on first request. They do not need a static-file
 * server, hence the small handler.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { GRAPHIQL_ASSETS_PATH, loadBuild, type Asset, type Bytes } from '../graphiql/page.js';
import type { Route } from '../plugins/routes.js';

const gzipAsync = promisify(gzip);

/** Serves the GraphiQL build under `GRAPHIQL_ASSETS_PATH`. */
export function graphiqlAssetsRoute(): Route {
  return { path: GRAPHIQL_ASSETS_PATH, prefix: true, respond: (request, url, fetchAPI) => assetResponse(request, url, fetchAPI.Response) };
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
