/** Several listeners on the engine's one observer slot (metrics, the call log, spans, a test's probe). */
import type { EngineObserver } from '../engine/types.js';

/**
 * One observer that tells each of `observers` everything. Typed `Required` so that an event added to
 * `EngineObserver` cannot be forgotten here: this function once forwarded three of five, and the
 * existence-check metric never moved in a running gateway.
 */
export function combineObservers(...observers: readonly (EngineObserver | undefined)[]): EngineObserver {
  const present = observers.filter((observer): observer is EngineObserver => observer !== undefined);
  const combined: Required<EngineObserver> = {
    onCall: (event) => present.forEach((observer) => observer.onCall?.(event)),
    onCheck: (event) => present.forEach((observer) => observer.onCheck?.(event)),
    onSlotMissed: () => present.forEach((observer) => observer.onSlotMissed?.()),
    onRateLimitWait: (seconds) => present.forEach((observer) => observer.onRateLimitWait?.(seconds)),
    onPendingIds: (count) => present.forEach((observer) => observer.onPendingIds?.(count)),
  };
  return combined;
}
