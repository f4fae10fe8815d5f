/**
 * OpenTelemetry across the coalesced call, through the whole gateway (`yoga.fetch`), with the SDK's
 * in-memory exporter: a router's `traceparent` is continued, the caller's wait is a span of its
 * trace, and each upstream call is one span linked to (and from) every caller whose IDs rode in it.
 */
import { Writable } from 'node:stream';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimiter, SlotGrant } from '../../../src/engine/types.js';
import { SpanAttribute, WAIT_SPAN } from '../../../src/observability/tracing-engine.js';
import { deleteCSRs } from '../../support/gateway.js';
import { createRig, type InProcessRig, type InProcessRigOptions } from '../../support/in-process-gateway.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let rig: InProcessRig | undefined;

beforeEach(() => exporter.reset());
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function tracedRig(options: InProcessRigOptions = {}, provider = tracerProvider): InProcessRig {
  rig = createRig({ ...options, gateway: { tracing: { tracerProvider: provider } } });
  return rig;
}

const traceparent = (traceId: string, spanId: string): Record<string, string> => ({ traceparent: `00-${traceId}-${spanId}-01` });
const named = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.name === name);
const linksTo = (span: ReadableSpan, other: ReadableSpan): boolean =>
  span.links.some((link) => link.context.spanId === other.spanContext().spanId && link.context.traceId === other.spanContext().traceId);

/** Holds every rate-limit slot until told, so that callers can gather into one call. */
class GatedLimiter implements RateLimiter {
  open!: () => void;
  readonly #opened = new Promise<void>((resolve) => (this.open = resolve));
  async acquire(): Promise<SlotGrant> {
    await this.#opened;
    return { claim: () => true, sent: () => undefined };
  }
}

describe('tracing', () => {
  it("continues the caller's trace: the operation, the caller's wait and the upstream call, with the trace ID in the log", async () => {
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const traced = tracedRig({ env: { LOG_LEVEL: 'info' }, logDestination });
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const result = await deleteCSRs(traced, [1, 2], traceparent(traceId, 'b7ad6b7169203331'));
    expect(result.deletedIds).toEqual([1, 2]);

    const [operation] = named('mutation.Delete');
    expect(operation?.spanContext().traceId).toBe(traceId);
    expect(operation?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(operation?.kind).toBe(SpanKind.SERVER);

    const [wait] = named(WAIT_SPAN);
    expect(wait?.spanContext().traceId).toBe(traceId);
    expect(wait?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
    expect(wait?.attributes).toMatchObject({ [SpanAttribute.idCount]: 2, [SpanAttribute.deleted]: 2, [SpanAttribute.failed]: 0 });

    const [call, ...more] = named('BatchDeleteCSR');
    expect(more).toEqual([]);
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(call?.parentSpanContext).toBeUndefined();
    expect(call?.attributes).toMatchObject({
      [SpanAttribute.action]: 'BatchDeleteCSR',
      [SpanAttribute.idCount]: 2,
      [SpanAttribute.attempt]: 1,
      [SpanAttribute.code]: 'Success',
      [SpanAttribute.requestId]: result.requestIds?.[0],
    });
    expect(linksTo(call as ReadableSpan, wait as ReadableSpan)).toBe(true);
    expect(linksTo(wait as ReadableSpan, call as ReadableSpan)).toBe(true);

    const requestLine = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['msg'] === 'request');
    expect(requestLine).toMatchObject({ traceId, operationName: 'Delete' });
  });

  it('starts a trace of its own for a caller that sends none', async () => {
    const traced = tracedRig();
    await deleteCSRs(traced, [3]);
    const [operation] = named('mutation.Delete');
    const [wait] = named(WAIT_SPAN);
    expect(operation?.parentSpanContext).toBeUndefined();
    expect(wait?.spanContext().traceId).toBe(operation?.spanContext().traceId);
  });

  it('makes one upstream span for two coalesced callers, linked to and from both of their traces', async () => {
    const limiter = new GatedLimiter();
    const traced = tracedRig({
      limiter,
      // Both callers' IDs are waiting in the engine: let the slot come, and one call carry them all.
      observer: { onPendingIds: (count) => count === 2 && limiter.open() },
    });
    const [first, second] = ['11111111111111111111111111111111', '22222222222222222222222222222222'];
    await Promise.all([deleteCSRs(traced, [10], traceparent(first, '1111111111111111')), deleteCSRs(traced, [20], traceparent(second, '2222222222222222'))]);

    const [call, ...more] = named('BatchDeleteCSR');
    expect(more).toEqual([]);
    expect(call?.attributes[SpanAttribute.idCount]).toBe(2);
    const waits = named(WAIT_SPAN);
    expect(waits.map((wait) => wait.spanContext().traceId).sort()).toEqual([first, second]);
    for (const wait of waits) {
      expect(linksTo(call as ReadableSpan, wait)).toBe(true);
      expect(linksTo(wait, call as ReadableSpan)).toBe(true);
    }
  });

  it('shows a retried call as a further call span, linked the same way', async () => {
    const traced = tracedRig();
    const { simulator } = traced;
    simulator.inject({ kind: 'error', code: 'InternalError' });
    const result = await deleteCSRs(traced, [30], traceparent('33333333333333333333333333333333', '3333333333333333'));
    expect(result.deletedIds).toEqual([30]);

    const calls = named('BatchDeleteCSR').sort((a, b) => Number(a.attributes[SpanAttribute.attempt]) - Number(b.attributes[SpanAttribute.attempt]));
    expect(calls.map((call) => [call.attributes[SpanAttribute.attempt], call.attributes[SpanAttribute.code]])).toEqual([
      [1, 'InternalError'],
      [2, 'Success'],
    ]);
    expect(calls[0]?.status.code).toBe(SpanStatusCode.ERROR);
    const [wait] = named(WAIT_SPAN);
    for (const call of calls) {
      expect(linksTo(call, wait as ReadableSpan)).toBe(true);
      expect(linksTo(wait as ReadableSpan, call)).toBe(true);
    }
  });

  it('marks the wait span of IDs that failed with their failure code, and counts them', async () => {
    const traced = tracedRig();
    traced.simulator.inject({ kind: 'error', code: 'AuthFailure.SignatureFailure' });
    await deleteCSRs(traced, [40, 41]);

    const [wait] = named(WAIT_SPAN);
    expect(wait?.attributes).toMatchObject({ [SpanAttribute.idCount]: 2, [SpanAttribute.deleted]: 0, [SpanAttribute.failed]: 2 });
    expect(wait?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'AuthFailure.SignatureFailure' });
  });

  it("honours the sampler: a caller's unsampled trace records no operation or wait span, and the call span is its own root's to decide", async () => {
    const sampled = new BasicTracerProvider({
      sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const traced = tracedRig({}, sampled);
    // Flags 00: the caller did not sample this trace.
    const result = await deleteCSRs(traced, [50], { traceparent: '00-55555555555555555555555555555555-5555555555555555-00' });
    expect(result.deletedIds).toEqual([50]);

    expect(named('mutation.Delete')).toEqual([]);
    expect(named(WAIT_SPAN)).toEqual([]);
    const [call] = named('BatchDeleteCSR');
    expect(call?.links.map((link) => link.context.traceId)).toEqual(['55555555555555555555555555555555']);
  });
});
