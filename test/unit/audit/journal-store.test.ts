/**
 * The embedded journal (no AUDIT_DATABASE_URL), on a real directory: records read back across a
 * restart, a line torn by a crash costs nothing after it, retention deletes whole past days,
 * batches that arrive while a sync runs share the next one (group commit), and only intents wait for a
 * sync of their own (settlements ride the next one, or close's).
 */
import { appendFile, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { JournalAuditStore } from '../../../src/audit/journal-store.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SUBMISSION = '00000000-0000-4000-8000-000000000001';
const LATER = '00000000-0000-4000-8000-000000000002';

it('reads its records back after a restart, newest first, settled or not', async () => {
  const first = await JournalAuditStore.open(dir);
  await first.recordIntents([{ submission: SUBMISSION, csrIds: [1, 2], caller: 'alice', traceId: 'abc', at: new Date('2026-11-30T10:00:00Z') }]);
  await first.recordSettlements([{ submission: SUBMISSION, csrId: 1, outcome: 'DELETED', requestIds: ['r1'], at: new Date('2026-11-30T10:00:01Z') }]);
  await first.recordIntents([{ submission: LATER, csrIds: [1], caller: 'bob', at: new Date('2026-11-30T11:00:00Z') }]);
  await first.close();

  const again = await JournalAuditStore.open(dir);
  expect(await again.records({ csrId: 1, limit: 10 })).toEqual([
    expect.objectContaining({ submission: LATER, caller: 'bob', outcome: 'UNKNOWN', settledAt: null, traceId: null }),
    expect.objectContaining({ submission: SUBMISSION, caller: 'alice', outcome: 'DELETED', requestIds: ['r1'], traceId: 'abc' }),
  ]);
  expect(await again.records({ csrId: 2, limit: 10 })).toEqual([expect.objectContaining({ outcome: 'UNKNOWN', settledAt: null })]);
  expect(await again.records({ csrId: 1, caller: 'alice', limit: 10 })).toHaveLength(1);
  expect(await again.records({ csrId: 1, limit: 10, after: { at: new Date('2026-11-30T11:00:00Z'), submission: LATER } })).toEqual([
    expect.objectContaining({ submission: SUBMISSION }),
  ]);
  await again.close();
});

it('skips a line torn by a crash and loses nothing written after it', async () => {
  const store = await JournalAuditStore.open(dir);
  await store.recordIntents([{ submission: SUBMISSION, csrIds: [1], caller: 'alice', at: new Date() }]);
  const [file] = await readdir(dir);
  // A write cut short: no closing brace, no newline.
  await appendFile(join(dir, file as string), '{"t":"intent","submission":"00000000-0000-4000-8000-0000000');
  await store.recordIntents([{ submission: LATER, csrIds: [1], caller: 'bob', at: new Date() }]);
  expect((await store.records({ csrId: 1, limit: 10 })).map((record) => record.caller).sort()).toEqual(['alice', 'bob']);
  await store.close();
});

it('deletes the day files wholly past the retention cut-off, and keeps the rest', async () => {
  await writeFile(join(dir, 'audit-2020-01-01.jsonl'), '\n');
  await writeFile(join(dir, 'audit-2020-01-02.jsonl'), '\n');
  await writeFile(join(dir, 'notes.txt'), 'not the journal');
  const store = await JournalAuditStore.open(dir);
  expect(await store.prune(new Date('2020-01-02T12:00:00Z'))).toBe(1);
  expect((await readdir(dir)).sort()).toEqual(['audit-2020-01-02.jsonl', 'notes.txt']);
  await store.close();
});

it('group commit: batches that arrive while a sync runs share the next append and its one sync', async () => {
  // Every FileHandle's sync, counted (and held, so that the batches pile up behind the first).
  const probe = await open(join(dir, 'probe'), 'w');
  const handles = Object.getPrototypeOf(probe) as { datasync: (this: unknown) => Promise<void> };
  await probe.close();
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const original = handles.datasync;
  let syncs = 0;
  const spy = vi.spyOn(handles, 'datasync').mockImplementation(async function (this: unknown) {
    syncs++;
    if (syncs === 1) await held;
    return original.call(this);
  });
  try {
    const store = await JournalAuditStore.open(dir);
    const intent = (n: number) => ({ submission: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, csrIds: [n], caller: 'c', at: new Date() });
    const first = store.recordIntents([intent(1)]);
    while (syncs === 0) await new Promise((resolve) => setImmediate(resolve));
    // 50 batches in 50 turns, all while the first sync runs.
    const rest: Promise<void>[] = [];
    for (let n = 2; n <= 51; n++) {
      rest.push(store.recordIntents([intent(n)]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    await Promise.all([first, ...rest]);
    expect(syncs).toBe(2);
    expect(await store.records({ csrId: 51, limit: 1 })).toHaveLength(1);
    await store.close();
  } finally {
    spy.mockRestore();
  }
});

it('syncs a group that holds an intent, not one of settlements only; close syncs what is left', async () => {
  const probe = await open(join(dir, 'probe'), 'w');
  const handles = Object.getPrototypeOf(probe) as { datasync: (this: unknown) => Promise<void> };
  await probe.close();
  let syncs = 0;
  const original = handles.datasync;
  const spy = vi.spyOn(handles, 'datasync').mockImplementation(function (this: unknown) {
    syncs++;
    return original.call(this);
  });
  try {
    const store = await JournalAuditStore.open(dir);
    await store.recordIntents([{ submission: SUBMISSION, csrIds: [1], caller: 'alice', at: new Date() }]);
    expect(syncs).toBe(1);
    await store.recordSettlements([{ submission: SUBMISSION, csrId: 1, outcome: 'DELETED', requestIds: ['r-1'], at: new Date() }]);
    expect(syncs).toBe(1);
    // Written all the same: a read sees it at once.
    expect((await store.records({ csrId: 1, limit: 1 }))[0]?.outcome).toBe('DELETED');
    await store.close();
    expect(syncs).toBe(2);
  } finally {
    spy.mockRestore();
  }
});
