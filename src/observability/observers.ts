/** Several listeners on the engine's one observer slot (metrics, the call log, the call spans, a test's probe). */
import type { EngineObserver } from '../engine/types.js';

/**
 * One observer that tells each of `observers` everything. Every hook is forwarded: the return type
 * is `Required<EngineObserver>`, so a hook added to the engine's observer does not compile here until
 * it is passed on too (onCheck and onSlotMissed once were not, and the existence-check metric never
 * counted in a running gateway).
 */
export function combineObservers(...observers: readonly (EngineObserver | undefined)[]): Required<EngineObserver> {
  const present = observers.filter((observer): observer is EngineObserver => observer !== undefined);
  return {
    onCall(event) {
      for (const observer of present) observer.onCall?.(event);
    },
    onCheck(event) {
      for (const observer of present) observer.onCheck?.(event);
    },
    onSlotMissed() {
      for (const observer of present) observer.onSlotMissed?.();
    },
    onRateLimitWait(seconds) {
      for (const observer of present) observer.onRateLimitWait?.(seconds);
    },
    onPendingIds(count) {
      for (const observer of present) observer.onPendingIds?.(count);
    },
  };
}
