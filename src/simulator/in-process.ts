/**
 * The simulator reached without a socket: an undici dispatcher that hands each request to
 * `TencentSslSimulator.answer` in the same process and plays the answer back through undici's handler
 * protocol. The gateway's real client runs on top of it unchanged (`SslClientOptions.dispatcher`):
 * it signs, runs its send hooks, and reads the answer or the failure exactly as over HTTP, and the
 * simulator checks the signature, keeps its store, log and rate limit, and applies queued faults.
 *
 * What it cannot stand for is the network itself: a dropped connection arrives as undici's
 * `SocketError` ("other side closed"), the error a real reset gives, but connection limits, keep-alive
 * and timing on the wire are for the tests that run the simulator over HTTP.
 *
 * Hand-written because undici's MockAgent answers from canned replies, while this has to run the
 * simulator's own (asynchronous) logic per request; the protocol it speaks is undici's
 * `Dispatcher.dispatch` with a controller, as undici's own dispatchers do.
 */
import { Dispatcher, errors as undiciErrors } from 'undici';
import type { SimulatorRequest, TencentSslSimulator } from './simulator.js';

type Handler = Dispatcher.DispatchHandler;

/** The controller undici hands a handler: abort stops the request, and nothing is delivered after it. */
class Controller implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;

  constructor(private readonly handler: Handler) {}

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.handler.onResponseError?.(this, reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }
}

export class InProcessSimulatorDispatcher extends Dispatcher {
  // Plain properties, not #private ones: `Dispatcher.compose` hands out a Proxy of this object, and
  // a method called through it cannot reach #private fields.
  private readonly host: string;
  private closed = false;

  /** `endpoint` is the URL the client is configured with: its host is what the signature covers. */
  constructor(
    private readonly simulator: TencentSslSimulator,
    endpoint: URL,
  ) {
    super();
    this.host = endpoint.host;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const controller = new Controller(handler);
    if (this.closed) {
      queueMicrotask(() => controller.abort(new undiciErrors.ClientClosedError()));
      return true;
    }
    // Like undici, the request "goes" right after onRequestStart unless the handler aborted it there.
    handler.onRequestStart?.(controller, {});
    if (controller.aborted) return true;
    const request: SimulatorRequest = {
      method: options.method,
      url: options.path,
      headers: { ...headersOf(options.headers), host: this.host },
      body: bodyOf(options.body),
    };
    void this.simulator.answer(request).then(
      (answer) => {
        if (controller.aborted) return;
        if (answer.kind === 'drop') {
          controller.abort(new undiciErrors.SocketError('other side closed'));
          return;
        }
        handler.onResponseStart?.(controller, answer.status, { ...answer.headers }, '');
        if (controller.aborted) return;
        handler.onResponseData?.(controller, Buffer.from(answer.body));
        if (controller.aborted) return;
        handler.onResponseEnd?.(controller, {});
      },
      (error: unknown) => controller.abort(error instanceof Error ? error : new Error(String(error))),
    );
    return true;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    if (callback) return void queueMicrotask(callback);
    return Promise.resolve();
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(...args: unknown[]): Promise<void> | void {
    this.closed = true;
    const callback = args.find((arg): arg is () => void => typeof arg === 'function');
    if (callback) return void queueMicrotask(callback);
    return Promise.resolve();
  }
}

type HeaderValue = string | number | readonly string[] | undefined;

/** Header names in lower case, one value each, from any of the forms undici accepts. */
function headersOf(headers: Dispatcher.DispatchOptions['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers) return result;
  const entries: Iterable<[string, HeaderValue]> = Array.isArray(headers)
    ? pairs(headers)
    : Symbol.iterator in headers
      ? (headers as Iterable<[string, HeaderValue]>)
      : Object.entries(headers as Record<string, HeaderValue>);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (value === undefined || key in result) continue;
    result[key] = typeof value === 'string' || typeof value === 'number' ? String(value) : (value[0] ?? '');
  }
  return result;
}

/** undici's flat `[name, value, name, value, …]` form. */
function* pairs(flat: readonly string[]): Iterable<[string, HeaderValue]> {
  for (let i = 0; i + 1 < flat.length; i += 2) yield [flat[i] ?? '', flat[i + 1]];
}

function bodyOf(body: Dispatcher.DispatchOptions['body']): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError('the in-process simulator takes string or byte bodies only');
}
