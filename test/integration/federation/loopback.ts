/**
 * Serves a fetch-style GraphQL server (yoga, Hive Gateway's runtime) over HTTP on an ephemeral
 * loopback port, for the federation tests' subgraphs and routers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  /** The server's GraphQL endpoint, `http://127.0.0.1:<port>/graphql`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  dispose: () => Promise<void> | void,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispose();
    },
  };
}
