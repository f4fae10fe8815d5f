/**
 * An in-memory existence checker for exact engine tests: it looks the IDs up in the recording
 * client's store (the same Tencent the deletes went to), records each check and when it ran on the
 * fake clock, and can be told to fail — the read side's limit, a read error, the deadline.
 */
import type { ExistenceAnswer, ExistenceChecker } from '../../../../src/engine/existence.js';
import { failure } from '../../../../src/tencent/codes.js';
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
  /** Whether the check with this index (into `checks`) fails. */
  fails: (index: number) => boolean = () => false;

  constructor(readonly tencent: Pick<RecordingClient, 'store'>) {}

  async check(ids: readonly number[], { deadline }: { readonly deadline: number }): Promise<ExistenceAnswer> {
    const index = this.checks.push({ ids: [...ids], at: Date.now(), deadline }) - 1;
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.fails(index)) {
      return { ok: false, failure: failure('ResourceUnavailable', 'The read side is unavailable.', { requestId: `check-fail-${index}` }) };
    }
    return { ok: true, existing: new Set(ids.filter((id) => this.tencent.store.has(id))), requestIds: [`check-${index}`] };
  }
}
