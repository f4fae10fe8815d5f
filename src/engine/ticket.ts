/**
 * A ticket is one caller's submission as the engine tracks it: the caller's distinct IDs, which of
 * them have been taken into calls, and the outcome gathered so far. It resolves once, when every ID
 * has exactly one outcome, which is what makes docs/contract.md §4's partition invariant hold by construction:
 * an ID is settled at most once (later settlements are ignored), and the ticket cannot resolve before
 * every ID is settled.
 */
import type { TencentFailure } from '../tencent/codes.js';
import type { CallerOutcome } from './types.js';

export type Settlement =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'notDeleted' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'failed'; readonly failure: TencentFailure };

export class Ticket {
  readonly deadline: number;
  readonly done: Promise<CallerOutcome>;
  readonly #ids: readonly number[];
  /** `#ids[0, #cursor)` have left the queue: they are in a call or already settled. */
  #cursor = 0;
  /** Taken into a call and not yet settled. */
  readonly #taken = new Set<number>();
  readonly #deleted: number[] = [];
  readonly #notDeleted: number[] = [];
  readonly #unknown: number[] = [];
  readonly #failed = new Map<TencentFailure, number[]>();
  readonly #requestIds = new Set<string>();
  #resolve!: (outcome: CallerOutcome) => void;

  /** `ids` must be distinct. */
  constructor(ids: readonly number[], deadline: number) {
    this.#ids = ids;
    this.deadline = deadline;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (ids.length === 0) this.#finishIfSettled();
  }

  get hasUnsent(): boolean {
    return this.#cursor < this.#ids.length;
  }

  /** IDs taken into calls and still waiting for their answer. */
  get taken(): ReadonlySet<number> {
    return this.#taken;
  }

  /** The next ID to send, now counted as taken; `undefined` when none is left. */
  takeNext(): number | undefined {
    if (!this.hasUnsent) return undefined;
    const id = this.#ids[this.#cursor++] as number;
    this.#taken.add(id);
    return id;
  }

  /** Records an ID's outcome; returns false (and changes nothing) if it was not waiting for one. */
  settle(id: number, settlement: Settlement): boolean {
    if (!this.#taken.delete(id)) return false;
    this.#record(id, settlement);
    this.#finishIfSettled();
    return true;
  }

  /** Every ID still queued fails with `failure`; returns how many. */
  failUnsent(failure: TencentFailure): number {
    const unsent = this.#ids.length - this.#cursor;
    for (; this.#cursor < this.#ids.length; this.#cursor++) {
      this.#record(this.#ids[this.#cursor] as number, { kind: 'failed', failure });
    }
    this.#finishIfSettled();
    return unsent;
  }

  addRequestId(requestId: string | undefined): void {
    if (requestId) this.#requestIds.add(requestId);
  }

  #record(id: number, settlement: Settlement): void {
    switch (settlement.kind) {
      case 'deleted':
        this.#deleted.push(id);
        break;
      case 'notDeleted':
        this.#notDeleted.push(id);
        break;
      case 'unknown':
        this.#unknown.push(id);
        break;
      case 'failed': {
        const group = this.#failed.get(settlement.failure);
        if (group) group.push(id);
        else this.#failed.set(settlement.failure, [id]);
        break;
      }
    }
  }

  #finishIfSettled(): void {
    if (this.hasUnsent || this.#taken.size > 0) return;
    this.#resolve({
      deleted: this.#deleted,
      notDeleted: this.#notDeleted,
      unknown: this.#unknown,
      failed: [...this.#failed].map(([failure, ids]) => ({ failure, ids })),
      requestIds: [...this.#requestIds],
    });
  }
}
