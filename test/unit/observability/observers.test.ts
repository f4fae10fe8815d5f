/** `combineObservers` (src/observability/observers.ts): every engine event reaches every listener. */
import { expect, it } from 'vitest';
import type { CallEvent, CheckEvent, EngineObserver } from '../../../src/engine/types.js';
import { combineObservers } from '../../../src/observability/observers.js';

function recorder(): { observer: Required<EngineObserver>; events: unknown[][] } {
  const events: unknown[][] = [];
  return {
    events,
    observer: {
      onCall: (event) => events.push(['call', event]),
      onCheck: (event) => events.push(['check', event]),
      onSlotMissed: () => events.push(['slotMissed']),
      onRateLimitWait: (seconds) => events.push(['rateLimitWait', seconds]),
      onPendingIds: (count) => events.push(['pendingIds', count]),
    },
  };
}

it('tells every listener every event, skipping absent listeners and hooks a listener lacks', () => {
  const [first, second] = [recorder(), recorder()];
  const partial: unknown[] = [];
  const combined = combineObservers(first.observer, undefined, { onCheck: (event) => partial.push(event) }, second.observer);
  const call: CallEvent = { ids: 2, attempt: 1, code: 'Success', startedAt: 0, durationMs: 5, tags: [] };
  const check: CheckEvent = { ids: 3, code: 'Success', present: 1, durationMs: 7 };

  combined.onCall(call);
  combined.onCheck(check);
  combined.onSlotMissed();
  combined.onRateLimitWait(0.25);
  combined.onPendingIds(4);

  const expected = [['call', call], ['check', check], ['slotMissed'], ['rateLimitWait', 0.25], ['pendingIds', 4]];
  expect(first.events).toEqual(expected);
  expect(second.events).toEqual(expected);
  expect(partial).toEqual([check]);
});
