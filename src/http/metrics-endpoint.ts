/** `GET /metrics`: the registry in Prometheus' text format, served by yoga before any GraphQL handling. */
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export function useMetricsEndpoint(registry: Registry, path = '/metrics'): Plugin {
  return {
    async onRequest(payload) {
      if (payload.url.pathname !== path || payload.request.method !== 'GET') return;
      payload.endResponse(new payload.fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }));
    },
  };
}
