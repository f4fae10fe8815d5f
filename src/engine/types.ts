/**
 * The engine's shapes, small on purpose: the schema sees only `DeleteEngine` and `CallerOutcome`,
 * and the limiter backings (local, Redis) see only `RateLimiter`.
 */
import type { TencentFailure } from '../tencent/codes.js';

/** What happened to one caller's distinct IDs; every ID is in exactly one list. */
export interface CallerOutcome {
  /** Tencent reported them deleted. */
  readonly deleted: number[];
  /** Tencent answered for them but did not delete them (e.g. no such CSR). */
  readonly notDeleted: number[];
  /** A call may have deleted them but its answer was lost, and no later answer settled it. */
  readonly unknown: number[];
  /** Failed, grouped by the failure (one group per distinct failure object). */
  readonly failed: { readonly failure: TencentFailure; readonly ids: number[] }[];
  /** RequestIds of the Tencent calls that carried any of the caller's IDs. */
  readonly requestIds: string[];
}

export interface SubmitOptions {
  /** Unix ms; IDs still queued then get `Gateway.DeadlineExceeded`, IDs in flight are waited for. */
  readonly deadline: number;
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
 * One upstream call's permission. `granted` means a call may be sent now; `deadline` means no slot
 * could be had before `until`, and nothing was reserved.
 */
export interface RateLimiter {
  acquire(key: string, until: number): Promise<'granted' | 'deadline'>;
  close?(): Promise<void>;
}

/** What the engine tells the outside (metrics, logs) without knowing who listens. */
export interface EngineObserver {
  onCall?(event: {
    readonly ids: number;
    readonly attempt: number;
    readonly code: string;
    readonly requestId?: string;
    readonly durationMs: number;
  }): void;
  onRateLimitWait?(seconds: number): void;
  onPendingIds?(count: number): void;
}
