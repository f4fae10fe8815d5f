/**
 * OpenTelemetry tracing, configured by nothing but OpenTelemetry's own `OTEL_*` variables: the SDK
 * (`@opentelemetry/sdk-node`) reads the exporter (`OTEL_TRACES_EXPORTER`: otlp, console, zipkin),
 * the OTLP endpoint, protocol (`OTEL_EXPORTER_OTLP_PROTOCOL`: http/protobuf by default, http/json,
 * grpc), headers and timeout, `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`, the sampler and
 * the propagators (W3C trace context and baggage by default). The gateway only decides whether to
 * start it at all (config.ts: an exporter or an endpoint is set, the SDK not disabled) and keeps the
 * SDK to traces: metrics stay Prometheus's (`GET /metrics`), logs stay JSON lines on stdout.
 *
 * Off, none of this is loaded, and no span is made.
 *
 * The context manager is OpenTelemetry's synchronous one (`StackContextManager`: the active context
 * is set for the synchronous run of `context.with(ctx, fn)` and not carried across an `await`), not
 * the SDK's default `AsyncLocalStorageContextManager`. On Node 20 and 22 an `AsyncLocalStorage` in
 * use turns on async_hooks' promise hooks, so every promise the process makes — the executor's, the
 * engine's, the PostgreSQL driver's and the audit trail's, dozens per mutation — pays a hook and
 * carries the context whether or not anything reads it: about 30 µs of CPU per mutation, some third
 * of what tracing cost (bench/cpu-profile.ts `--before`, `audit-off-tracing` and `postgres-tracing`,
 * measured on a busy machine). The gateway needs none of it: every span's parent is handed over explicitly — the
 * caller's context set on the GraphQL context (http/plugins/tracing.ts), the operation's span from
 * there to `csr_deletion.wait` in the deletion's attribution, the wait span as the engine's tag for
 * the call spans (tracing-engine.ts) — and no instrumentation is installed that would look for
 * `context.active()` after an `await`. Within `with` it still answers rightly (envelop's plugin runs
 * `execute` in the operation's context).
 */
import { diag, DiagLogLevel, propagation, trace, type TextMapPropagator, type TracerProvider } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { Logger } from '../logger.js';

/** The service name unless `OTEL_SERVICE_NAME` (or `OTEL_RESOURCE_ATTRIBUTES`) says otherwise. */
export const SERVICE_NAME = 'tencent-ssl-gateway';

/** What the gateway traces with (tests hand in an SDK provider with an in-memory exporter). */
export interface TracingParts {
  readonly tracerProvider: TracerProvider;
  /** How a caller's trace context arrives; W3C `traceparent` when absent. */
  readonly propagator?: TextMapPropagator;
}

export interface Tracing extends TracingParts {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

export async function startTracing(logger: Logger): Promise<Tracing> {
  // The SDK's own complaints (an exporter that cannot reach its endpoint, say) as log lines; with
  // OTEL_LOG_LEVEL set the SDK installs its console logger instead, as it documents.
  const log = logger.child({ component: 'opentelemetry' });
  diag.setLogger(
    {
      error: (message, ...args) => log.warn({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  const [{ NodeSDK }, { StackContextManager }] = await Promise.all([import('@opentelemetry/sdk-node'), import('@opentelemetry/sdk-trace')]);
  const sdk = new NodeSDK({
    // Detected attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, process, host) merge over these.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': SERVICE_NAME })),
    // Synchronous only, not the SDK's default AsyncLocalStorage one: see the note above.
    contextManager: new StackContextManager(),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return { tracerProvider: trace.getTracerProvider(), propagator: propagation, shutdown: () => sdk.shutdown() };
}
