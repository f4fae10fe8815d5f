/**
 * A real federated graph around the gateway, for tests: each subgraph's SDL read over HTTP with
 * `_service { sdl }` (what `rover subgraph introspect` and IntrospectAndCompose do), composed with
 * @apollo/composition, and served by @apollo/gateway inside @apollo/server on a loopback port.
 *
 * The federation gateway forwards the caller's `Authorization` header to every subgraph: the
 * gateway's caller authentication (docs/contract.md §4) sees the real caller, not the router.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices, type CompositionSuccess } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse } from 'graphql';
import { fetch } from 'undici';

/** What composition takes for one subgraph: its name, URL and SDL. */
export type ServiceDefinition = Parameters<typeof composeServices>[0][number];

export interface SubgraphEndpoint {
  readonly name: string;
  readonly url: string;
}

/** The subgraph's own SDL, federation directives included, as a router would fetch it. */
export async function fetchSubgraphSdl(url: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service: { sdl: string } }; errors?: unknown };
  if (!body.data) throw new Error(`_service { sdl } failed at ${url}: ${JSON.stringify(body.errors)}`);
  return body.data._service.sdl;
}

/** A subgraph as composition takes it, its SDL read from it over HTTP. */
export async function introspectSubgraph(
  { name, url }: SubgraphEndpoint,
  headers: Record<string, string> = {},
): Promise<ServiceDefinition> {
  return { name, url, typeDefs: parse(await fetchSubgraphSdl(url, headers)) };
}

/** Composes the subgraphs; throws with every composition error, one a line, when they do not compose. */
export function composeSupergraph(services: ServiceDefinition[]): CompositionSuccess {
  const composition = composeServices(services);
  if (composition.errors) {
    throw new Error(`composition failed:\n${composition.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return composition;
}

interface CallerContext {
  readonly authorization?: string;
}

export interface FederationGateway {
  /** The federation gateway's GraphQL endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/** @apollo/gateway with a static supergraph (no polling, no Apollo uplink), on a loopback port. */
export async function startFederationGateway(supergraphSdl: string): Promise<FederationGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<CallerContext>({
        ...(url ? { url } : {}),
        willSendRequest(options) {
          // Only operations carry a caller; the gateway's own health checks and schema loads do not.
          if (!('incomingRequestContext' in options)) return;
          const { authorization } = options.incomingRequestContext.context;
          if (authorization) options.request.http?.headers.set('authorization', authorization);
        },
      }),
  });
  const server = new ApolloServer<CallerContext>({ gateway, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: ({ req }) =>
      Promise.resolve(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  return { url, close: () => server.stop() };
}
