/**
 * An in-memory Tencent for exact engine tests, in the spirit of DataLoader's own tests that record
 * every batch: it records each call the engine sends (its IDs, and when it went on the fake clock),
 * answers from a store of existing IDs, and takes a script of answers for particular calls.
 *
 * It honours the send hooks as the real client does: `beforeSend` is asked right before the call
 * "goes" (after `sendLagMs`, standing for the time a busy process takes to reach the socket), and a
 * refused send is not recorded.
 */
import type { BatchDeleteClient, BatchDeleteResult, SendHooks } from '../../../../src/engine/client.js';
import { SLOT_MISSED } from '../../../../src/tencent/client.js';
import { failure, type TencentFailure } from '../../../../src/tencent/codes.js';

export interface RecordedCall {
  readonly ids: readonly number[];
  /** `Date.now()` when it went. */
  readonly sentAt: number;
}

/** How to answer one call: a result, or a failure after applying the delete (a lost answer). */
export type Answer =
  | { readonly kind: 'normal' }
  | { readonly kind: 'fail'; readonly failure: TencentFailure; readonly applied?: boolean };

export class RecordingClient implements BatchDeleteClient {
  readonly secretId = 'AKIDRECORDING';
  readonly calls: RecordedCall[] = [];
  readonly store: Set<number>;
  /** Tencent rejects a call carrying any of these with `InvalidParameter.InvalidCSRId`. */
  readonly invalid = new Set<number>();
  /** How long each call takes to answer, on the fake clock. */
  latencyMs = 20;
  /** Per call (in order of `batchDeleteCSR` calls), time before it reaches the socket. */
  sendLagMs: (index: number) => number = () => 0;
  /** Per sent call (index into `calls`), how to answer; normal when absent. */
  answers: (call: RecordedCall, index: number) => Answer = () => ({ kind: 'normal' });
  #attempts = 0;

  constructor(existing: Iterable<number> = range(1, 100_000)) {
    this.store = new Set(existing);
  }

  async batchDeleteCSR(ids: readonly number[], hooks?: SendHooks): Promise<BatchDeleteResult> {
    const lag = this.sendLagMs(this.#attempts++);
    if (lag > 0) await wait(lag);
    if (hooks?.beforeSend && !hooks.beforeSend()) return SLOT_MISSED;
    const call: RecordedCall = { ids: [...ids], sentAt: Date.now() };
    const index = this.calls.push(call) - 1;
    hooks?.afterSend?.();
    const answer = this.answers(call, index);
    await wait(this.latencyMs);
    if (answer.kind === 'fail') {
      if (answer.applied) this.#apply(ids);
      return { ok: false, failure: answer.failure };
    }
    if (ids.some((id) => this.invalid.has(id))) {
      return { ok: false, failure: failure('InvalidParameter.InvalidCSRId', 'Incorrect CSR ID.', { requestId: `req-${index}` }) };
    }
    return { ok: true, deleted: this.#apply(ids), requestId: `req-${index}` };
  }

  async close(): Promise<void> {}

  /** The most calls sent within any `windowMs`. */
  maxCallsInWindow(windowMs = 1_000): number {
    const times = this.calls.map((call) => call.sentAt).sort((a, b) => a - b);
    let max = 0;
    for (let end = 0, start = 0; end < times.length; end++) {
      while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }

  #apply(ids: readonly number[]): number[] {
    const deleted = ids.filter((id) => this.store.has(id));
    for (const id of deleted) this.store.delete(id);
    return deleted;
  }
}

/** The global timer, so that fake timers drive it. */
function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
