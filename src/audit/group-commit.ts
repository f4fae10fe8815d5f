/**
 * Group commit, as PostgreSQL's write-ahead log does it: one durable write at a time, and everything
 * that arrives while it runs goes together in the next one. Under load the groups grow by themselves,
 * so a store pays one sync (one fsync, one statement and its commit) per group instead of one per
 * batch that queued behind it; at idle a batch goes at once, alone.
 *
 * Why by hand: it is the product's own idea of how the audit trail stays cheap (issue 22), a few lines
 * around a promise, and no maintained library does this one thing without a queue framework around it.
 *
 * Spacing (PostgreSQL's `commit_delay`, in its simplest form): a group starts no sooner than
 * `spacingMs` after the one before it started. A lone write after a quiet spell goes at once, as
 * before; under load, when syncs finish faster than the spacing, the next group waits out the rest of
 * it and gathers what arrives meanwhile. Without it, a fast disk made groups small: the journal on
 * this project's disk synced every 0.7–2 ms whatever the load, and each sync (an fdatasync, or a
 * commit's WAL flush) cost ≈ 0.16 ms of the gateway's CPU and more of the kernel's (issue 22) — the
 * larger part of what the audit trail cost a mutation. Spacing bounds that to one sync per
 * `spacingMs`, whatever the disk, for at most `spacingMs` more wait on a write.
 *
 * A store takes a write whole or not at all (PostgreSQL rejects a whole INSERT for one bad row), and a
 * group joins batches of writers that did not know each other: when a group of several fails, each
 * batch is written again on its own, so that a batch the store cannot take fails only its own writer.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface GroupCommitOptions {
  /** The least time from the start of one group to the start of the next; 0 (the default): none. */
  readonly spacingMs?: number;
  /** Time, for the spacing (tests give a fake one). */
  readonly clock?: GroupCommitClock;
}

export interface GroupCommitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const systemClock: GroupCommitClock = {
  now: () => performance.now(),
  sleep: (ms) => sleep(ms),
};

export class GroupCommit<T> {
  readonly #write: (items: readonly T[]) => Promise<void>;
  readonly #spacingMs: number;
  readonly #clock: GroupCommitClock;
  #waiting: Waiter<T>[] = [];
  #running = false;
  /** When the last group started. */
  #lastStart = Number.NEGATIVE_INFINITY;

  constructor(write: (items: readonly T[]) => Promise<void>, { spacingMs = 0, clock = systemClock }: GroupCommitOptions = {}) {
    this.#write = write;
    this.#spacingMs = spacingMs;
    this.#clock = clock;
  }

  /** Resolves once `items` are durable (written in some group); rejects with the store's error. */
  add(items: readonly T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ items, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // A microtask later, so that the batches of the same tick (intents and settlements, say) start
      // the first group together.
      queueMicrotask(() => void this.#run());
    });
  }

  async #run(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const early = this.#lastStart + this.#spacingMs - this.#clock.now();
        if (early > 0) await this.#clock.sleep(early);
        const group = this.#waiting;
        this.#waiting = [];
        this.#lastStart = this.#clock.now();
        await this.#commit(group);
      }
    } finally {
      this.#running = false;
    }
  }

  async #commit(group: readonly Waiter<T>[]): Promise<void> {
    try {
      await this.#write(group.length === 1 ? (group[0] as Waiter<T>).items : group.flatMap((waiter) => waiter.items));
      for (const waiter of group) waiter.resolve();
    } catch (error) {
      if (group.length === 1) {
        (group[0] as Waiter<T>).reject(error);
        return;
      }
      for (const waiter of group) {
        try {
          await this.#write(waiter.items);
          waiter.resolve();
        } catch (alone) {
          waiter.reject(alone);
        }
      }
    }
  }
}

interface Waiter<T> {
  readonly items: readonly T[];
  resolve(): void;
  reject(error: unknown): void;
}
