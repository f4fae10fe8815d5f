/**
 * Job progress for subscribers, on whichever replica they are connected to.
 *
 * Every store transaction that changes a job NOTIFYs its ID (store.ts); each replica LISTENs once and
 * fans the IDs out to its own subscribers here. PostgreSQL delivers a NOTIFY to every listening
 * session at commit, so a subscriber on a replica that is not running the job hears of each change as
 * soon as the holder's does; the embedded PGlite delivers them within its one process. No Redis
 * needed: the database that holds the jobs already carries their changes.
 *
 * `progressOf` is the stream `Subscription.csrDeletionJobProgress` serves: the job now, then an event
 * when it changes — at most one per `minIntervalMs` (4 a second), coalescing bursts — and at least one
 * per `maxIntervalMs` (a second) while it runs, even with no change (a heartbeat that also covers a
 * lost notification, as it re-reads the store); the last event carries the final status, then the
 * stream ends.
 */
import type { JobStore } from './store.js';
import type { JobRecord } from './types.js';

export const PROGRESS_INTERVALS = { minIntervalMs: 250, maxIntervalMs: 1_000 } as const;

export class JobChanges {
  readonly #listeners = new Map<string, Set<() => void>>();
  #stop: (() => Promise<void>) | undefined;

  /** Starts listening to the store's change notifications. */
  async start(store: JobStore): Promise<void> {
    this.#stop = await store.onChange((jobId) => this.changed(jobId));
  }

  /** Tells this replica's subscribers of `jobId` that it changed. */
  changed(jobId: string): void {
    for (const listener of this.#listeners.get(jobId) ?? []) listener();
  }

  /** Resolves on the next change of `jobId`, or after `ms`, or when `signal` aborts; never rejects. */
  next(jobId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let listeners = this.#listeners.get(jobId);
      if (!listeners) {
        listeners = new Set();
        this.#listeners.set(jobId, listeners);
      }
      const set = listeners;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.#listeners.delete(jobId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  async close(): Promise<void> {
    await this.#stop?.();
  }
}

export function isFinished(job: JobRecord): boolean {
  return job.status === 'COMPLETED' || job.status === 'CANCELLED';
}

export async function* progressOf(
  store: JobStore,
  changes: JobChanges,
  first: JobRecord,
  signal?: AbortSignal,
  intervals: { readonly minIntervalMs: number; readonly maxIntervalMs: number } = PROGRESS_INTERVALS,
): AsyncGenerator<JobRecord> {
  let job = first;
  let sentAt = Date.now();
  yield job;
  while (!isFinished(job) && !signal?.aborted) {
    await changes.next(job.id, Math.max(0, sentAt + intervals.maxIntervalMs - Date.now()), signal);
    const wait = sentAt + intervals.minIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (signal?.aborted) return;
    job = (await store.get(job.id)) ?? job;
    sentAt = Date.now();
    yield job;
  }
}
