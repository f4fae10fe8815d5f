/**
 * `GET /readiness`: 200 when every check passes, 503 otherwise (docs/contract.md §3), with a small JSON body
 * naming each check's state so an operator sees which dependency is down. Checks are plugged in by
 * whoever owns the dependency (the rate limiter's Redis, the gateway's own shutdown).
 */
import type { Plugin } from 'graphql-yoga';

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

export function useReadiness({ checks, path = '/readiness' }: ReadinessOptions): Plugin {
  // Matched by plain path equality: yoga's own useReadinessCheck also tries a URLPattern (a polyfill
  // on Node 20) against every request that is not a probe, a measurable cost on the GraphQL path.
  return {
    onRequest(payload) {
      if (payload.url.pathname !== path) return;
      return Promise.all(
        checks.map(async (readiness) => {
          const ready = await Promise.resolve()
            .then(() => readiness.check())
            .catch(() => false);
          return [readiness.name, ready ? 'ok' : 'failing'] as const;
        }),
      ).then((states) => {
        const ready = states.every(([, state]) => state === 'ok');
        payload.endResponse(
          new payload.fetchAPI.Response(JSON.stringify({ ready, checks: Object.fromEntries(states) }), {
            status: ready ? 200 : 503,
            headers: { 'content-type': 'application/json' },
          }),
        );
      });
    },
  };
}
