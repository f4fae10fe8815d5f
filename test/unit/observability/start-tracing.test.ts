/**
 * What `startTracing` registers besides the SDK's defaults: a synchronous context manager, not the
 * SDK's AsyncLocalStorage one (src/observability/tracing.ts says why: that one puts a hook on every
 * promise the process makes). The active context holds for the synchronous run of `context.with`
 * and is not carried across an `await`; the gateway hands every span's parent over explicitly.
 */
import { context, createContextKey, diag, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startTracing, type Tracing } from '../../../src/observability/tracing.js';

let tracing: Tracing | undefined;

afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
  // Unit test files share their worker's globals: leave OpenTelemetry's as they were.
  context.disable();
  trace.disable();
  propagation.disable();
  diag.disable();
  vi.unstubAllEnvs();
});

it('keeps the active context within context.with, and does not carry it across an await', async () => {
  // No exporter: nothing leaves the test; the context manager is registered all the same.
  vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
  tracing = await startTracing(createLogger('silent'));
  const ctx = ROOT_CONTEXT.setValue(createContextKey('test'), 'value');

  const seen = await context.with(ctx, async () => {
    const before = context.active();
    await Promise.resolve();
    return { before, after: context.active() };
  });

  expect(seen.before).toBe(ctx);
  expect(seen.after).toBe(ROOT_CONTEXT);
  expect(context.active()).toBe(ROOT_CONTEXT);
});
