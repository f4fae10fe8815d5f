/**
 * One log line per HTTP request, with a request ID that ties together everything logged for it.
 *
 * An incoming `x-request-id` (from a router or load balancer) is kept when it looks like an ID, so a
 * request can be followed across services; otherwise a UUID is made. Either way it is echoed in the
 * response's `x-request-id` and put in the context (`context.requestId`) for other plugins and
 * resolvers. The line names the operation (from the plan in the context) and the caller's ID (from
 * `context.caller`). Probes and static files (`/health`, the gateway's own routes) log at debug, so
 * they do not drown the lines that matter; when a line's level is off, nothing of it is built.
 */
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.js';
import { traceIdOf } from './tracing.js';
import type { EdgeContext } from '../../operation/context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Visible characters only and bounded, so a forwarded ID can neither forge log lines nor bloat them. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/** What the log keeps of a request between its arrival and its response. */
interface Arrival {
  readonly startedAt: number;
  readonly path: string;
  readonly level: 'debug' | 'info';
}

export interface RequestLogOptions {
  readonly logger: Logger;
  /** Whether requests for a path are logged at debug rather than info (probes, static files). */
  readonly quiet: (pathname: string) => boolean;
}

export function useRequestLog({ logger, quiet }: RequestLogOptions): Plugin<EdgeContext> {
  const arrivals = new WeakMap<Request, Arrival>();
  // The line's fields are these few, none a secret (the caller is an ID, never a credential), so
  // pino's path redaction — two thirds of a line's cost, on every request — is not run for them.
  // The logger's scrubbing of secret values and JWT shapes from every written line still is.
  const lines = logger.child({}, { redact: [] });
  return {
    onRequest({ request, url, serverContext }) {
      // Yoga builds the GraphQL context on this object: the ID reaches resolvers as context.requestId.
      (serverContext as { requestId?: string }).requestId = requestIdOf(request);
      // Nothing to time when no line will be written.
      const level = quiet(url.pathname) ? 'debug' : 'info';
      if (lines.isLevelEnabled(level)) arrivals.set(request, { startedAt: performance.now(), path: url.pathname, level });
    },
    onResponse({ request, response, serverContext }) {
      const context = serverContext as EdgeContext;
      const arrival = arrivals.get(request);
      if (!context.requestId) {
        // Answered before this plugin's onRequest ran (yoga's /health, a CORS preflight): the ID still goes back.
        response.headers.set(REQUEST_ID_HEADER, requestIdOf(request));
        return;
      }
      response.headers.set(REQUEST_ID_HEADER, context.requestId);
      if (!arrival) return;
      const operation = context.operation?.operation;
      const traceId = traceIdOf(serverContext, request);
      lines[arrival.level](
        {
          requestId: context.requestId,
          method: request.method,
          path: arrival.path,
          status: response.status,
          durationMs: Math.round((performance.now() - arrival.startedAt) * 10) / 10,
          ...(operation ? { operation: operation.operation } : {}),
          ...(operation?.name ? { operationName: operation.name.value } : {}),
          ...(context.caller ? { caller: context.caller.id } : {}),
          ...(traceId ? { traceId } : {}),
        },
        'request',
      );
    },
  };
}

/** The caller's `x-request-id` when it looks like an ID, else a fresh UUID. */
function requestIdOf(request: Request): string {
  const incoming = request.headers.get(REQUEST_ID_HEADER);
  return incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}
