/**
 * Isolation: when Tencent rejects a call because of some of its IDs (`InvalidParameter*`), the call
 * is split in two and each half resent, recursively, until the offending IDs are alone and only they
 * fail. Splits follow callers first: while a call carries several callers, the halves are groups of
 * whole callers, so one caller's poison stops hurting the others after a few calls; within a single
 * caller's IDs it bisects. Callers are split by size: the callers with few IDs in the call go apart
 * from those with many, at the widest gap between their sizes (a factor of two at least), else in
 * half by count. A large rejected mutation is the likely offender, and the small callers caught in the
 * same call — one-ID mutations, say — are then out of it at the first split, in a part of their own
 * that goes at the next private slot (fair-queue.ts serves the least-served caller's part first).
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

/**
 * The two halves of a rejected call's entries: by whole callers while there are several (the smaller
 * callers first), else in order.
 */
export function splitForIsolation(entries: readonly Entry[]): [Entry[], Entry[]] {
  const byTicket = groupByTicket(entries);
  if (byTicket.size > 1) {
    const groups = [...byTicket.values()].sort((a, b) => a.length - b.length);
    const cut = sizeCut(groups.map((group) => group.length));
    return [groups.slice(0, cut).flat(), groups.slice(cut).flat()];
  }
  const half = Math.ceil(entries.length / 2);
  return [entries.slice(0, half), entries.slice(half)];
}

/**
 * Where to cut callers sorted by size (ascending, at least two): at the widest gap between
 * neighbours if it is a factor of two or more (the middlemost such gap on a tie), else in half by
 * count. Cutting at a gap of a factor of two at least keeps the splits between callers few: sizes
 * that double each time fit at most seven times in a 100-ID call.
 */
export function sizeCut(sizes: readonly number[]): number {
  const middle = sizes.length / 2;
  let cut = 0;
  let widest = 0;
  for (let index = 1; index < sizes.length; index++) {
    const ratio = (sizes[index] as number) / (sizes[index - 1] as number);
    if (ratio > widest || (ratio === widest && Math.abs(index - middle) < Math.abs(cut - middle))) {
      widest = ratio;
      cut = index;
    }
  }
  return widest >= 2 ? cut : Math.ceil(middle);
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
