/**
 * An in-memory existence checker for exact engine tests: it looks the IDs up in the recording
 * client's store (the same Tencent the deletes went to), records each check and when it ran on the
 * fake clock, and can be told to fail — the read side's limit, a read error, the deadline. Like the
 * real one, it gives up at its deadline (`Gateway.DeadlineExceeded`) when it would take longer.
 */
import type { ExistenceAnswer, ExistenceChecker } from '../../../../src/engine/existence.js';
import { failure, GatewayCode, type TencentFailure } from '../../../../src/tencent/codes.js';
import type { RecordingClient } from './recording-client.js';

export interface RecordedCheck {
  readonly ids: readonly number[];
  /** `Date.now()` when it was asked. */
  readonly at: number;
  readonly deadline: number;
}

export class FakeChecker implements ExistenceChecker {
  readonly checks: RecordedCheck[] = [];
  /** How long each check takes, on the fake clock. */
  latencyMs = 10;
  /** And how much longer per ID (a `DescribeCSR` each, 100 ms apart at 10 a second). */
  perIdMs = 0;
  /** Whether the check with this index (into `checks`) fails. */
  fails: (index: number) => boolean = () => false;
  /** What a failing check answers. */
  failure: TencentFailure = failure('ResourceUnavailable', 'The read side is unavailable.');
  /** Checks running now, and the most ever at once. */
  running = 0;
  maxRunning = 0;

  constructor(readonly tencent: Pick<RecordingClient, 'store'>) {}

  async check(ids: readonly number[], { deadline }: { readonly deadline: number }): Promise<ExistenceAnswer> {
    const index = this.checks.push({ ids: [...ids], at: Date.now(), deadline }) - 1;
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const takes = this.latencyMs + this.perIdMs * ids.length;
      if (Date.now() + takes > deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
        return { ok: false, failure: failure(GatewayCode.DeadlineExceeded, 'No read slot came before the deadline; nothing was sent.') };
      }
      await new Promise((resolve) => setTimeout(resolve, takes));
      if (this.fails(index)) return { ok: false, failure: { ...this.failure, requestId: `check-fail-${index}` } };
      return { ok: true, existing: new Set(ids.filter((id) => this.tencent.store.has(id))), requestIds: [`check-${index}`] };
    } finally {
      this.running -= 1;
    }
  }
}
