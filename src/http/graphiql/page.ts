/**
 * GraphiQL served by the gateway itself, so that it works offline and behind a firewall: the page
 * (here) and its build (routes/graphiql-assets.ts serves it).
 *
 * Yoga's default page loads GraphiQL from unpkg.com (and yoga 5.24.1 names a version the registry
 * does not have). `@graphql-yoga/render-graphiql` ships the same build as strings, with no
 * dependencies, but its renderer inlines all ~9 MB of it into every page load. Here the page stays
 * small and loads the build from `/graphiql/<content hash>/…`: browsers cache it for good (the hash
 * changes with the content), it is gzipped once on first request, and the gateway does not even load
 * it until someone opens GraphiQL.
 */
import { createHash } from 'node:crypto';
import type { GraphiQLOptions } from 'graphql-yoga';

/** Where the GraphiQL build is served (an extension of docs/contract.md §3). */
export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

/** Bytes as fetch's Response takes them. */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface Asset {
  readonly body: Bytes;
  readonly contentType: string;
  /** Compressed on first request, then kept. */
  gzipped?: Promise<Bytes>;
}

export interface Build {
  /** A hash of every file: the path segment that makes the URLs cacheable forever. */
  readonly version: string;
  readonly assets: ReadonlyMap<string, Asset>;
}

const JS = 'text/javascript; charset=utf-8';

/** One per process: every gateway in it serves the same build. */
let build: Promise<Build> | undefined;

export function loadBuild(): Promise<Build> {
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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element: no `</script>` or `<!--` can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
