/** Several listeners on the engine's one observer slot (metrics, the call log, a test's probe). */
import type { EngineObserver } from '../engine/types.js';

/** One observer that tells each of `observers` everything. */
export function combineObservers(...observers: readonly (EngineObserver | undefined)[]): EngineObserver {
  const present = observers.filter((observer): observer is EngineObserver => observer !== undefined);
  return {
    onCall: (event) => present.forEach((observer) => observer.onCall?.(event)),
    onRateLimitWait: (seconds) => present.forEach((observer) => observer.onRateLimitWait?.(seconds)),
    onPendingIds: (count) => present.forEach((observer) => observer.onPendingIds?.(count)),
  };
}
