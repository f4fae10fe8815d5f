/**
 * `GET /readiness`: 200 when every check passes, 503 otherwise (docs/contract.md §3), with a small JSON body
 * naming each check's state so an operator sees which dependency is down. Checks are plugged in by
 * whoever owns the dependency (the rate limiter's Redis, the gateway's own shutdown).
 */
import type { Route } from '../plugins/routes.js';

export interface ReadinessCheck {
  /** Shown in the response body, e.g. `redis`. */
  readonly name: string;
  /** True when ready; false or a throw when not (the error's message is not shown: it may say too much). */
  check(): boolean | Promise<boolean>;
}

export interface ReadinessOptions {
  readonly checks: readonly ReadinessCheck[];
  readonly path?: string;
}

export function readinessRoute({ checks, path = '/readiness' }: ReadinessOptions): Route {
  // A route of our own, matched by path: yoga's own useReadinessCheck also tries a URLPattern (a
  // polyfill on Node 20) against every request that is not a probe, a measurable cost on the GraphQL path.
  return {
    path,
    respond: (_request, _url, { Response }) =>
      Promise.all(
        checks.map(async (readiness) => {
          const ready = await Promise.resolve()
            .then(() => readiness.check())
            .catch(() => false);
          return [readiness.name, ready ? 'ok' : 'failing'] as const;
        }),
      ).then((states) => {
        const ready = states.every(([, state]) => state === 'ok');
        return new Response(JSON.stringify({ ready, checks: Object.fromEntries(states) }), {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json' },
        });
      }),
  };
}
