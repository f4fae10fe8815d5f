/**
 * Tencent's frequency limit as the simulator enforces it: at most `limit()` accepted calls whose
 * arrival times fall within any window of `windowMs`. Exact (a log of arrival times), because the
 * simulator is the judge: a gateway that a looser check would let pass could still be throttled.
 */
export class SlidingWindowCounter {
  readonly #arrivals: number[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly limit: () => number,
  ) {}

  /** Records the call and returns true when it fits in the window; rejected calls are not counted. */
  tryAcquire(at: number): boolean {
    while (this.#arrivals.length > 0 && at - (this.#arrivals[0] as number) >= this.windowMs) this.#arrivals.shift();
    if (this.#arrivals.length >= this.limit()) return false;
    this.#arrivals.push(at);
    return true;
  }
}
