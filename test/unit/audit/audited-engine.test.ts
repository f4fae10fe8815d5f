/**
 * The audit decorator's exact logic, in memory around the real engine (with the recording Tencent
 * of the engine tests) and the real journal store in a temporary directory: the intent is durable
 * before the engine sees an ID, writes are batched across the callers of one event-loop turn, the
 * store down fails the mutation closed, and a lost settlement write still answers the caller.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalAuditStore } from '../../../src/audit/journal-store.js';
import { AuditTrail } from '../../../src/audit/trail.js';
import type { AuditIntent, AuditSettlement, AuditStore } from '../../../src/audit/types.js';
import { DeletionService } from '../../../src/deletion/service.js';
import { BatchingEngine } from '../../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../../src/engine/limiter.js';
import { groupOutcome } from '../../../src/engine/outcome.js';
import { createLogger } from '../../../src/logger.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';
import { FakeChecker } from '../engine/support/fake-checker.js';
import { RecordingClient } from '../engine/support/recording-client.js';

/** The journal, with its writes counted and, when a test says so, held or refused. */
class ObservedStore implements AuditStore {
  readonly intentWrites: (readonly AuditIntent[])[] = [];
  readonly settlementWrites: (readonly AuditSettlement[])[] = [];
  holdIntents: Promise<void> | undefined;
  holdSettlements: Promise<void> | undefined;
  refuse: { intents?: boolean; settlements?: boolean } = {};

  constructor(readonly journal: JournalAuditStore) {}

  get description(): string {
    return this.journal.description;
  }
  async recordIntents(intents: readonly AuditIntent[]): Promise<void> {
    this.intentWrites.push(intents);
    await this.holdIntents;
    if (this.refuse.intents) throw new Error('connection refused');
    await this.journal.recordIntents(intents);
  }
  async recordSettlements(settlements: readonly AuditSettlement[]): Promise<void> {
    this.settlementWrites.push(settlements);
    await this.holdSettlements;
    if (this.refuse.settlements) throw new Error('connection refused');
    await this.journal.recordSettlements(settlements);
  }
  records = (...args: Parameters<AuditStore['records']>) => this.journal.records(...args);
  prune = (before: Date) => this.journal.prune(before);
  ping = () => this.journal.ping();
  close = () => this.journal.close();
}

let dir: string;
let store: ObservedStore;
let trail: AuditTrail;
let client: RecordingClient;
let engine: BatchingEngine;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-engine-'));
  store = new ObservedStore(await JournalAuditStore.open(dir));
  trail = new AuditTrail(store, createLogger('silent'));
  client = new RecordingClient();
  engine = new BatchingEngine({ client, limiter: new LocalSpacingLimiter({ callsPerSecond: 1_000 }), maxPendingIds: 100_000 });
});
afterEach(async () => {
  await engine.drain();
  await trail.close();
  await rm(dir, { recursive: true, force: true });
});

const deadline = (): { deadline: number } => ({ deadline: Date.now() + 10_000 });
/** The deletion service with the audit trail, submitting for `caller`; outcomes grouped as the engine tests read them. */
const asCaller = (caller: string) => ({
  submit: (ids: readonly number[], { deadline }: { deadline: number }) =>
    new DeletionService({ engine, audit: trail }).submit(ids, { deadline, attribution: { caller } }).then(groupOutcome),
});

describe('the audited engine', () => {
  it('writes one intent batch and one settlement batch for the callers of one turn, each record with its caller', async () => {
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => asCaller(`caller-${i}`).submit([i + 1], deadline())));
    expect(outcomes.flatMap((outcome) => outcome.deleted)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(client.calls).toHaveLength(1);
    expect(store.intentWrites).toHaveLength(1);
    expect(store.intentWrites[0]).toHaveLength(10);
    const [record] = await trail.records({ csrId: 4, limit: 10 });
    expect(record).toMatchObject({ csrId: 4, caller: 'caller-3', outcome: 'DELETED', requestIds: ['req-0'] });
    expect(store.settlementWrites).toHaveLength(1);
    expect(store.settlementWrites[0]).toHaveLength(10);
  });

  it('submits nothing to the engine until the intent is durable', async () => {
    let release = (): void => undefined;
    store.holdIntents = new Promise((resolve) => (release = resolve));
    const outcome = asCaller('alice').submit([5], deadline());
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.intentWrites).toHaveLength(1);
    expect(engine.pendingIds).toBe(0);
    release();
    expect((await outcome).deleted).toEqual([5]);
    expect(client.calls).toHaveLength(1);
  });

  it('fails every ID closed with Gateway.AuditUnavailable when the store cannot take the intent; the engine gets nothing', async () => {
    store.refuse.intents = true;
    const outcome = await asCaller('alice').submit([5, 6, 6], deadline());
    expect(outcome).toMatchObject({ deleted: [], notDeleted: [], unknown: [], requestIds: [] });
    expect(outcome.failed).toEqual([{ failure: expect.objectContaining({ code: GatewayCode.AuditUnavailable }) as unknown, ids: [5, 6] }]);
    expect(client.calls).toEqual([]);
    expect(client.store.has(5)).toBe(true);
  });

  it('answers the caller without waiting for its settlement to be durable; an audit read in the process waits for it', async () => {
    let release = (): void => undefined;
    store.holdSettlements = new Promise((resolve) => (release = resolve));
    const outcome = await asCaller('alice').submit([9], deadline());
    expect(outcome.deleted).toEqual([9]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.settlementWrites).toHaveLength(1); // begun, not durable
    let read = false;
    const records = trail.records({ csrId: 9, limit: 10 }).finally(() => (read = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(read).toBe(false);
    release();
    expect(await records).toMatchObject([{ caller: 'alice', outcome: 'DELETED', settledAt: expect.any(Date) as unknown }]);
  });

  it('answers the caller when the settlement cannot be written, and the record stays unsettled', async () => {
    store.refuse.settlements = true;
    const outcome = await asCaller('alice').submit([8], deadline());
    expect(outcome.deleted).toEqual([8]);
    const [record] = await trail.records({ csrId: 8, limit: 10 });
    expect(record).toMatchObject({ caller: 'alice', outcome: 'UNKNOWN', settledAt: null });
  });

  it('records a deletion an existence check established (the answer was lost) as confirmed by the check, with the check\'s RequestId; an answered one as not', async () => {
    const checker = new FakeChecker(client);
    const checked = new BatchingEngine({ client, limiter: new LocalSpacingLimiter({ callsPerSecond: 1_000 }), maxPendingIds: 100, checker, checkDelayMs: 5 });
    const timeout = failure(GatewayCode.UpstreamTimeout, 'Tencent Cloud did not answer in time', { delivery: 'unknown' });
    // The first call deletes 21 and loses its answer; 22, asked for later, is deleted by an answer.
    client.answers = (_call, index) => (index === 0 ? { kind: 'fail', failure: timeout, applied: true } : { kind: 'normal' });
    const service = new DeletionService({ engine: checked, audit: trail });
    const outcome = groupOutcome(await service.submit([21], { ...deadline(), attribution: { caller: 'alice' } }));
    const answered = groupOutcome(await service.submit([22], { ...deadline(), attribution: { caller: 'alice' } }));
    await checked.drain();
    expect(outcome.deleted).toEqual([21]);
    expect(answered.deleted).toEqual([22]);

    const [confirmed] = await trail.records({ csrId: 21, limit: 10 });
    expect(confirmed).toMatchObject({ outcome: 'DELETED', confirmedBy: 'CHECK', requestIds: ['check-0'] });
    const [byAnswer] = await trail.records({ csrId: 22, limit: 10 });
    expect(byAnswer).toMatchObject({ outcome: 'DELETED', confirmedBy: null, requestIds: ['req-1'] });
  });
});
