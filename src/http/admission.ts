/**
 * Requests are admitted one per event-loop turn, so that a burst cannot stall the loop.
 *
 * Node reads every socket that is ready in one poll phase and emits `request` for each; if each
 * were handled there and then (yoga's work up to the engine runs synchronously and in microtasks,
 * a few hundred microseconds a request), a burst of 1,000 connections would hold the loop for a
 * large part of a second — and every timer with it: the rate limiter's next slot, the upstream
 * sends, other callers' answers. Here a request arriving while another is being admitted waits in
 * a FIFO queue, and one queued request is handled per turn (`setImmediate`), so timers and I/O run
 * between any two. Alone, a request is handled at once. The total work is the same; what changes
 * is that no stretch of it is longer than one request's.
 *
 * Hand-written because it is the server's own scheduling policy, in a dozen lines; queue libraries
 * (p-queue and the like) bound concurrency, not time on the loop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export function admitOnePerTurn(handle: RequestHandler): RequestHandler {
  const waiting: [IncomingMessage, ServerResponse][] = [];
  /** A turn has a request in it: later arrivals wait for the next turns. */
  let busy = false;

  const next = (): void => {
    const admitted = waiting.shift();
    if (!admitted) {
      busy = false;
      return;
    }
    handle(admitted[0], admitted[1]);
    setImmediate(next);
  };

  return (request, response) => {
    if (busy) {
      waiting.push([request, response]);
      return;
    }
    busy = true;
    handle(request, response);
    setImmediate(next);
  };
}
