/**
 * Admission one request per event-loop turn (src/http/admission.ts), in memory: a lone request is
 * handled at once; requests arriving together are handled in arrival order, one per turn.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { admitOnePerTurn } from '../../src/http/admission.js';

const request = (name: string) => ({ name }) as unknown as IncomingMessage;
const response = {} as ServerResponse;
/** Resolves after the current turn's immediates (the admission's among them) have run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('admitOnePerTurn', () => {
  it('handles a lone request at once', async () => {
    const handled: string[] = [];
    const admit = admitOnePerTurn((req) => handled.push((req as unknown as { name: string }).name));
    admit(request('a'), response);
    expect(handled).toEqual(['a']);
    await nextTurn();
    admit(request('b'), response);
    expect(handled).toEqual(['a', 'b']);
  });

  it('handles a burst one request per turn, in arrival order', async () => {
    const handled: string[] = [];
    const admit = admitOnePerTurn((req) => handled.push((req as unknown as { name: string }).name));
    for (const name of ['a', 'b', 'c', 'd']) admit(request(name), response);
    expect(handled).toEqual(['a']);
    await nextTurn();
    expect(handled).toEqual(['a', 'b']);
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c']);
    await nextTurn();
    await nextTurn();
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
    // Idle again: the next request is handled at once.
    admit(request('e'), response);
    expect(handled).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
