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
 * With tracing off only the first step runs, with the W3C format: a router's trace ID still reaches
 * the logs and the audit trail, though no span is made here.
 */
import { getCurrentOtelContext, otelContextMap, setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
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
import { SERVICE_NAME, type TracingParts } from './tracing.js';

/** Fetch `Headers` as OpenTelemetry's propagators read carriers. */
const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The plugins, in order: the caller's context first, then the operation's span (envelop's plugin). */
export function tracingPlugins(tracing?: TracingParts): [Plugin] | [Plugin, ReturnType<typeof useOpenTelemetry>] {
  const propagator: TextMapPropagator = tracing?.propagator ?? new W3CTraceContextPropagator();
  const continueCallersTrace: Plugin = {
    onRequest({ request, serverContext }) {
      // Yoga builds the GraphQL context on the server context, so this is where the operation's
      // span will look for its parent.
      if (!tracing && !request.headers.has('traceparent')) return;
      setCurrentOtelContext(serverContext, propagator.extract(ROOT_CONTEXT, request.headers, headerGetter));
    },
  };
  if (!tracing) return [continueCallersTrace];
  // Neither resolver spans nor the document, variables or result: one span per operation, and no CSR IDs in it.
  const options = { resolvers: false, variables: false, result: false, document: false };
  return [continueCallersTrace, useOpenTelemetry(options, tracing.tracerProvider, SpanKind.SERVER, {}, SERVICE_NAME)];
}

/** The OpenTelemetry context of an operation: its span's once it has one, else the caller's. */
export function operationContext(graphqlContext: object): Context {
  return getCurrentOtelContext(graphqlContext);
}

/** The trace an operation belongs to, if any (the caller's, continued, or one begun here). */
export function traceIdOf(graphqlContext: object): string | undefined {
  const context = otelContextMap.get(graphqlContext);
  const spanContext = context ? trace.getSpanContext(context) : undefined;
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
