/**
 * Closing an HTTP server without cutting off a response.
 *
 * `server.close()` stops accepting connections and closes the idle ones, but a keep-alive connection
 * whose request is still being answered stays open after its response — so `close` would wait for
 * the client to hang up. So once the server is closing, every response it starts — those still being
 * answered, and those to requests that arrive on an open connection meanwhile — says
 * `Connection: close`: each connection ends after its last response, and the server closes once all
 * have. (Node ≥ 19 gives the rest; a library such as http-terminator would add little but a
 * dependency.)
 *
 * The header is decided where Node writes a response's head, by the server's own response class,
 * rather than by keeping every response in progress in a set: that set, an old object taking a new
 * entry on every request, kept whole requests alive through garbage collections — measured, it
 * tripled the collector's time per request (docs/benchmarks.md).
 */
import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
  type RequestListener,
  type Server,
  type ServerOptions,
} from 'node:http';

const closingServers = new WeakSet<Server>();

/** `http.createServer`, with responses that close their connection once `stopAccepting(server)` is called. */
export function createClosableServer(options: ServerOptions, listener: RequestListener): Server {
  const isClosing = (): boolean => closingServers.has(server);
  class ClosableResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    // Every head goes through here, explicit or implied by a first write or `end()`.
    override writeHead(statusCode: number, ...rest: [(string | OutgoingHttpHeaders | OutgoingHttpHeader[])?, (OutgoingHttpHeaders | OutgoingHttpHeader[])?]): this {
      if (isClosing() && !this.headersSent) this.setHeader('connection', 'close');
      // Node's own overloads, passed on as given.
      return super.writeHead(statusCode, ...(rest as [string?, (OutgoingHttpHeaders | OutgoingHttpHeader[])?]));
    }
  }
  const server = createServer({ ...options, ServerResponse: ClosableResponse }, listener);
  return server;
}

/**
 * Stops accepting connections and resolves once every connection has ended. Requests in progress
 * keep their connections until answered; the caller bounds the wait with `closeAllConnections`.
 */
export function stopAccepting(server: Server): Promise<void> {
  closingServers.add(server);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  return closed;
}
