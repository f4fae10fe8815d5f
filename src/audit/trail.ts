/**
 * The audit trail's writer: gathers the intents and settlements of every caller in one event-loop
 * turn into one write each (one round trip to the store, whatever the number of callers), and keeps
 * count of the work in progress so that shutdown can wait for the last settlement to be written.
 *
 * The batching is DataLoader's (the schema already uses it for per-operation de-duplication):
 * `cache: false` makes every `load` a write, and `setImmediate` as its schedule gathers a whole turn
 * of the event loop — every request parsed in it, or every caller an upstream answer settled — rather
 * than only the current microtask queue.
 */
import DataLoader from 'dataloader';
import type { Logger } from '../logger.js';
import type { AuditIntent, AuditQuery, AuditRecord, AuditSettlement, AuditStore } from './types.js';

export class AuditTrail {
  readonly #store: AuditStore;
  readonly #logger: Logger;
  readonly #intents: DataLoader<AuditIntent, true>;
  readonly #settlements: DataLoader<readonly AuditSettlement[], true>;
  readonly #inProgress = new Set<Promise<unknown>>();
  /** Settlement writes in progress: a read waits for them, so a caller reads its own settlements. */
  readonly #settling = new Set<Promise<unknown>>();
  #closed: Promise<void> | undefined;

  constructor(store: AuditStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
    const options = { cache: false, batchScheduleFn: (callback: () => void) => setImmediate(callback) } as const;
    this.#intents = new DataLoader((intents) => this.#write('intents', intents, (batch) => store.recordIntents(batch)), options);
    this.#settlements = new DataLoader(
      (groups) => this.#write('settlements', groups, (batch) => store.recordSettlements(batch.flat())),
      options,
    );
  }

  get description(): string {
    return this.#store.description;
  }

  /** Resolves once the intent is durable; rejects when the store could not take it. */
  recordIntent(intent: AuditIntent): Promise<true> {
    return this.track(this.#intents.load(intent));
  }

  /** One submission's settlements, written with every other settlement of this turn. */
  recordSettlements(settlements: readonly AuditSettlement[]): Promise<true> {
    const written = this.track(this.#settlements.load(settlements));
    this.#settling.add(written);
    const done = (): void => void this.#settling.delete(written);
    void written.then(done, done);
    return written;
  }

  /**
   * Records as the store has them, once the settlements this process was writing when asked are
   * written: the caller was answered before its settlement was durable (audited-engine.ts), and reads
   * its own outcome all the same. Another replica's settlement may still be on its way (`UNKNOWN`,
   * `settledAt` null, for a moment).
   */
  async records(query: AuditQuery): Promise<AuditRecord[]> {
    if (this.#settling.size > 0) await Promise.allSettled([...this.#settling]);
    return this.#store.records(query);
  }

  ping(): Promise<void> {
    return this.#store.ping();
  }

  prune(before: Date): Promise<number> {
    return this.#store.prune(before);
  }

  /** Waits for every write in progress (and any it leads to), then closes the store. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      while (this.#inProgress.size > 0) await Promise.allSettled([...this.#inProgress]);
      await this.#store.close();
    })();
    return this.#closed;
  }

  /** Counts a piece of audit work (a write, a whole audited submission) as in progress until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#inProgress.add(work);
    void work.then(
      () => this.#inProgress.delete(work),
      () => this.#inProgress.delete(work),
    );
    return work;
  }

  /**
   * One store write for a whole batch. A store takes a batch whole or not at all (PostgreSQL rejects
   * the whole INSERT for one bad row), so when a batch of several fails, each of its loads is written
   * again on its own: a record the store cannot take fails only its own mutation, never the others of
   * its turn. An outage fails them all again, one write each — the cost of that is only paid while
   * the store is failing anyway.
   */
  async #write<T>(kind: 'intents' | 'settlements', batch: readonly T[], write: (batch: readonly T[]) => Promise<void>): Promise<(true | Error)[]> {
    const failure = await this.#attempt(kind, batch.length, () => write(batch));
    if (failure === undefined) return batch.map(() => true as const);
    if (batch.length === 1) return [failure];
    return Promise.all(batch.map(async (entry) => (await this.#attempt(kind, 1, () => write([entry]))) ?? (true as const)));
  }

  /** Undefined when the write succeeded; else the error to answer its loads with (the failure is logged). */
  async #attempt(kind: 'intents' | 'settlements', count: number, write: () => Promise<void>): Promise<Error | undefined> {
    try {
      await write();
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.error({ store: this.#store.description, kind, submissions: count, err: message }, 'audit store write failed');
      return new Error(`The audit store could not record ${kind}: ${message}`);
    }
  }
}
