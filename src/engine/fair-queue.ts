/**
 * Callers waiting to have IDs sent, served in turn.
 *
 * Shared calls are filled by taking one ID from each caller in rotation, so a 1-ID mutation that
 * arrives behind a 5,000-ID one rides in the very next call instead of waiting for the big one to
 * drain (round-robin by ID: fair queuing with equal weights). The rotation continues across calls,
 * so no caller is favoured by its position.
 *
 * A caller with isolation work (a part of a rejected call, which must go as a call of its own) is
 * served in the same rotation: when the rotation reaches it, instead of putting one ID in the shared
 * call it becomes *due*, and the next slot is its private call. So isolating one caller's rejected
 * IDs costs that caller's turns — at most every other slot while others wait, and one slot per pass
 * of the rotation when many callers do — and never jumps ahead of the others.
 */
import type { Entry, Ticket } from './ticket.js';

export class FairQueue {
  readonly #ring: Ticket[] = [];
  #next = 0;
  /** Tickets whose turn for a private call has come, in the order the rotation reached them. */
  readonly #due: Ticket[] = [];

  /** Puts a ticket with queued work into the rotation (once). */
  add(ticket: Ticket): void {
    if (ticket.inRotation || !ticket.hasWork) return;
    ticket.inRotation = true;
    // Newcomers join just behind the rotation's position: they are served within one pass.
    this.#ring.splice(this.#next, 0, ticket);
    this.#next++;
  }

  remove(ticket: Ticket): void {
    const due = this.#due.indexOf(ticket);
    if (due >= 0) this.#due.splice(due, 1);
    const index = this.#ring.indexOf(ticket);
    if (index < 0) return;
    this.#removeAt(index);
  }

  get hasWork(): boolean {
    return this.#ring.length > 0;
  }

  tickets(): readonly Ticket[] {
    return this.#ring;
  }

  /** The next ticket whose turn for a private call has come, if any. */
  takeDue(): Ticket | undefined {
    for (let ticket = this.#due.shift(); ticket; ticket = this.#due.shift()) {
      if (ticket.hasPart) return ticket;
    }
    return undefined;
  }

  /**
   * Fills a shared call: one entry from each ticket in rotation, until `place` has used `capacity`
   * places or no ticket has an entry left. `place` returns false for an entry that needs no place of
   * its own (its ID is already in this call or on its way upstream). Tickets with isolation work
   * pending become due instead of giving an entry.
   */
  fill(capacity: number, place: (entry: Entry) => boolean): void {
    let used = 0;
    let sinceProgress = 0;
    while (used < capacity && this.#ring.length > 0 && sinceProgress < this.#ring.length) {
      if (this.#next >= this.#ring.length) this.#next = 0;
      const ticket = this.#ring[this.#next] as Ticket;
      if (ticket.hasPart) {
        if (!this.#due.includes(ticket)) this.#due.push(ticket);
        sinceProgress++;
        this.#next++;
        continue;
      }
      const entry = ticket.takeEntry();
      if (entry) {
        sinceProgress = 0;
        if (place(entry)) used++;
      } else {
        sinceProgress++;
      }
      if (ticket.hasWork) this.#next++;
      else this.#removeAt(this.#next);
    }
  }

  /** Drops tickets that have no queued work left (they rejoin through `add` when they get some). */
  prune(): void {
    for (let index = this.#ring.length - 1; index >= 0; index--) {
      if (!(this.#ring[index] as Ticket).hasWork) this.#removeAt(index);
    }
  }

  #removeAt(index: number): void {
    const [ticket] = this.#ring.splice(index, 1);
    if (ticket) ticket.inRotation = false;
    if (index < this.#next) this.#next--;
  }
}
