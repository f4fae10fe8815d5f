/** `GET /metrics`: the registry in Prometheus' text format, answered before any GraphQL handling (plugins/routes.ts). */
import type { Registry } from 'prom-client';
import type { Route } from '../plugins/routes.js';

export interface MetricsRouteOptions {
  readonly registry: Registry;
  readonly path?: string;
}

export function metricsRoute({ registry, path = '/metrics' }: MetricsRouteOptions): Route {
  return {
    path,
    respond(request, _url, { Response }) {
      if (request.method !== 'GET') return undefined;
      return registry.metrics().then((text) => new Response(text, { headers: { 'content-type': registry.contentType } }));
    },
  };
}
