/** `GET /metrics`: the registry in Prometheus' text format, served by yoga before any GraphQL handling. */
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';

export interface MetricsEndpointOptions {
  readonly registry: Registry;
  readonly path?: string;
}

export function useMetricsEndpoint({ registry, path = '/metrics' }: MetricsEndpointOptions): Plugin {
  return {
    // Not an async function: a request for another path must not pay for a promise.
    onRequest(payload) {
      if (payload.url.pathname !== path || payload.request.method !== 'GET') return;
      return registry.metrics().then((text) => {
        payload.endResponse(new payload.fetchAPI.Response(text, { headers: { 'content-type': registry.contentType } }));
      });
    },
  };
}
