/**
 * The engine's shapes, small on purpose: the deletion service (src/deletion/) sees only
 * `DeleteEngine` and its `DeletionOutcome` (outcome.ts), the limiter backings (local, Redis) see only
 * `RateLimiter` and `SlotGrant`, the Tencent client implements `BatchDeleteClient` (client.ts), and
 * whoever listens (metrics, logs, traces) sees only `EngineObserver`.
 */
import type { DeletionOutcome } from './outcome.js';

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
  /**
   * Told which of this caller's IDs a call carries at the moment it goes: when its slot is claimed,
   * just before its bytes are handed to the socket (a retry tells again), or when an ID joins a call
   * already in flight for another caller. Synchronous and cheap; a throw is ignored. A caller that
   * must know what may have reached Tencent (a durable job) learns it here, per ID.
   */
  readonly onSending?: (ids: readonly number[]) => void;
}

export interface DeleteEngine {
  /**
   * Deletes the positive IDs given, which must be distinct (the deletion service de-duplicates);
   * resolves when every one of them has its settlement.
   */
  submit(ids: readonly number[], options: SubmitOptions): Promise<DeletionOutcome>;
  /** Stops taking work, answers everything accepted, then resolves. */
  drain(): Promise<void>;
  /** IDs accepted and not yet answered. */
  readonly pendingIds: number;
}

/**
 * Permission for upstream calls. `acquire` reserves the next slot of `key`'s schedule and resolves
 * when it comes, with a grant; or with `deadline` when no slot could be had before `until` (then
 * nothing was reserved). It rejects when the limiter cannot answer (e.g. its Redis is down).
 */
export interface RateLimiter {
  acquire(key: string, until: number): Promise<SlotGrant | 'deadline'>;
  /** The spacing of its slots, where it keeps a fixed one (both limiters do): what a plan's estimate uses. */
  readonly intervalMs?: number;
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
   * The two moments around the write of its bytes to the socket, in Unix ms with a sub-millisecond
   * fraction (`performance.timeOrigin + performance.now()`, the scale the simulator logs arrivals on);
   * absent when nothing was sent. `sendingAt`: right before (the limiter grant's `claim()`); `sentAt`:
   * right after (its `sent()`, the time the limiter keeps) — later than the write by however long
   * the process was held up in between (a busy loop, a GC pause, the CPU taken by others).
   */
  readonly sendingAt?: number;
  readonly sentAt?: number;
  readonly durationMs: number;
  /** `SubmitOptions.tag` of every caller whose IDs rode in this call (each once). */
  readonly tags: readonly unknown[];
}

/** One existence check of the IDs of calls whose answer was lost (engine.ts `#reconcile`). */
export interface CheckEvent {
  /** Distinct IDs checked. */
  readonly ids: number;
  /** `Success`, or the code of the failure that left them unchecked. */
  readonly code: string;
  /** How many were still there (when it succeeded). */
  readonly present: number;
  readonly durationMs: number;
}

/** What the engine tells the outside (metrics, logs, traces) without knowing who listens. */
export interface EngineObserver {
  /** An upstream call ended. */
  onCall?(event: CallEvent): void;
  /** An existence check ended. */
  onCheck?(event: CheckEvent): void;
  /** A call was formed but not sent: its slot came too late to use safely; its IDs wait for another. */
  onSlotMissed?(): void;
  onRateLimitWait?(seconds: number): void;
  onPendingIds?(count: number): void;
}
