/**
 * Callers waiting to have IDs sent, served in turn: each call is filled by taking one ID from each
 * caller in rotation, so a 1-ID mutation that arrives behind a 5,000-ID one rides in the very next
 * call instead of waiting for the big one to drain (round-robin by ID, i.e. fair queuing with equal
 * weights). The rotation continues across calls, so no caller is favoured by its position.
 */
import type { Ticket } from './ticket.js';

export class FairQueue {
  readonly #ring: Ticket[] = [];
  #next = 0;

  add(ticket: Ticket): void {
    if (ticket.hasUnsent) this.#ring.push(ticket);
  }

  remove(ticket: Ticket): void {
    const index = this.#ring.indexOf(ticket);
    if (index < 0) return;
    this.#ring.splice(index, 1);
    if (index < this.#next) this.#next--;
  }

  get isEmpty(): boolean {
    return this.#ring.length === 0;
  }

  tickets(): readonly Ticket[] {
    return this.#ring;
  }

  /**
   * Takes IDs in rotation until `accept` has said yes `capacity` times or no caller has IDs left.
   * `accept` returns false for an ID that needs no slot of its own (one already on its way upstream).
   */
  fill(capacity: number, accept: (ticket: Ticket, id: number) => boolean): void {
    let used = 0;
    while (used < capacity && this.#ring.length > 0) {
      if (this.#next >= this.#ring.length) this.#next = 0;
      const ticket = this.#ring[this.#next] as Ticket;
      const id = ticket.takeNext();
      if (id !== undefined && accept(ticket, id)) used++;
      if (ticket.hasUnsent) this.#next++;
      else this.#ring.splice(this.#next, 1);
    }
  }
}
