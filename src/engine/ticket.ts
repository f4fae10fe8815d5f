/**
 * A ticket is one caller's submission as the engine tracks it: the caller's distinct IDs, the work
 * still to do for them, and the outcome gathered so far.
 *
 * Each ID the caller has sent on its way is an `Entry`, whose state a reader can name:
 *
 *   queued ──▶ inFlight ──▶ settled
 *     ▲           │
 *     └── backingOff ◀┘   (a transient failure; after the backoff it is queued again)
 *
 * Queued work comes in three kinds, taken in this order: isolation parts this caller leads (each goes
 * as a call of its own, see isolation.ts), entries given back for another attempt, and fresh IDs
 * (which become entries only when taken, so a 10,000-ID submission costs little while it waits).
 *
 * The ticket resolves once, when every ID has exactly one outcome, which is what makes the partition
 * invariant (docs/contract.md §4) hold by construction: an entry is settled at most once (later
 * settlements are ignored), and the ticket cannot resolve before every ID is settled.
 */
import type { TencentFailure } from '../tencent/codes.js';
import { saysMore } from './decision.js';
import { failed, type DeletionOutcome, type Settlement } from './outcome.js';

export type EntryState = 'queued' | 'inFlight' | 'backingOff' | 'settled';

/** One caller's claim on one ID, as it moves through calls. */
export class Entry {
  state: EntryState = 'queued';
  /** Sends that carried it. */
  attempts = 0;
  /** The retryable failure that last sent it back, which is its answer if its deadline comes first. */
  lastFailure: TencentFailure | undefined;
  /** It is in an isolation part (isolation.ts) until it is settled. */
  isolated = false;

  constructor(
    readonly id: number,
    readonly ticket: Ticket,
  ) {}
}

export class Ticket {
  readonly deadline: number;
  readonly tag: unknown;
  /** `SubmitOptions.onSending`: told which of its IDs a call carries as it goes. */
  readonly onSending: ((ids: readonly number[]) => void) | undefined;
  readonly done: Promise<DeletionOutcome>;
  /** Isolation calls this caller's IDs may still cost (see isolation.ts). */
  isolationBudget: number;
  /** Its deadline has passed: nothing more is sent for it, entries in flight are answered as they land. */
  expired = false;
  /** Kept by `FairQueue`: whether the ticket is in its rotation. */
  inRotation = false;
  /** Kept by `FairQueue`: private calls (isolation parts) this ticket's turns have paid for. */
  served = 0;
  /**
   * Its entries in isolation parts, whoever leads them. While there are any, its IDs are suspect:
   * Tencent rejected a call that carried some of them, and the rest would get a shared call rejected
   * too (fair-queue.ts keeps them out of shared calls).
   */
  isolating = 0;

  readonly #fresh: readonly number[];
  /** `#fresh[0, #cursor)` have become entries. */
  #cursor = 0;
  readonly #parts: Entry[][] = [];
  readonly #resend: Entry[] = [];
  /** Entries taken and not yet settled (made when the first is taken). */
  #live: Set<Entry> | undefined;
  // Made on first use, like `#live`: a ticket is most of what a waiting caller costs
  // (docs/benchmarks.md, "Memory held by pending IDs"), and its maps and sets were most of that.
  #settlements: Map<number, Settlement> | undefined;
  #requestIdsById: Map<number, string[]> | undefined;
  /** What other callers' calls established about some of its IDs (`revise`), applied as it resolves. */
  #revised: Map<number, Settlement> | undefined;
  #resolved = false;
  #resolve!: (outcome: DeletionOutcome) => void;

  /** `ids` must be distinct. */
  constructor(
    ids: readonly number[],
    options: { deadline: number; tag?: unknown; onSending?: (ids: readonly number[]) => void; isolationBudget: number },
  ) {
    this.#fresh = ids;
    this.deadline = options.deadline;
    this.tag = options.tag;
    this.onSending = options.onSending;
    this.isolationBudget = options.isolationBudget;
    this.done = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    if (ids.length === 0) this.#finishIfSettled();
  }

  /** The caller's distinct IDs. */
  get ids(): readonly number[] {
    return this.#fresh;
  }

  /**
   * Another caller's call established more about `id` than this caller's own calls may (id-ledger.ts):
   * until this ticket resolves, `id` ends at least as `settlement` (decision.ts `saysMore`).
   */
  revise(id: number, settlement: Settlement): void {
    if (this.#resolved) return;
    const revised = (this.#revised ??= new Map<number, Settlement>());
    const earlier = revised.get(id);
    if (!earlier || saysMore(settlement, earlier)) revised.set(id, settlement);
  }

  /**
   * Withdraws a revision to `settlement`'s kind (what `revise` raised it to), when what raised it is
   * known not to hold after all (id-ledger.ts `found`: a check found the ID still there).
   */
  unrevise(id: number, settlement: Settlement): void {
    if (this.#revised?.get(id)?.kind === settlement.kind) this.#revised.delete(id);
  }

  /** Queued work of any kind. */
  get hasWork(): boolean {
    return this.hasPart || this.#resend.some(isQueued) || this.#cursor < this.#fresh.length;
  }

  /** An isolation part is waiting to be sent as a call of its own. */
  get hasPart(): boolean {
    while (this.#parts.length > 0 && !(this.#parts[0] as Entry[]).some(isQueued)) this.#parts.shift();
    return this.#parts.length > 0;
  }

  /** Entries taken and not yet settled, in any state. */
  live(): readonly Entry[] {
    return this.#live ? [...this.#live] : [];
  }

  /** The next isolation part's queued entries (possibly other callers' too), or undefined. */
  takePart(): Entry[] | undefined {
    return this.hasPart ? (this.#parts.shift() as Entry[]).filter(isQueued) : undefined;
  }

  /** Every part this ticket leads, taken away (for its expiry: other callers' entries move on). */
  takeAllParts(): Entry[][] {
    return this.#parts.splice(0).map((part) => part.filter(isQueued));
  }

  /** The next entry for a shared call: one given back first, else a fresh ID; undefined when none. */
  takeEntry(): Entry | undefined {
    for (let entry = this.#resend.shift(); entry; entry = this.#resend.shift()) {
      if (isQueued(entry)) return entry;
    }
    if (this.#cursor >= this.#fresh.length) return undefined;
    const entry = new Entry(this.#fresh[this.#cursor++] as number, this);
    (this.#live ??= new Set<Entry>()).add(entry);
    return entry;
  }

  /** Entries back in line for another attempt, ahead of fresh IDs, in the order given. */
  giveBack(entries: readonly Entry[]): void {
    for (const entry of entries) entry.state = 'queued';
    this.#resend.unshift(...entries);
  }

  /** A part this ticket leads; it is sent as a call of its own when this ticket's turn comes. */
  addPart(entries: readonly Entry[]): void {
    for (const entry of entries) {
      entry.state = 'queued';
      if (entry.isolated) continue;
      entry.isolated = true;
      entry.ticket.isolating++;
    }
    this.#parts.push([...entries]);
  }

  /** Records an entry's outcome; false (and nothing changes) if it was already settled. */
  settle(entry: Entry, settlement: Settlement): boolean {
    if (entry.state === 'settled' || !this.#live?.delete(entry)) return false;
    entry.state = 'settled';
    if (entry.isolated) this.isolating--;
    this.#record(entry.id, settlement);
    this.#finishIfSettled();
    return true;
  }

  /** Every fresh ID not yet taken fails with `failure`; returns how many. */
  failUnsent(failure: TencentFailure): number {
    const unsent = this.#fresh.length - this.#cursor;
    const settlement = failed(failure);
    for (; this.#cursor < this.#fresh.length; this.#cursor++) {
      this.#record(this.#fresh[this.#cursor] as number, settlement);
    }
    this.#finishIfSettled();
    return unsent;
  }

  /** A call that carried `id` was answered with `requestId`. */
  noteRequestId(id: number, requestId: string | undefined): void {
    if (!requestId) return;
    const byId = (this.#requestIdsById ??= new Map<number, string[]>());
    const ofId = byId.get(id);
    if (!ofId) byId.set(id, [requestId]);
    else if (!ofId.includes(requestId)) ofId.push(requestId);
  }

  #record(id: number, settlement: Settlement): void {
    (this.#settlements ??= new Map<number, Settlement>()).set(id, settlement);
  }

  #finishIfSettled(): void {
    if (this.#resolved || this.#cursor < this.#fresh.length || (this.#live?.size ?? 0) > 0) return;
    this.#resolved = true;
    const settlements = this.#settlements ?? new Map<number, Settlement>();
    if (this.#revised) applyRevisions(settlements, this.#revised);
    this.#resolve({ settlements, requestIds: this.#requestIdsById ?? new Map() });
  }
}

/** Moves each revised ID to its revised settlement where that says more than the one recorded. */
function applyRevisions(settlements: Map<number, Settlement>, revised: ReadonlyMap<number, Settlement>): void {
  for (const [id, revision] of revised) {
    const recorded = settlements.get(id);
    if (recorded && saysMore(revision, recorded)) settlements.set(id, revision);
  }
}

function isQueued(entry: Entry): boolean {
  return entry.state === 'queued';
}
