/**
 * A circuit breaker for the Tencent endpoint's connections: after `threshold` connect failures in a
 * row (the host does not resolve, refuses, or cannot be reached — `Gateway.UpstreamConnectFailed`,
 * which proves nothing was sent), new calls are answered at once with `Gateway.UpstreamCircuitOpen`
 * instead of each waiting out connect timeouts and retries until its mutation's deadline (30 s by
 * default). After `openMs` one call goes through as a probe (half-open): if it connects the circuit
 * closes, if not it opens again for twice as long, up to `maxOpenMs`.
 *
 * Only connect failures count: an answer of any kind (an error code, a 5xx, a timeout after the
 * request was written) means the endpoint is reachable, and those have their own handling.
 *
 * Hand-written rather than cockatiel's or opossum's breaker: the decision is the product's own (which
 * failures count, what a refusal is), made on returned values rather than thrown errors, and it must
 * be readable synchronously by readiness and the logs; the whole state machine is the pure function
 * `next` below, tested as a table with a fake clock.
 */
import type { BatchDeleteClient, BatchDeleteResult } from '../engine/client.js';
import type { Logger } from '../logger.js';
import { failure, GatewayCode } from './codes.js';

export type BreakerState =
  | { readonly kind: 'closed'; readonly failures: number }
  | { readonly kind: 'open'; readonly until: number; readonly openMs: number }
  | { readonly kind: 'halfOpen'; readonly openMs: number };

export type BreakerEvent =
  | { readonly kind: 'admit'; readonly now: number }
  | { readonly kind: 'result'; readonly connectFailed: boolean; readonly now: number; readonly probe: boolean };

export interface BreakerSettings {
  readonly threshold: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
}

export const BREAKER_SETTINGS: BreakerSettings = { threshold: 5, openMs: 5_000, maxOpenMs: 60_000 };

export const CLOSED: BreakerState = { kind: 'closed', failures: 0 };

/** What to do with a call, and the state after the event. */
export interface Step {
  readonly state: BreakerState;
  /** For `admit`: send it (`call`), send it as the half-open probe (`probe`), or refuse it at once. */
  readonly decision?: 'call' | 'probe' | 'refuse';
}

export function next(state: BreakerState, event: BreakerEvent, settings: BreakerSettings = BREAKER_SETTINGS): Step {
  if (event.kind === 'admit') {
    if (state.kind === 'closed') return { state, decision: 'call' };
    if (state.kind === 'open' && event.now >= state.until) return { state: { kind: 'halfOpen', openMs: state.openMs }, decision: 'probe' };
    // Open, or half-open with its probe in flight: nobody else waits on a host that does not answer.
    return { state, decision: 'refuse' };
  }
  if (state.kind === 'closed') {
    if (!event.connectFailed) return { state: state.failures === 0 ? state : CLOSED };
    const failures = state.failures + 1;
    return { state: failures >= settings.threshold ? { kind: 'open', until: event.now + settings.openMs, openMs: settings.openMs } : { kind: 'closed', failures } };
  }
  if (state.kind === 'halfOpen' && event.probe) {
    if (!event.connectFailed) return { state: CLOSED };
    const openMs = Math.min(state.openMs * 2, settings.maxOpenMs);
    return { state: { kind: 'open', until: event.now + openMs, openMs } };
  }
  // A call admitted before the circuit opened, ending now: the state already says what it would.
  return { state };
}

export interface BreakerObserver {
  /** Told on every change of kind (closed → open, open → halfOpen, …). */
  (from: BreakerState, to: BreakerState): void;
}

/** The client behind the breaker; `state` is what readiness reports. */
export class CircuitBreakerClient implements BatchDeleteClient {
  readonly #client: BatchDeleteClient;
  readonly #now: () => number;
  readonly #settings: BreakerSettings;
  readonly #observe: BreakerObserver | undefined;
  #state: BreakerState = CLOSED;

  constructor(client: BatchDeleteClient, options: { now?: () => number; settings?: BreakerSettings; observe?: BreakerObserver } = {}) {
    this.#client = client;
    this.#now = options.now ?? Date.now;
    this.#settings = options.settings ?? BREAKER_SETTINGS;
    this.#observe = options.observe;
  }

  get secretId(): string {
    return this.#client.secretId;
  }

  get state(): BreakerState {
    return this.#state;
  }

  async batchDeleteCSR(...args: Parameters<BatchDeleteClient['batchDeleteCSR']>): Promise<BatchDeleteResult> {
    const { decision } = this.#apply({ kind: 'admit', now: this.#now() });
    if (decision === 'refuse') {
      return {
        ok: false,
        failure: failure(
          GatewayCode.UpstreamCircuitOpen,
          'The Tencent Cloud endpoint could not be connected to several times in a row; calls are refused at once until a probe connects',
        ),
      };
    }
    const result = await this.#client.batchDeleteCSR(...args);
    const connectFailed = !result.ok && result.failure.code === GatewayCode.UpstreamConnectFailed;
    this.#apply({ kind: 'result', connectFailed, now: this.#now(), probe: decision === 'probe' });
    return result;
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  #apply(event: BreakerEvent): Step {
    const from = this.#state;
    const step = next(from, event, this.#settings);
    this.#state = step.state;
    if (step.state.kind !== from.kind) this.#observe?.(from, step.state);
    return step;
  }
}

/** The breaker's transitions as log lines: warn when it opens, info when a probe starts or it closes. */
export function logBreaker(logger: Pick<Logger, 'warn' | 'info'>, endpoint: URL): BreakerObserver {
  return (from, to) => {
    const where = { endpoint: endpoint.origin };
    if (to.kind === 'open') {
      logger.warn(
        { ...where, openMs: to.openMs },
        `Tencent endpoint circuit open: it could not be connected to (${from.kind === 'closed' ? 'repeatedly' : 'the probe failed'}); ` +
          `calls are answered at once with ${GatewayCode.UpstreamCircuitOpen} until a probe connects`,
      );
    } else if (to.kind === 'halfOpen') {
      logger.info(where, 'Tencent endpoint circuit half-open: one call probes the connection');
    } else {
      logger.info(where, 'Tencent endpoint circuit closed: the probe connected');
    }
  };
}
