/**
 * The engine has one observer slot and the gateway puts several listeners on it: each must hear every
 * event. In memory: recording observers.
 */
import { expect, it } from 'vitest';
import type { CallEvent, EngineObserver } from '../../../src/engine/types.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { combineObservers } from '../../../src/observability/observers.js';

function recorder(): { observer: Required<EngineObserver>; heard: string[] } {
  const heard: string[] = [];
  return {
    heard,
    observer: {
      onCall: () => heard.push('call'),
      onCheck: () => heard.push('check'),
      onSlotMissed: () => heard.push('slot missed'),
      onRateLimitWait: () => heard.push('rate limit wait'),
      onPendingIds: () => heard.push('pending'),
    },
  };
}

it('tells every listener every event, skipping absent ones', () => {
  const [a, b] = [recorder(), recorder()];
  const combined = combineObservers(a.observer, undefined, b.observer);
  combined.onCall?.({} as CallEvent);
  combined.onCheck?.({ ids: 1, code: 'Success', present: 0, durationMs: 1 });
  combined.onSlotMissed?.();
  combined.onRateLimitWait?.(0.1);
  combined.onPendingIds?.(3);
  const all = ['call', 'check', 'slot missed', 'rate limit wait', 'pending'];
  expect(a.heard).toEqual(all);
  expect(b.heard).toEqual(all);
});

it('carries the existence checks to the metrics, as the gateway wires them', async () => {
  const { registry, observer } = createMetrics({ processMetrics: false });
  combineObservers(observer, recorder().observer).onCheck?.({ ids: 5, code: 'Success', present: 2, durationMs: 9 });
  expect(await registry.metrics()).toContain('tencent_ssl_existence_checked_ids_total{result="absent"} 3');
});
