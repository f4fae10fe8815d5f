/**
 * The engine's shapes, small on purpose: the schema sees only `DeleteEngine` and `CallerOutcome`,
 * the limiter backings (local, Redis) see only `RateLimiter` and `SlotGrant`, and whoever listens
 * (metrics, logs, traces) sees only `EngineObserver`.
 */
import type { TencentFailure } from '../tencent/codes.js';

/**
 * What happened to one caller's distinct IDs; every ID is in exactly one of the four outcomes.
 *
 * Honest accounting (docs/contract.md §4): an ID that any attempt may have deleted is in `deleted`
 * (an answer said so) or `unknown` — never in `notDeleted` or `failed`, whatever failed afterwards.
 */
export interface CallerOutcome {
  /** Tencent reported them deleted. */
  readonly deleted: number[];
  /** Tencent answered for them but did not delete them (e.g. no such CSR). */
  readonly notDeleted: number[];
  /** A call may have deleted them, but its answer was lost and no later answer settled it. */
  readonly unknown: number[];
  /** Not deleted by this submission, one group per error code, in order of code. */
  readonly failed: readonly FailureGroup[];
  /** RequestIds of the Tencent calls that carried any of the caller's IDs. */
  readonly requestIds: string[];
  /** Per ID, the RequestIds of the Tencent calls that carried it (IDs never answered for are absent). */
  readonly requestIdsById: ReadonlyMap<number, readonly string[]>;
}

export interface FailureGroup {
  /** The first failure of this code stands for all (its message and RequestId). */
  readonly failure: TencentFailure;
  readonly ids: number[];
}

export interface SubmitOptions {
  /**
   * Unix ms. IDs not yet sent by then are answered at once (`Gateway.DeadlineExceeded`, or the
   * failure that kept them waiting); IDs in flight are answered when their call ends.
   */
  readonly deadline: number;
  /**
   * Opaque to the engine: handed back, with the tags of every other caller, in observer events about
   * the upstream calls that carry this caller's IDs (a trace context, say).
   */
  readonly tag?: unknown;
}

export interface DeleteEngine {
  /** Deletes the distinct positive IDs given; resolves when every one of them has an outcome. */
  submit(ids: readonly number[], options: SubmitOptions): Promise<CallerOutcome>;
  /** Stops taking work, answers everything accepted, then resolves. */
  drain(): Promise<void>;
  /** IDs accepted and not yet answered. */
  readonly pendingIds: number;
}

/**
 * `engine` with its `submit` in `submit`'s hands (which calls the engine's own): how pacing, the
 * audit trail and tracing wrap a submission. Draining and the pending count stay the engine's.
 */
export function withSubmit(engine: DeleteEngine, submit: DeleteEngine['submit']): DeleteEngine {
  return {
    get pendingIds() {
      return engine.pendingIds;
    },
    drain: () => engine.drain(),
    submit,
  };
}

/**
 * Permission for upstream calls. `acquire` reserves the next slot of `key`'s schedule and resolves
 * when it comes, with a grant; or with `deadline` when no slot could be had before `until` (then
 * nothing was reserved). It rejects when the limiter cannot answer (e.g. its Redis is down).
 */
export interface RateLimiter {
  acquire(key: string, until: number): Promise<SlotGrant | 'deadline'>;
  close?(): Promise<void>;
}

/**
 * One reserved slot. A reservation is not a send: between the two, a busy event loop, a GC pause or
 * a stopped process can slip, and Tencent counts arrivals. So the call's bytes may only go once
 * `claim()`, asked at the last moment before they are handed to the socket, says yes — that is when
 * the send is recorded — and `sent()`, just after, records the moment they really went.
 */
export interface SlotGrant {
  /** True: send now (recorded as sent now). False: too late to send safely; send nothing on this grant. */
  claim(): boolean;
  /** The bytes went (called once, after a successful `claim`). */
  sent(): void;
}

export interface CallEvent {
  /** Distinct IDs the call carried. */
  readonly ids: number;
  /** 1 for a first attempt; higher when some of its IDs were sent before. */
  readonly attempt: number;
  /** `Success`, Tencent's error code, or a `Gateway.*` code. */
  readonly code: string;
  readonly requestId?: string;
  /** Unix ms when the call was handed to the client. */
  readonly startedAt: number;
  /**
   * When its bytes went to the socket (the limiter grant's `sent()` moment), in Unix ms with a
   * sub-millisecond fraction (`performance.timeOrigin + performance.now()`, the scale the simulator
   * logs arrivals on); absent when nothing was sent.
   */
  readonly sentAt?: number;
  readonly durationMs: number;
  /** `SubmitOptions.tag` of every caller whose IDs rode in this call (each once). */
  readonly tags: readonly unknown[];
}

/** What the engine tells the outside (metrics, logs, traces) without knowing who listens. */
export interface EngineObserver {
  /** An upstream call ended. */
  onCall?(event: CallEvent): void;
  /** A call was formed but not sent: its slot came too late to use safely; its IDs wait for another. */
  onSlotMissed?(): void;
  onRateLimitWait?(seconds: number): void;
  onPendingIds?(count: number): void;
}
