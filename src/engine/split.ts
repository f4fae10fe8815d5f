/**
 * Isolation: when Tencent rejects a shared call because of some of its IDs (`InvalidParameter*`), the
 * call is split in two and each half resent, recursively, until the offending IDs are alone. Splits
 * follow callers first: while a call carries several callers, the halves are groups of whole callers
 * (balanced by ID count), so one caller's poison stops hurting the others after a few calls; within a
 * single caller's IDs it bisects. Finding k poison IDs among n costs about 2·k·log2(n) calls.
 */
export function splitForIsolation<Owner>(
  ids: readonly number[],
  ownerOf: (id: number) => Owner,
): [number[], number[]] {
  const byOwner = new Map<Owner, number[]>();
  for (const id of ids) {
    const owner = ownerOf(id);
    const group = byOwner.get(owner);
    if (group) group.push(id);
    else byOwner.set(owner, [id]);
  }
  if (byOwner.size > 1) {
    const left: number[] = [];
    const right: number[] = [];
    for (const group of byOwner.values()) {
      // Greedy balance: whole groups go to whichever side is smaller so far.
      (left.length <= right.length ? left : right).push(...group);
    }
    return [left, right];
  }
  const half = Math.ceil(ids.length / 2);
  return [ids.slice(0, half), ids.slice(half)];
}
