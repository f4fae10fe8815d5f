/**
 * Group commit's exact logic, in memory: a write in progress gathers every batch that arrives meanwhile
 * into the next write (one sync per group), and a group that fails is written again batch by batch, so
 * a batch the store cannot take fails only its own writer.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/audit/group-commit.js';

/** A store whose writes finish when the test says, recording each write's items. */
function heldStore(refuse: (item: number) => boolean = () => false) {
  const writes: number[][] = [];
  const pending: (() => void)[] = [];
  const write = (items: readonly number[]): Promise<void> =>
    new Promise((resolve, reject) => {
      writes.push([...items]);
      pending.push(() => (items.some(refuse) ? reject(new Error(`refused ${items.join(',')}`)) : resolve()));
    });
  const finishOne = async (): Promise<void> => {
    for (let turn = 0; turn < 5 && pending.length === 0; turn++) await Promise.resolve();
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { writes, write, finishOne };
}

describe('group commit', () => {
  it('at idle a batch is written at once; batches that arrive during a write go together in the next', async () => {
    const store = heldStore();
    const group = new GroupCommit(store.write);
    const first = group.add([1]);
    await Promise.resolve();
    expect(store.writes).toEqual([[1]]);
    const later = [group.add([2]), group.add([3, 4]), group.add([5])];
    await store.finishOne();
    await first;
    expect(store.writes).toEqual([[1], [2, 3, 4, 5]]);
    await store.finishOne();
    await Promise.all(later);
    expect(store.writes).toHaveLength(2);
  });

  it('batches of the same tick start the first group together', async () => {
    const store = heldStore();
    const group = new GroupCommit(store.write);
    const all = [group.add([1]), group.add([2])];
    await store.finishOne();
    await Promise.all(all);
    expect(store.writes).toEqual([[1, 2]]);
  });

  it('a group that fails is written again batch by batch: only the batch the store cannot take fails', async () => {
    const store = heldStore((item) => item === 3);
    const group = new GroupCommit(store.write);
    const first = group.add([1]);
    await Promise.resolve();
    const results = [group.add([2]), group.add([3]), group.add([4])].map((added) => added.then(() => 'ok', (error: Error) => error.message));
    await store.finishOne(); // [1]
    await first;
    await store.finishOne(); // [2, 3, 4]: refused
    await store.finishOne(); // [2]
    await store.finishOne(); // [3]: refused
    await store.finishOne(); // [4]
    expect(await Promise.all(results)).toEqual(['ok', 'refused 3', 'ok']);
    expect(store.writes).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});

/** A clock the test moves: `sleep` resolves once `advance` passes its time. */
function fakeClock() {
  let now = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
    advance: async (ms: number) => {
      now += ms;
      for (const sleeper of sleepers.filter((s) => s.until <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
    sleeping: () => sleepers.length,
  };
}

describe('group commit with spacing', () => {
  it('a group that ends early waits out the spacing, gathering every batch that arrives meanwhile into one write', async () => {
    const store = heldStore();
    const clock = fakeClock();
    const group = new GroupCommit(store.write, { spacingMs: 2, clock });
    const first = group.add([1]);
    await Promise.resolve();
    expect(store.writes).toEqual([[1]]); // alone after a quiet spell: at once
    const second = group.add([2]);
    await store.finishOne(); // [1] synced in under 2 ms
    await first;
    // Without spacing [2] would now be written alone; with it, the group waits for the rest of the 2 ms.
    expect(store.writes).toEqual([[1]]);
    expect(clock.sleeping()).toBe(1);
    const third = [group.add([3]), group.add([4])];
    await clock.advance(1);
    expect(store.writes).toEqual([[1]]);
    await clock.advance(1);
    expect(store.writes).toEqual([[1], [2, 3, 4]]);
    await store.finishOne();
    await Promise.all([second, ...third]);
  });

  it('a write after a quiet spell longer than the spacing goes at once, and a slow write makes the next wait no longer', async () => {
    const store = heldStore();
    const clock = fakeClock();
    const group = new GroupCommit(store.write, { spacingMs: 2, clock });
    const first = group.add([1]);
    await Promise.resolve();
    const second = group.add([2]);
    await clock.advance(5); // [1]'s sync takes 5 ms, longer than the spacing
    await store.finishOne();
    await first;
    expect(store.writes).toEqual([[1], [2]]);
    expect(clock.sleeping()).toBe(0);
    await store.finishOne();
    await second;
    await clock.advance(10);
    const third = group.add([3]);
    await Promise.resolve();
    await Promise.resolve();
    expect(store.writes).toEqual([[1], [2], [3]]);
    await store.finishOne();
    await third;
  });
});
