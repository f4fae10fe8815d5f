/** Several listeners on the engine's one observer slot (metrics, the call log, spans, a test's probe). */
import type { EngineObserver } from '../engine/types.js';

/**
 * One observer that tells each of `observers` everything. Typed `Required` so that an event added to
 * `EngineObserver` cannot be forgotten here: this function once forwarded three of five, and the
 * existence-check metric never moved in a running gateway. Plain loops: no closure made per event.
 */
export function combineObservers(...observers: readonly (EngineObserver | undefined)[]): EngineObserver {
  const present = observers.filter((observer): observer is EngineObserver => observer !== undefined);
  const combined: Required<EngineObserver> = {
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
  return combined;
}
