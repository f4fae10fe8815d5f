/**
 * One record can only fail its own mutation: a store takes a batch whole or not at all (PostgreSQL
 * rejects a whole INSERT for one row it cannot store), so the trail writes a failed batch's records
 * again one by one. In memory, with a store that refuses any batch holding a poison record.
 */
import { describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../src/audit/trail.js';
import type { AuditIntent, AuditSettlement, AuditStore } from '../../../src/audit/types.js';
import { createLogger } from '../../../src/logger.js';

class PoisonRefusingStore implements AuditStore {
  readonly description = 'poison-refusing';
  readonly batches: number[] = [];
  readonly intents: AuditIntent[] = [];
  readonly settlements: AuditSettlement[] = [];
  down = false;

  async recordIntents(intents: readonly AuditIntent[]): Promise<void> {
    await Promise.resolve();
    this.batches.push(intents.length);
    if (this.down) throw new Error('connection refused');
    if (intents.some((intent) => intent.caller.includes('\u0000'))) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
    this.intents.push(...intents);
  }
  async recordSettlements(settlements: readonly AuditSettlement[]): Promise<void> {
    await Promise.resolve();
    if (settlements.some((settlement) => settlement.code === 'poison')) throw new Error('value too long');
    this.settlements.push(...settlements);
  }
  records = () => Promise.resolve([]);
  prune = () => Promise.resolve(0);
  ping = () => Promise.resolve();
  close = () => Promise.resolve();
}

const intent = (caller: string, n: number): AuditIntent => ({ submission: `s-${n}`, csrIds: [n], caller, at: new Date(0) });

describe('a failed audit batch', () => {
  it('fails only the record the store cannot take: 39 of 40 intents of one turn are written', async () => {
    const store = new PoisonRefusingStore();
    const trail = new AuditTrail(store, createLogger('silent'));
    const writes = Array.from({ length: 40 }, (_, n) => trail.recordIntent(intent(n === 17 ? 'evil\u0000' : `caller-${n}`, n)));
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((outcome) => outcome.status === 'rejected').length).toBe(1);
    expect(settled[17]).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('could not record intents') as unknown } });
    expect(store.intents.map((written) => written.submission).sort()).toEqual(
      Array.from({ length: 40 }, (_, n) => `s-${n}`).filter((s) => s !== 's-17').sort(),
    );
    // One batch of 40, then one write each.
    expect(store.batches[0]).toBe(40);
    expect(store.batches.slice(1)).toEqual(Array.from({ length: 40 }, () => 1));
  });

  it('fails only the submission whose settlements the store cannot take', async () => {
    const store = new PoisonRefusingStore();
    const trail = new AuditTrail(store, createLogger('silent'));
    const settlement = (n: number, code?: string): AuditSettlement => ({
      submission: `s-${n}`,
      csrId: n,
      outcome: 'FAILED',
      ...(code ? { code } : {}),
      requestIds: [],
      at: new Date(0),
    });
    const settled = await Promise.allSettled([
      trail.recordSettlements([settlement(1), settlement(2)]),
      trail.recordSettlements([settlement(3, 'poison')]),
      trail.recordSettlements([settlement(4)]),
    ]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.settlements.map((written) => written.csrId).sort()).toEqual([1, 2, 4]);
  });

  it('fails every record when the store is down, as before', async () => {
    const store = new PoisonRefusingStore();
    store.down = true;
    const trail = new AuditTrail(store, createLogger('silent'));
    const settled = await Promise.allSettled([trail.recordIntent(intent('a', 1)), trail.recordIntent(intent('b', 2))]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});
