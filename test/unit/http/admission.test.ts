/**
 * Admission within a time budget per event-loop turn (src/http/admission.ts), in memory with a
 * clock the test moves: requests are handled on arrival until the turn's budget is spent, then
 * queued and handled in arrival order over the following turns, each within its budget.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { admitWithinBudget } from '../../../src/http/admission.js';

const response = {} as ServerResponse;
/** Resolves after the current turn's immediates (the admission's among them) have run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An admission whose handler takes `costMs` of the test's clock per request. */
function rig(costMs: number) {
  let clock = 0;
  const handled: string[] = [];
  const admit = admitWithinBudget(
    (request) => {
      handled.push((request as unknown as { name: string }).name);
      clock += costMs;
    },
    { budgetMs: 2, now: () => clock },
  );
  const send = (...names: string[]) => {
    for (const name of names) admit({ name } as unknown as IncomingMessage, response);
  };
  return { handled, send };
}

describe('admitWithinBudget', () => {
  it('handles requests on arrival while the turn is within its budget', () => {
    const { handled, send } = rig(0.5);
    send('a', 'b', 'c', 'd');
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
  });

  it('queues what arrives past the budget and handles it over the next turns, in order', async () => {
    const { handled, send } = rig(1);
    send('a', 'b', 'c', 'd', 'e', 'f', 'g');
    expect(handled).toEqual(['a', 'b']);
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
    send('h'); // arrives behind the queue: waits its turn
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('starts a fresh budget once the queue has drained', async () => {
    const { handled, send } = rig(1);
    send('a', 'b', 'c');
    await nextTurn();
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c']);
    send('d', 'e');
    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
