/**
 * Group commit, as PostgreSQL's write-ahead log does it: one durable write at a time, and everything
 * that arrives while it runs goes together in the next one. Under load the groups grow by themselves,
 * so a store pays one sync (one fsync, one statement and its commit) per group instead of one per
 * batch that queued behind it; at idle a batch goes at once, alone.
 *
 * Why by hand: it is the product's own idea of how the audit trail stays cheap (issue 22), a few lines
 * around a promise, and no maintained library does this one thing without a queue framework around it.
 *
 * A store takes a write whole or not at all (PostgreSQL rejects a whole INSERT for one bad row), and a
 * group joins batches of writers that did not know each other: when a group of several fails, each
 * batch is written again on its own, so that a batch the store cannot take fails only its own writer.
 */
export class GroupCommit<T> {
  readonly #write: (items: readonly T[]) => Promise<void>;
  #waiting: Waiter<T>[] = [];
  #running = false;

  constructor(write: (items: readonly T[]) => Promise<void>) {
    this.#write = write;
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
        const group = this.#waiting;
        this.#waiting = [];
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
