/**
 * Failures grouped per error code (docs/contract.md §4): the first failure of a code stands for all
 * of that code's IDs (its message and RequestId). The engine groups each caller's failures this way,
 * and the mutation again, across its own refusals and the engine's answers.
 */
import type { TencentFailure } from '../tencent/codes.js';
import type { FailureGroup } from './types.js';

export class FailureGroups {
  readonly #byCode = new Map<string, FailureGroup>();

  add(failure: TencentFailure, id: number): void {
    const group = this.#byCode.get(failure.code);
    if (group) group.ids.push(id);
    else this.#byCode.set(failure.code, { failure, ids: [id] });
  }

  /** The groups, in order of code. */
  inOrder(): FailureGroup[] {
    return [...this.#byCode.values()].sort((a, b) => (a.failure.code < b.failure.code ? -1 : 1));
  }
}
