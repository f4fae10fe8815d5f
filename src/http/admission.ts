/**
 * Requests are admitted a few milliseconds' worth per event-loop turn, so that a burst cannot stall
 * the loop.
 *
 * Node reads every socket that is ready in one poll phase and emits `request` for each; if each
 * were handled there and then (yoga's work up to the engine runs synchronously and in microtasks,
 * a few hundred microseconds a request), a burst of 1,000 connections would hold the loop for a
 * large part of a second — and every timer with it: the rate limiter's next slot, the upstream
 * sends, other callers' answers. Here requests are handled as they arrive until `budgetMs` of the
 * turn has passed; later arrivals wait in a FIFO queue, and each following turn (`setImmediate`)
 * handles queued requests for up to `budgetMs` more, so timers and I/O run between any two
 * stretches. Under ordinary load every request is handled on arrival. The total work is the same;
 * what changes is that no stretch of it is much longer than the budget.
 *
 * Hand-written because it is the server's own scheduling policy, in a few lines; queue libraries
 * (p-queue and the like) bound concurrency, not time on the loop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface AdmissionOptions {
  /** How long a turn may spend starting requests. */
  readonly budgetMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

/**
 * A few requests' synchronous work: their asynchronous rest runs in the same turn's microtasks, so a
 * stretch lasts a few times this.
 */
const DEFAULT_BUDGET_MS = 2;

export function admitWithinBudget(handle: RequestHandler, options: AdmissionOptions = {}): RequestHandler {
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const now = options.now ?? (() => performance.now());
  const waiting: [IncomingMessage, ServerResponse][] = [];
  /** When this turn's stretch of work began; a turn is open while `nextTurn` is scheduled. */
  let turnStartedAt = 0;
  let turnOpen = false;

  const nextTurn = (): void => {
    turnOpen = false;
    if (waiting.length === 0) return;
    turnOpen = true;
    turnStartedAt = now();
    do {
      const [request, response] = waiting.shift() as [IncomingMessage, ServerResponse];
      handle(request, response);
    } while (waiting.length > 0 && now() - turnStartedAt < budgetMs);
    setImmediate(nextTurn);
  };

  return (request, response) => {
    if (waiting.length === 0) {
      if (!turnOpen) {
        turnOpen = true;
        turnStartedAt = now();
        setImmediate(nextTurn);
      }
      if (now() - turnStartedAt < budgetMs) {
        handle(request, response);
        return;
      }
    }
    waiting.push([request, response]);
  };
}
