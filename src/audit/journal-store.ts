/**
 * The embedded audit store, used when `AUDIT_DATABASE_URL` is not set (so `npm start` has an audit
 * trail with nothing to install): an append-only journal of JSON lines in `AUDIT_DATA_DIR`, one file
 * per UTC day (`audit-2026-11-30.jsonl`), each write flushed to disk before it resolves.
 *
 * Why not an embedded PostgreSQL (PGlite 0.5): measured on this project's 2-core machine, opening it
 * cost 2.3 s of CPU and 450 MB of resident memory (6.6 s and 730 MB for a new database) — several
 * times the whole gateway, at every start and in every test that starts a gateway. An audit trail is append-only by nature; a journal is
 * the simplest durable form of one, and it is fully readable with `grep` and `jq`.
 *
 * What it is not: a database. A query reads the whole journal (fine for a development machine's
 * volume), and it is not shared between machines. Production uses PostgreSQL; docs/contract.md §2.
 *
 * Durability: a write is one append (O_APPEND, so several processes on one machine may share the
 * directory), and writes are group commits (group-commit.ts): while one append and its sync run, every
 * batch that arrives (intents and settlements alike) waits, and they all go as the next append. On a
 * disk whose sync takes milliseconds, a sync per batch was the gateway's ceiling (issue 22: 0.17 of
 * bare yoga's mutation rate, against 0.51 with the journal on tmpfs). A group that holds an intent is
 * followed by fdatasync before it resolves: an intent is durable before anything it names is sent. A
 * group of settlements only is not synced on its own (issue 22: an fdatasync costs this machine's
 * kernel ≈ 0.2–0.5 ms of CPU, the largest part of the journal's cost per mutation): the caller's answer
 * never waited for it, a crash of the process loses nothing the kernel has, and the next intent's sync,
 * or `close`, makes it durable — until then a crash of the machine can lose it, which leaves the
 * records reading `UNKNOWN`, exactly what a crash between the answer and the settlement leaves anyway
 * (docs/contract.md §2, the audit trail). A crash can leave a torn last line; every write starts with a newline, so the
 * torn line stays alone and is skipped on reading, and nothing after it is lost. Retention deletes
 * whole day files.
 */
import { constants, writeSync } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GroupCommit } from './group-commit.js';
import type {
  AuditConfirmation,
  AuditIntent,
  AuditOutcome,
  CallerAuth,
  AuditQuery,
  AuditRecord,
  AuditSettlement,
  AuditStore,
} from './types.js';

type Line =
  | { t: 'intent'; submission: string; csrIds: readonly number[]; caller: string; callerAuth?: CallerAuth; traceId?: string; at: string }
  | {
      t: 'settlement';
      submission: string;
      csrId: number;
      outcome: AuditOutcome;
      code?: string;
      /** Absent when an answer settled it (and in lines written before checks existed). */
      confirmedBy?: AuditConfirmation;
      requestIds: readonly string[];
      at: string;
    };

/** A serialized line, and whether it must be durable before its writer is told it is written. */
interface Pending {
  readonly text: string;
  readonly sync: boolean;
}

/**
 * At most one append (and its sync) per this many ms under load (group-commit.ts, spacing): an
 * fdatasync costs this machine ≈ 0.16 ms of the gateway's CPU, and the disk syncs in 0.7–2 ms, so
 * unspaced groups stayed small. A mutation's intent may wait this much longer; one alone does not.
 */
export const SYNC_SPACING_MS = 2;

const FILE = /^audit-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class JournalAuditStore implements AuditStore {
  readonly description: string;
  readonly #dir: string;
  #file: { readonly day: string; readonly handle: FileHandle } | undefined;
  /** Serialized lines, from the intent and settlement writers alike: one append per group, synced when it holds an intent. */
  readonly #appends = new GroupCommit<Pending>((lines) => this.#appendNow(lines), { spacingMs: SYNC_SPACING_MS });
  /** Whether something was appended since the last sync (a group of settlements only): `close` syncs it. */
  #unsynced = false;
  /** The last append in progress, for `close`. */
  #appending: Promise<void> = Promise.resolve();

  private constructor(dir: string) {
    this.#dir = dir;
    this.description = `journal ${dir}`;
  }

  static async open(dir: string): Promise<JournalAuditStore> {
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    await access(absolute, constants.W_OK);
    return new JournalAuditStore(absolute);
  }

  recordIntents(intents: readonly AuditIntent[]): Promise<void> {
    return this.#append(
      true,
      intents.map((intent) => ({
        t: 'intent',
        submission: intent.submission,
        csrIds: intent.csrIds,
        caller: intent.caller,
        ...(intent.callerAuth ? { callerAuth: intent.callerAuth } : {}),
        ...(intent.traceId ? { traceId: intent.traceId } : {}),
        at: intent.at.toISOString(),
      })),
    );
  }

  recordSettlements(settlements: readonly AuditSettlement[]): Promise<void> {
    return this.#append(
      false,
      settlements.map((settlement) => ({
        t: 'settlement',
        submission: settlement.submission,
        csrId: settlement.csrId,
        outcome: settlement.outcome,
        ...(settlement.code ? { code: settlement.code } : {}),
        ...(settlement.confirmedBy ? { confirmedBy: settlement.confirmedBy } : {}),
        requestIds: settlement.requestIds,
        at: settlement.at.toISOString(),
      })),
    );
  }

  async records(query: AuditQuery): Promise<AuditRecord[]> {
    const asked = new Map<string, Extract<Line, { t: 'intent' }>>();
    const settled = new Map<string, Extract<Line, { t: 'settlement' }>>();
    for (const line of await this.#lines()) {
      if (line.t === 'intent' && line.csrIds.includes(query.csrId)) asked.set(line.submission, line);
      else if (line.t === 'settlement' && line.csrId === query.csrId) settled.set(line.submission, line);
    }
    const records: AuditRecord[] = [];
    for (const intent of asked.values()) {
      const at = new Date(intent.at);
      if (query.caller !== undefined && intent.caller !== query.caller) continue;
      if (query.since && at < query.since) continue;
      if (query.until && at >= query.until) continue;
      if (query.after && !olderThan({ at, submission: intent.submission }, query.after)) continue;
      const settlement = settled.get(intent.submission);
      records.push({
        submission: intent.submission,
        csrId: query.csrId,
        caller: intent.caller,
        callerAuth: intent.callerAuth ?? null,
        outcome: settlement?.outcome ?? 'UNKNOWN',
        code: settlement?.code ?? null,
        confirmedBy: settlement?.confirmedBy ?? null,
        requestIds: settlement?.requestIds ?? [],
        traceId: intent.traceId ?? null,
        at,
        settledAt: settlement ? new Date(settlement.at) : null,
      });
    }
    records.sort((a, b) => (olderThan(a, b) ? 1 : olderThan(b, a) ? -1 : 0));
    return records.slice(0, query.limit);
  }

  async prune(cutOff: Date): Promise<number> {
    const lastDay = dayOf(cutOff);
    let removed = 0;
    for (const { name, day } of await this.#files()) {
      // A day file may hold records up to its day's end: it goes only once the whole day is past.
      if (day >= lastDay || day === this.#file?.day) continue;
      await rm(join(this.#dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  async ping(): Promise<void> {
    await access(this.#dir, constants.W_OK);
  }

  async close(): Promise<void> {
    await this.#appending;
    if (this.#unsynced) await this.#file?.handle.datasync();
    this.#unsynced = false;
    await this.#file?.handle.close();
    this.#file = undefined;
  }

  /** `sync`: the lines must be durable before the promise resolves (intents). */
  #append(sync: boolean, lines: readonly Line[]): Promise<void> {
    const appended = this.#appends.add(lines.map((line) => ({ text: JSON.stringify(line), sync })));
    // `close` waits for it; its failure is the caller's to see.
    this.#appending = appended.catch(() => undefined);
    return appended;
  }

  /**
   * One group: one append, then one sync if it holds an intent (a day's file may rotate in between
   * groups, never within one). The append is a synchronous `write` into the page cache, a few
   * microseconds for a group's few kilobytes, like pino's own log lines: the asynchronous one sent it
   * through libuv's thread pool and back, a round trip of two thread hand-offs that cost more CPU than
   * the write (issue 22), and the sync that follows makes that round trip anyway. The sync, which
   * waits on the disk, stays asynchronous.
   */
  async #appendNow(lines: readonly Pending[]): Promise<void> {
    const day = dayOf(new Date());
    if (this.#file?.day !== day) {
      if (this.#unsynced) await this.#file?.handle.datasync();
      this.#unsynced = false;
      await this.#file?.handle.close();
      this.#file = undefined;
      this.#file = { day, handle: await open(join(this.#dir, `audit-${day}.jsonl`), 'a') };
    }
    let text = '';
    let sync = false;
    for (const line of lines) {
      text += `\n${line.text}`;
      sync ||= line.sync;
    }
    const bytes = Buffer.from(`${text}\n`);
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.#file.handle.fd, bytes, offset);
    if (sync) await this.#file.handle.datasync();
    this.#unsynced = !sync;
  }

  async #files(): Promise<{ name: string; day: string }[]> {
    const names = await readdir(this.#dir);
    return names.flatMap((name) => {
      const day = FILE.exec(name)?.[1];
      return day ? [{ name, day }] : [];
    });
  }

  async #lines(): Promise<Line[]> {
    const lines: Line[] = [];
    for (const { name } of await this.#files()) {
      const text = await readFile(join(this.#dir, name), 'utf8').catch(() => '');
      for (const raw of text.split('\n')) {
        if (raw === '') continue;
        try {
          lines.push(JSON.parse(raw) as Line);
        } catch {
          // A torn line left by a crash mid-write: it was never acknowledged, so nothing relied on it.
        }
      }
    }
    return lines;
  }
}

/** Newest-first order: does `a` come after `b` (older, or as old with a smaller key)? PostgreSQL's order too. */
function olderThan(a: { at: Date; submission: string }, b: { at: Date; submission: string }): boolean {
  const difference = a.at.getTime() - b.at.getTime();
  return difference < 0 || (difference === 0 && a.submission < b.submission);
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
