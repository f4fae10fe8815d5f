// Hive Gateway's configuration in compose.yaml (mounted as /gateway/gateway.config.mjs): forward the
// caller's Authorization header to this subgraph (the gateway authenticates the real caller, not the
// router) and give a request longer than MUTATION_DEADLINE_MS + UPSTREAM_TIMEOUT_MS (docs/contract.md §6).
// `defineConfig` from @graphql-hive/gateway only types this object; plain JavaScript needs none.
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) =>
      subgraphName === 'csr-deletion' ? { authorization: request.headers.get('authorization') } : {},
  },
  upstreamTimeout: 45_000,
};
