/**
 * The operators' listener (`METRICS_PORT`): `/metrics`, `/health` and `/readiness` on a port of their
 * own, as Apollo Router and Hive Gateway offer, so that the public port need not expose metrics and a
 * network policy can keep the scraper's port apart from the callers'.
 *
 * Not a second yoga: these three routes are GET-only, bodiless, and already written as Fetch
 * handlers (routes/), so a plain `http` server that hands them a `Request` and writes back their
 * `Response` is all it takes. Anything else is 404.
 */
import { createServer, type Server } from 'node:http';
import type { RouteFinder } from './plugins/routes.js';

export function createOperatorServer(routeFor: RouteFinder): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://operator.invalid');
    const route = routeFor(url.pathname);
    const answer =
      req.method === 'GET' || req.method === 'HEAD'
        ? route?.respond(new Request(url, { method: req.method }), url, { Response })
        : undefined;
    void (answer ?? Promise.resolve(new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } })))
      .then(async (response) => {
        const body = req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(body);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
}
