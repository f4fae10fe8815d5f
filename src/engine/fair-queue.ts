/**
 * Callers waiting to have IDs sent, served in turn.
 *
 * Shared calls are filled by taking one ID from each caller in rotation, so a 1-ID mutation that
 * arrives behind a 5,000-ID one rides in the very next call instead of waiting for the big one to
 * drain (round-robin by ID: fair queuing with equal weights). The rotation continues across calls,
 * so no caller is favoured by its position.
 *
 * A caller with isolation work (a part of a rejected call, which must go as a call of its own) is
 * *due* from the moment the part is queued. A caller with IDs in isolation parts (its own or another
 * caller's) puts no IDs in shared calls while they are there: its IDs are suspect, and would get the
 * shared call rejected again — unless nothing else could use the slot. Due callers are served
 * least-served first: the one whose turns have paid for the fewest private calls so far goes next. The
 * engine gives private calls at most every other slot while a shared call could be formed
 * (engine.ts `#nextCall`). So isolating one caller's rejected IDs costs that caller's turns, and with
 * several callers being isolated at once, a caller that has just had one of its IDs caught in a
 * rejected call — a one-ID caller beside five 200-ID callers whose IDs Tencent all rejects — goes
 * ahead of the callers whose isolation has already taken many slots: its part is in the very next
 * private slot instead of behind every part of theirs (isolation.ts splits the small callers of a
 * rejected call from the large ones for this).
 */
import type { Entry, Ticket } from './ticket.js';

export class FairQueue {
  readonly #ring: Ticket[] = [];
  #next = 0;
  /** Tickets with an isolation part waiting, in the order they got one. */
  readonly #due: Ticket[] = [];

  /** Puts a ticket with queued work into the rotation (once), and among the due if it has a part. */
  add(ticket: Ticket): void {
    if (ticket.hasPart && !this.#due.includes(ticket)) this.#due.push(ticket);
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

  /**
   * The due ticket whose part goes next: the least served (fewest private calls paid by its turns so
   * far), the earliest due on a tie; it is charged for the call. It stays due while it has parts.
   */
  takeDue(): Ticket | undefined {
    let best = -1;
    for (let index = this.#due.length - 1; index >= 0; index--) {
      const ticket = this.#due[index] as Ticket;
      if (!ticket.hasPart) {
        this.#due.splice(index, 1);
        if (best > index) best--;
        continue;
      }
      if (best < 0 || ticket.served <= (this.#due[best] as Ticket).served) best = index;
    }
    if (best < 0) return undefined;
    const ticket = this.#due[best] as Ticket;
    ticket.served++;
    return ticket;
  }

  /**
   * Fills a shared call: one entry from each ticket in rotation, until `place` has used `capacity`
   * places or no ticket has an entry left. `place` returns false for an entry that needs no place of
   * its own (its ID is already in this call or on its way upstream). Tickets with isolation work
   * pending give none: they are due (see above); nor, unless `suspects`, do tickets with IDs in
   * isolation parts (`Ticket.isolating`): their other IDs are suspect.
   */
  fill(capacity: number, place: (entry: Entry) => boolean, { suspects = false }: { suspects?: boolean } = {}): void {
    let used = 0;
    let sinceProgress = 0;
    while (used < capacity && this.#ring.length > 0 && sinceProgress < this.#ring.length) {
      if (this.#next >= this.#ring.length) this.#next = 0;
      const ticket = this.#ring[this.#next] as Ticket;
      if (ticket.hasPart || (!suspects && ticket.isolating > 0)) {
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
