/**
 * Tracing at the GraphQL edge, as a yoga plugin:
 *
 *   - The caller's trace context (W3C `traceparent`, as federation routers send it; or whatever
 *     `OTEL_PROPAGATORS` names) is taken from the request's headers, so the operation continues the
 *     caller's trace instead of starting its own.
 *   - The operation gets its span (`mutation.DeleteCSRs`, kind SERVER) from envelop's maintained
 *     OpenTelemetry plugin, parented on that context; the engine's spans hang below it
 *     (tracing-engine.ts).
 *   - `traceIdOf(context)` gives the operation's trace ID, for its log lines and its audit records.
 *
 * With tracing off there is no plugin at all (a hook costs every request something) and no span:
 * `traceIdOf` reads a W3C `traceparent` from the request when asked, so a router's trace ID still
 * reaches the logs and the audit trail.
 */
import { otelContextMap, setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import {
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Plugin } from 'graphql-yoga';
import { SERVICE_NAME, type TracingParts } from '../../observability/tracing.js';

/** Fetch `Headers` as OpenTelemetry's propagators read carriers. */
const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The caller's trace context when tracing is off: W3C's format, as federation routers send it. */
const W3C_PROPAGATOR = new W3CTraceContextPropagator();
const TRACEPARENT = 'traceparent';

/**
 * The plugins, in order: the caller's context first, then the operation's span (envelop's plugin);
 * none with tracing off.
 */
export function tracingPlugins(tracing?: TracingParts): [] | [Plugin, ReturnType<typeof useOpenTelemetry>] {
  if (!tracing) return [];
  const propagator: TextMapPropagator = tracing.propagator ?? W3C_PROPAGATOR;
  const continueCallersTrace: Plugin = {
    onRequest({ request, serverContext }) {
      // Yoga builds the GraphQL context on the server context, so this is where the operation's
      // span will look for its parent.
      setCurrentOtelContext(serverContext, propagator.extract(ROOT_CONTEXT, request.headers, headerGetter));
    },
  };
  // Neither resolver spans nor the document, variables or result: one span per operation, and no CSR IDs in it.
  const options = { resolvers: false, variables: false, result: false, document: false };
  return [continueCallersTrace, useOpenTelemetry(options, tracing.tracerProvider, SpanKind.SERVER, {}, SERVICE_NAME)];
}

/**
 * The OpenTelemetry context of an operation: its span's once it has one, else the caller's; none
 * with tracing off (asking must not make one: `traceIdOf` then reads the caller's `traceparent`).
 */
export function operationContext(graphqlContext: object): Context | undefined {
  return otelContextMap.get(graphqlContext);
}

/**
 * The trace an operation belongs to, if any: with tracing on, its span's (the caller's trace,
 * continued, or one begun here); with it off, the caller's `traceparent`. `request` defaults to the
 * GraphQL context's own (yoga puts it there).
 */
export function traceIdOf(graphqlContext: object, request = (graphqlContext as { request?: Request }).request): string | undefined {
  const context = otelContextMap.get(graphqlContext) ?? callersContext(request);
  const spanContext = context ? trace.getSpanContext(context) : undefined;
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

function callersContext(request: Request | undefined): Context | undefined {
  if (!request?.headers.has(TRACEPARENT)) return undefined;
  return W3C_PROPAGATOR.extract(ROOT_CONTEXT, request.headers, headerGetter);
}
