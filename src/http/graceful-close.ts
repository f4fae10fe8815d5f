/**
 * Closing an HTTP server without cutting off a response.
 *
 * `server.close()` stops accepting connections and closes the idle ones, but a keep-alive connection
 * whose request is still being answered stays open after its response — so `close` would wait for
 * the client to hang up. Responses still being written therefore get `Connection: close`, and so do
 * requests that arrive on an open connection while closing: each connection ends after its last
 * response, and the server closes once all have. (Node ≥ 19 gives the rest; a library such as
 * http-terminator would add little but a dependency.)
 */
import type { Server, ServerResponse } from 'node:http';

interface Tracking {
  readonly active: Set<ServerResponse>;
  closing: boolean;
}

const tracked = new WeakMap<Server, Tracking>();

/** Starts tracking `server`'s responses; call right after creating it. */
export function trackResponses(server: Server): Server {
  const tracking: Tracking = { active: new Set(), closing: false };
  tracked.set(server, tracking);
  server.on('request', (_req, res: ServerResponse) => {
    if (tracking.closing) closeAfter(res);
    tracking.active.add(res);
    res.once('close', () => tracking.active.delete(res));
  });
  return server;
}

/**
 * Stops accepting connections and resolves once every connection has ended. Requests in progress
 * keep their connections until answered; the caller bounds the wait with `closeAllConnections`.
 */
export function stopAccepting(server: Server): Promise<void> {
  const tracking = tracked.get(server);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if (tracking) {
    tracking.closing = true;
    for (const res of tracking.active) closeAfter(res);
  }
  server.closeIdleConnections();
  return closed;
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
