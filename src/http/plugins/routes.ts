/**
 * The gateway's own endpoints besides GraphQL (`/metrics`, `/readiness`, GraphiQL's build), answered
 * by one yoga plugin before any GraphQL work. One plugin rather than one each: yoga calls every
 * `onRequest` hook on every request, and each call costs allocations on the GraphQL path, which
 * these endpoints never serve. Here a GraphQL request pays for one map lookup and one prefix check.
 */
import type { Plugin } from 'graphql-yoga';

/** An endpoint: `respond` answers, or returns undefined to let the request through (a method it does not serve, say). */
export interface Route {
  /** The path it serves; with `prefix`, every path under it. */
  readonly path: string;
  readonly prefix?: boolean;
  respond(request: Request, url: URL, fetchAPI: { readonly Response: typeof Response }): Promise<Response> | undefined;
}

/** Finds the route serving a path, if any. */
export type RouteFinder = (pathname: string) => Route | undefined;

export function routeFinder(routes: readonly Route[]): RouteFinder {
  const exact = new Map(routes.filter((route) => !route.prefix).map((route) => [route.path, route]));
  const prefixed = routes.filter((route) => route.prefix);
  return (pathname) => exact.get(pathname) ?? prefixed.find((route) => pathname.startsWith(route.path));
}

/** Answers the requests `find` has a route for (the same finder can tell the request log which those are). */
export function useRoutes(find: RouteFinder): Plugin {
  return {
    // Not an async function: a GraphQL request must not pay for a promise.
    onRequest(payload) {
      return find(payload.url.pathname)
        ?.respond(payload.request, payload.url, payload.fetchAPI)
        ?.then((response) => payload.endResponse(response));
    },
  };
}
