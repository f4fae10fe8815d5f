/**
 * Real federated graphs around the gateway, for tests: each subgraph's SDL read over HTTP with
 * `_service { sdl }` (what `rover subgraph introspect` and IntrospectAndCompose do), composed, and
 * served on a loopback port by one of two routers:
 *  - Apollo's: @apollo/composition, and @apollo/gateway inside @apollo/server;
 *  - The Guild's: @theguild/federation-composition, and Hive Gateway's runtime
 *    (@graphql-hive/gateway-runtime, what the `hive-gateway` CLI and Docker image serve).
 * Cosmo's composition (@wundergraph/composition) composes it too; Cosmo Router, a Go binary, is not run.
 *
 * Both forward the caller's `Authorization` header to every subgraph, each configured the way
 * docs/federation.md tells operators to: the gateway's caller authentication
 * (docs/contract.md §4) sees the real caller, not the router.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices, type CompositionSuccess } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { createGatewayRuntime, type GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';
import { composeServices as composeWithGuild } from '@theguild/federation-composition';
import { federateSubgraphs, type FederationSuccess } from '@wundergraph/composition';
import { parse } from 'graphql';
import { fetch } from 'undici';
import { serveOnLoopback } from './loopback.js';

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
  if (composition.errors) throw compositionFailed(composition.errors);
  return composition;
}

/** The same with The Guild's composition (what Hive's registry and `hive-gateway` use); the supergraph SDL. */
export function composeSupergraphWithGuild(services: ServiceDefinition[]): string {
  const composition = composeWithGuild(services);
  if (composition.errors) throw compositionFailed(composition.errors);
  return composition.supergraphSdl;
}

/** The same with Cosmo's composition (what `wgc router compose` runs); its result feeds Cosmo Router's config. */
export function composeSupergraphWithCosmo(services: ServiceDefinition[]): FederationSuccess {
  const federation = federateSubgraphs({
    subgraphs: services.map(({ name, url, typeDefs }) => ({ name, url: url ?? '', definitions: typeDefs })),
  });
  if (!federation.success) throw compositionFailed(federation.errors);
  return federation;
}

function compositionFailed(errors: readonly { message: string }[]): Error {
  return new Error(`composition failed:\n${errors.map((error) => `- ${error.message}`).join('\n')}`);
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
export async function startApolloGateway(supergraphSdl: string): Promise<FederationGateway> {
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

/** Hive Gateway's options a test may set: its demand control (operation cost limits). */
export type HiveGatewayOptions = Pick<GatewayConfigSupergraph, 'demandControl'>;

/** Hive Gateway's runtime serving a static supergraph (no Hive CDN, no polling), on a loopback port. */
export async function startHiveGateway(supergraphSdl: string, options: HiveGatewayOptions = {}): Promise<FederationGateway> {
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    // Hive Gateway forwards no client header unless told to.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
    ...options,
  });
  return serveOnLoopback(gateway, () => gateway.dispose());
}

/** One router under test: how it composes the subgraphs and serves the supergraph. */
export interface Router {
  readonly name: string;
  start(services: ServiceDefinition[]): Promise<FederationGateway>;
}

export const ROUTERS: readonly Router[] = [
  { name: '@apollo/gateway', start: (services) => startApolloGateway(composeSupergraph(services).supergraphSdl) },
  { name: 'Hive Gateway', start: (services) => startHiveGateway(composeSupergraphWithGuild(services)) },
];
