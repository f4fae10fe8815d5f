/**
 * The deletion service: the one way into the batching engine, for every submitter (a GraphQL
 * operation today; a durable deletion job next), each submission with an explicit attribution.
 *
 * A submission goes down one chain, written out in `submit` below rather than assembled from
 * decorators, so that a reader sees the whole path in one place:
 *
 *   de-duplicate   the IDs, once, here at the engine's edge: nothing below sees a duplicate
 *   traced         its wait is a span of the submitter's trace (observability/tracing-engine.ts)
 *   audited        the intent is durable before anything is sent, the outcome written after
 *                  (audit/audited-submission.ts); the store down fails it closed
 *   paced          its answer handed over within the event loop's budget (engine/answer-pacing.ts)
 *   engine         coalesced with everyone else's IDs into rate-limited 100-ID calls
 *
 * The answer is the engine's `DeletionOutcome` (engine/outcome.ts), unchanged on the way: a
 * settlement per ID and the RequestIds of the calls that carried it.
 */
import type { Context, Tracer } from '@opentelemetry/api';
import { auditedSubmission } from '../audit/audited-submission.js';
import type { AuditTrail } from '../audit/trail.js';
import type { CallerAuth } from '../audit/types.js';
import { AnswerPacer, pacedAnswers } from '../engine/answer-pacing.js';
import type { DeletionOutcome } from '../engine/outcome.js';
import type { DeleteEngine } from '../engine/types.js';
import { tracedSubmission } from '../observability/tracing-engine.js';

/** Who a submission is for, given with each one (never read from a request's context). */
export interface Attribution {
  /** The JWT's `sub` or the API key's name; `ANONYMOUS_CALLER` with auth off. Recorded by the audit trail. */
  readonly caller: string;
  /**
   * What submitted on the caller's behalf: `graphql` (an operation), `job` (a deletion job). For
   * logs and future audit columns; nothing records it yet.
   */
  readonly callerKind?: string;
  /** How the caller authenticated (`jwt`, `key`, `anonymous`): a JWT's sub and an API key's name can be the same text. Recorded by the audit trail. */
  readonly callerAuth?: CallerAuth;
  /** The trace the submission belongs to, as the audit trail records it. */
  readonly traceId?: string;
  /** The OpenTelemetry context the submission's wait span is a child of (with tracing on). */
  readonly traceContext?: Context;
}

/** The caller recorded when auth is off. */
export const ANONYMOUS_CALLER = 'anonymous';

export interface DeletionRequest {
  /**
   * Unix ms. IDs not yet sent by then are answered at once (`Gateway.DeadlineExceeded`, or the
   * failure that kept them waiting); IDs in flight are answered when their call ends.
   */
  readonly deadline: number;
  readonly attribution: Attribution;
  /** Told, per call, which of these IDs it carries as it goes (engine/types.ts `SubmitOptions.onSending`). */
  readonly onSending?: (ids: readonly number[]) => void;
}

export interface DeletionServiceParts {
  readonly engine: DeleteEngine;
  /** Hands answers over a few per event-loop turn; one per process (its budget is the loop's). */
  readonly pacer?: AnswerPacer;
  /** Without it nothing is audited. */
  readonly audit?: AuditTrail;
  /** Without it no span is made. */
  readonly tracer?: Tracer;
}

export class DeletionService {
  readonly #engine: DeleteEngine;
  readonly #paced: DeleteEngine;
  readonly #audit: AuditTrail | undefined;
  readonly #tracer: Tracer | undefined;

  constructor({ engine, pacer = new AnswerPacer(), audit, tracer }: DeletionServiceParts) {
    this.#engine = engine;
    this.#paced = pacedAnswers(engine, pacer);
    this.#audit = audit;
    this.#tracer = tracer;
  }

  /**
   * Deletes the positive IDs given (duplicates count once) and resolves with the settlement of each
   * distinct one. Never rejects for a Tencent or gateway failure: those are settlements.
   */
  submit(ids: readonly number[], { deadline, attribution, onSending }: DeletionRequest): Promise<DeletionOutcome> {
    const csrIds = [...new Set(ids)];
    const engine = (tag: unknown): Promise<DeletionOutcome> =>
      this.#paced.submit(csrIds, { deadline, ...(tag === undefined ? {} : { tag }), ...(onSending ? { onSending } : {}) });
    const audited = (tag: unknown): Promise<DeletionOutcome> =>
      this.#audit ? auditedSubmission(this.#audit, attribution, csrIds, () => engine(tag)) : engine(tag);
    return this.#tracer ? tracedSubmission(this.#tracer, attribution.traceContext, csrIds.length, audited) : audited(undefined);
  }

  /** IDs accepted and not yet answered. */
  get pendingIds(): number {
    return this.#engine.pendingIds;
  }

  /** Stops taking work, answers everything accepted, then resolves. */
  drain(): Promise<void> {
    return this.#engine.drain();
  }
}
