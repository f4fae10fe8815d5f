/**
 * Callers are handed their answers a few per event-loop turn, so that one upstream answer cannot
 * stall the loop. (`src/http/admission.ts` does the same for requests on their way in.)
 *
 * One `BatchDeleteCSR` answer settles up to 100 callers at the same moment. Each of them then
 * finishes its GraphQL response — the resolver's rest, serialisation, the write, the request log —
 * in the microtasks of that same turn, a few hundred microseconds each: 10–35 ms, measured, in which
 * no timer runs: not the limiter's next slot, not another caller's request. Here answers pass at once
 * while the turn's budget lasts; past it they wait, first come first served, for the next turns
 * (`setImmediate`), so timers and I/O run between any two stretches. Under ordinary load every
 * answer passes at once.
 *
 * How many answers fit in a turn is learnt from the stretches before: a stretch is timed from its
 * first answer to the next turn, so it includes the microtasks the answers set off, which a clock
 * read beside each answer would not see.
 */
import { performance } from 'node:perf_hooks';
import type { DeleteEngine } from './types.js';

export interface AnswerPacingOptions {
  /** How long a turn may spend on the work of the callers it hands answers to. */
  readonly budgetMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
  /** Runs `fn` in a later event-loop turn (tests pass their own). */
  readonly nextTurn?: (fn: () => void) => void;
}

const DEFAULT_BUDGET_MS = 4;
/** What one answer is assumed to cost until a stretch has been timed. */
const FIRST_ESTIMATE_MS = 0.25;
/**
 * However slow a stretch looked, this many answers pass per turn: a stretch's time also holds
 * whatever other I/O the turn ran, and the answers must not trickle out because of it.
 */
const MIN_PER_TURN = 8;

export class AnswerPacer {
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #nextTurn: (fn: () => void) => void;
  /** Answers past this turn's budget, in arrival order. */
  readonly #waiting: (() => void)[] = [];
  /** Milliseconds one answer costs, smoothed over the stretches timed so far. */
  #costMs = FIRST_ESTIMATE_MS;
  /** The stretch of this turn: when its first answer passed and how many have; none between turns. */
  #stretch: { readonly startedAt: number; passed: number } | undefined;

  constructor(options: AnswerPacingOptions = {}) {
    this.#budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#nextTurn = options.nextTurn ?? ((fn) => setImmediate(fn));
  }

  /** How many answers pass in one turn, as things stand. */
  get perTurn(): number {
    return Math.max(MIN_PER_TURN, Math.floor(this.#budgetMs / this.#costMs));
  }

  /** Answers waiting for a later turn. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** `value` itself if this turn has room for it, else a promise of it that settles in a later turn. */
  pass<T>(value: T): T | Promise<T> {
    const stretch = this.#stretch ?? this.#openStretch();
    if (this.#waiting.length === 0 && stretch.passed < this.perTurn) {
      stretch.passed += 1;
      return value;
    }
    return new Promise((resolve) => this.#waiting.push(() => resolve(value)));
  }

  #openStretch(): { startedAt: number; passed: number } {
    const stretch = { startedAt: this.#now(), passed: 0 };
    this.#stretch = stretch;
    this.#nextTurn(() => this.#closeStretch(stretch));
    return stretch;
  }

  #closeStretch(stretch: { readonly startedAt: number; passed: number }): void {
    this.#stretch = undefined;
    if (stretch.passed > 0) {
      const costMs = (this.#now() - stretch.startedAt) / stretch.passed;
      this.#costMs = (this.#costMs + costMs) / 2;
    }
    if (this.#waiting.length === 0) return;
    const next = this.#openStretch();
    const count = Math.min(this.perTurn, this.#waiting.length);
    next.passed = count;
    for (const hand of this.#waiting.splice(0, count)) hand();
  }
}

/** `engine` with its answers handed over through `pacer`; draining and the pending count stay the engine's. */
export function pacedAnswers(engine: DeleteEngine, pacer: AnswerPacer): DeleteEngine {
  return {
    get pendingIds() {
      return engine.pendingIds;
    },
    drain: () => engine.drain(),
    submit: (ids, options) => engine.submit(ids, options).then((outcome) => pacer.pass(outcome)),
  };
}
