/**
 * Isolation: when Tencent rejects a call because of some of its IDs (`InvalidParameter*`), the call
 * is split in two and each half resent, recursively, until the offending IDs are alone and only they
 * fail. Splits follow callers first: while a call carries several callers, the halves are groups of
 * whole callers (balanced by ID count), so one caller's poison stops hurting the others after a few
 * calls; within a single caller's IDs it bisects.
 *
 * Isolation is charged to the caller whose IDs are being bisected, in two ways:
 *   - Turns: each part waits in the fair rotation as its *lead*'s work (the caller with the most IDs
 *     in it), see fair-queue.ts; it never jumps ahead of other callers.
 *   - A budget: bisecting one caller's IDs costs two calls a split, and a caller may spend at most
 *     `ISOLATION_CALLS_PER_CHUNK` calls per 100 IDs it sent — what finding one bad ID among 100
 *     costs (2 × ⌈log₂ 100⌉). Past it, the IDs still under suspicion fail with the rejecting error:
 *     Tencent refused a call that carried them, so they were not deleted. Without the budget, a
 *     mutation of 100 IDs that Tencent all rejects would cost 199 calls; with it, 15.
 *   Splitting between callers is not charged: it ends after ⌈log₂ callers⌉ levels.
 */
import type { Entry, Ticket } from './ticket.js';

/** Calls one caller's isolation may cost per 100 IDs it sent: 2 × ⌈log₂ 100⌉. */
export const ISOLATION_CALLS_PER_CHUNK = 14;

export function isolationBudget(idCount: number): number {
  return ISOLATION_CALLS_PER_CHUNK * Math.ceil(idCount / 100);
}

/** The two halves of a rejected call's entries: by whole callers while there are several, else in order. */
export function splitForIsolation(entries: readonly Entry[]): [Entry[], Entry[]] {
  const byTicket = groupByTicket(entries);
  if (byTicket.size > 1) {
    const left: Entry[] = [];
    const right: Entry[] = [];
    // Greedy balance, largest groups first: whole callers go to whichever side is smaller so far.
    const groups = [...byTicket.values()].sort((a, b) => b.length - a.length);
    for (const group of groups) (left.length <= right.length ? left : right).push(...group);
    return [left, right];
  }
  const half = Math.ceil(entries.length / 2);
  return [entries.slice(0, half), entries.slice(half)];
}

/** Whether a rejected call may be split further: always between callers; within one caller's IDs while its budget lasts. */
export function maySplit(entries: readonly Entry[]): boolean {
  const tickets = groupByTicket(entries);
  if (tickets.size > 1) return true;
  const [ticket] = tickets.keys();
  return ticket !== undefined && ticket.isolationBudget >= 2;
}

/** Charges a split to the caller whose IDs it bisects (a split between callers costs nobody). */
export function chargeSplit(entries: readonly Entry[]): void {
  const tickets = groupByTicket(entries);
  if (tickets.size !== 1) return;
  const [ticket] = tickets.keys();
  if (ticket) ticket.isolationBudget -= 2;
}

/** The caller a part waits with: the one with the most IDs in it (the first of them on a tie). */
export function leadOf(entries: readonly Entry[]): Ticket | undefined {
  let lead: Ticket | undefined;
  let most = 0;
  for (const [ticket, group] of groupByTicket(entries)) {
    if (group.length > most) [lead, most] = [ticket, group.length];
  }
  return lead;
}

export function groupByTicket(entries: readonly Entry[]): Map<Ticket, Entry[]> {
  const groups = new Map<Ticket, Entry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.ticket);
    if (group) group.push(entry);
    else groups.set(entry.ticket, [entry]);
  }
  return groups;
}
