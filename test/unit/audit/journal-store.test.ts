/**
 * The embedded journal (no AUDIT_DATABASE_URL), on a real directory: records read back across a
 * restart, a line torn by a crash costs nothing after it, and retention deletes whole past days.
 */
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
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
