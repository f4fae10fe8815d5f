/**
 * What the engine knows about each ID, engine-wide, for as long as any caller of it is waiting:
 * which callers hold it, whether a call that carried it lost its answer, and what an answer
 * established about it.
 *
 * Honest accounting is about IDs, not about one caller's claim on an ID. Two callers may ask for the
 * same ID and, after a rejected call is split by caller, their claims travel in different calls: one
 * call deletes the ID and loses its answer, the other is answered `Success: []` for it a moment later.
 * Judged per claim, the second caller would be told "not deleted" about a CSR the gateway itself
 * deleted during its mutation. Judged per ID, as here:
 *
 *   - once any call carrying an ID has lost its answer (or was answered without a `Success` list),
 *     every caller of the ID ends `deleted` or `unknown` — including callers that were already told
 *     less and have not been answered yet (`Ticket.revise`);
 *   - once an answer established what became of an ID, every caller of it is told the same: claims
 *     still waiting are settled with that answer instead of taking a place in another call, and a
 *     caller told less (a failure, say its deadline) is told `deleted` if an answer said so.
 *
 * An existence check (existence.ts) resolves what a lost answer left open: a check that finds the ID
 * gone establishes it deleted (`establish`, with the check as evidence), one that finds it still there
 * says no call that carried it deleted it (`found`) — the ID is no longer ambiguous, and callers told
 * `unknown` only because of that lost answer are told what their own calls find after all (a failure
 * stays a failure). A check that fails changes nothing.
 *
 * A record lives while some caller holds the ID and is dropped with the last one: a caller that comes
 * after is told what its own calls find (a CSR deleted before its mutation began is `notDeleted`).
 * Memory: one map entry per pending ID, a ticket itself in the common case (one caller, nothing
 * learnt yet), a record only once there is more to say.
 */
import { saysMore } from './decision.js';
import type { Settlement } from './outcome.js';
import { Ticket } from './ticket.js';

interface IdRecord {
  /** The callers waiting for it. */
  readonly holders: Ticket[];
  /** A call that carried it lost its answer: Tencent may have deleted it. */
  lost: boolean;
  /**
   * One of those calls may still be applied (a timeout, a reset: see decision.ts `landedUpstream`):
   * a check that finds the ID still there then proves only "not deleted yet".
   */
  mayLand: boolean;
  /** What an answer established about it, for every caller. */
  verdict: Settlement | undefined;
}

const UNKNOWN: Settlement = { kind: 'unknown' };

export class IdLedger {
  readonly #records = new Map<number, Ticket | IdRecord>();

  /** `ticket` waits for its IDs from now until `release`. */
  hold(ticket: Ticket): void {
    for (const id of ticket.ids) {
      const known = this.#records.get(id);
      if (known === undefined) {
        this.#records.set(id, ticket);
        continue;
      }
      const record = this.#record(id, known);
      record.holders.push(ticket);
      // A newcomer inherits what is known: the ID's outcome cannot be told apart between callers.
      if (record.lost) ticket.revise(id, UNKNOWN);
      if (record.verdict?.kind === 'deleted') ticket.revise(id, record.verdict);
    }
  }

  /** `ticket` has its answer. */
  release(ticket: Ticket): void {
    for (const id of ticket.ids) {
      const known = this.#records.get(id);
      if (known === ticket) {
        this.#records.delete(id);
      } else if (known !== undefined && !(known instanceof Ticket)) {
        const index = known.holders.indexOf(ticket);
        if (index >= 0) known.holders.splice(index, 1);
        if (known.holders.length === 0) this.#records.delete(id);
      }
    }
  }

  /** Whether a call that carried `id` lost its answer while some caller of it waits. */
  isLost(id: number): boolean {
    const known = this.#records.get(id);
    return known !== undefined && !(known instanceof Ticket) && known.lost;
  }

  /** Whether a call that carried `id` and lost its answer may still be applied (see `lose`). */
  mayLand(id: number): boolean {
    const known = this.#records.get(id);
    return known !== undefined && !(known instanceof Ticket) && known.mayLand;
  }

  /** What an answer established about `id`, which every caller of it is told; undefined while nothing is. */
  verdict(id: number): Settlement | undefined {
    const known = this.#records.get(id);
    return known === undefined || known instanceof Ticket ? undefined : known.verdict;
  }

  /**
   * A call that carried `id` lost its answer: every caller of it ends `deleted` or `unknown`.
   * `mayLand`: the call may still be applied later (decision.ts `landedUpstream`).
   */
  lose(id: number, { mayLand = true }: { mayLand?: boolean } = {}): void {
    const known = this.#records.get(id);
    if (known === undefined) return;
    const record = this.#record(id, known);
    if (mayLand) record.mayLand = true;
    if (record.lost) return;
    record.lost = true;
    for (const holder of record.holders) holder.revise(id, UNKNOWN);
  }

  /**
   * A check found `id` still there after the calls that carried it lost their answers: none of them
   * deleted it — provided none of them may still be applied (`mayLand`; then nothing changes). It
   * stops being ambiguous, for every caller of it, as if no answer had been lost.
   */
  found(id: number): void {
    const known = this.#records.get(id);
    if (known === undefined || known instanceof Ticket || !known.lost || known.mayLand) return;
    known.lost = false;
    for (const holder of known.holders) holder.unrevise(id, UNKNOWN);
  }

  /** An answer (or a check that found it gone) settled `id` as `settlement`: every caller of it is told the same. */
  establish(id: number, settlement: Settlement): void {
    const known = this.#records.get(id);
    if (known === undefined) return;
    const record = this.#record(id, known);
    if (record.verdict && !saysMore(settlement, record.verdict)) return;
    record.verdict = settlement;
    if (settlement.kind === 'deleted') for (const holder of record.holders) holder.revise(id, settlement);
  }

  #record(id: number, known: Ticket | IdRecord): IdRecord {
    if (!(known instanceof Ticket)) return known;
    const record: IdRecord = { holders: [known], lost: false, mayLand: false, verdict: undefined };
    this.#records.set(id, record);
    return record;
  }
}
