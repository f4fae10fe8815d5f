/**
 * Tracing across the coalesced call. One upstream `BatchDeleteCSR` call carries the IDs of many
 * callers, each in its own trace, so it cannot be a child of any one of them. Instead (OpenTelemetry's
 * pattern for batches):
 *
 *   - Each caller's wait in the engine — the queue, the rate-limit wait, the calls and retries that
 *     carry its IDs — is a span of the caller's trace (`csr_deletion.wait`), below the operation's.
 *   - Each upstream call is one span of its own (`BatchDeleteCSR`, kind CLIENT, a trace root) with
 *     the call's facts as attributes and a link to the wait span of every caller whose IDs rode in
 *     it; and each of those wait spans links back to the call. So from any caller's trace one can
 *     step to the shared call and from there to every other caller; a retried or split call is a
 *     further call span, linked the same way, with a higher `tencentcloud.attempt`.
 *
 * The call span is made when the engine reports the call (`EngineObserver.onCall`), after the fact,
 * with the call's own start and end times: the engine hands back the tags of the callers it carried,
 * and a tag here is the caller's wait span.
 */
import { SpanKind, SpanStatusCode, type Attributes, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { countOutcome, groupOutcome, type DeletionOutcome } from '../engine/outcome.js';
import type { EngineObserver } from '../engine/types.js';
import { BATCH_DELETE_CSR } from '../tencent/client.js';

/** The attributes the gateway's spans carry (docs/contract.md §3). */
export const SpanAttribute = {
  rpcSystem: 'rpc.system',
  rpcService: 'rpc.service',
  rpcMethod: 'rpc.method',
  cloudProvider: 'cloud.provider',
  cloudRegion: 'cloud.region',
  action: 'tencentcloud.action',
  idCount: 'tencentcloud.csr_ids.count',
  attempt: 'tencentcloud.attempt',
  code: 'tencentcloud.code',
  requestId: 'tencentcloud.request_id',
  deleted: 'csr_deletion.deleted',
  notDeleted: 'csr_deletion.not_deleted',
  unknown: 'csr_deletion.unknown',
  failed: 'csr_deletion.failed',
} as const;

export const WAIT_SPAN = 'csr_deletion.wait';

/** The engine tag of a traced caller: its wait span, for the call spans to link to (and from). */
class CallerTrace {
  constructor(readonly span: Span) {}
}

/**
 * One submission, traced: its wait is a span under `parent` (the operation's span, or whatever the
 * submitter's trace is), handed to the engine as the caller's tag through `submit`.
 */
export async function tracedSubmission(
  tracer: Tracer,
  parent: Context | undefined,
  idCount: number,
  submit: (tag: unknown) => Promise<DeletionOutcome>,
): Promise<DeletionOutcome> {
  const span = tracer.startSpan(WAIT_SPAN, { attributes: { [SpanAttribute.idCount]: idCount } }, parent);
  try {
    const outcome = await submit(new CallerTrace(span));
    // An unsampled span keeps nothing: nothing to count for it.
    if (span.isRecording()) {
      const counts = countOutcome(outcome.settlements.values());
      span.setAttributes({
        [SpanAttribute.deleted]: counts.deleted,
        [SpanAttribute.notDeleted]: counts.notDeleted,
        [SpanAttribute.unknown]: counts.unknown,
        [SpanAttribute.failed]: counts.failed,
      });
      if (counts.failed > 0) span.setStatus({ code: SpanStatusCode.ERROR, message: failureCodes(outcome) });
    }
    return outcome;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** The wait span's status message when IDs failed: each failure code once, in order of code. */
function failureCodes(outcome: DeletionOutcome): string {
  return groupOutcome(outcome)
    .failed.map((group) => group.failure.code)
    .join(' ');
}

/** One span per upstream call, linked to and from the wait span of every caller it carried. */
export function upstreamCallSpans(tracer: Tracer, region?: string): EngineObserver {
  // What every call span says alike, made once; each call adds its own facts to a copy.
  const fixed: Attributes = {
    [SpanAttribute.rpcSystem]: 'tencentcloud',
    [SpanAttribute.rpcService]: 'ssl',
    [SpanAttribute.rpcMethod]: BATCH_DELETE_CSR,
    [SpanAttribute.cloudProvider]: 'tencent_cloud',
    ...(region ? { [SpanAttribute.cloudRegion]: region } : {}),
    [SpanAttribute.action]: BATCH_DELETE_CSR,
  };
  return {
    onCall({ ids, attempt, code, requestId, startedAt, durationMs, tags }) {
      const links: Link[] = [];
      for (const tag of tags) if (tag instanceof CallerTrace) links.push({ context: tag.span.spanContext() });
      const attributes: Attributes = { ...fixed, [SpanAttribute.idCount]: ids, [SpanAttribute.attempt]: attempt, [SpanAttribute.code]: code };
      if (requestId) attributes[SpanAttribute.requestId] = requestId;
      const span = tracer.startSpan(BATCH_DELETE_CSR, { kind: SpanKind.CLIENT, root: true, startTime: startedAt, links, attributes });
      if (code !== 'Success') span.setStatus({ code: SpanStatusCode.ERROR, message: code });
      span.end(startedAt + durationMs);
      const back = { context: span.spanContext(), attributes: { [SpanAttribute.attempt]: attempt } };
      for (const tag of tags) if (tag instanceof CallerTrace) tag.span.addLink(back);
    },
  };
}
