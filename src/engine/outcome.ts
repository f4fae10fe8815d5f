/**
 * What a submission's IDs came to, in one shape from the engine's ticket to whoever answers for them
 * (the mutation, the audit trail, tracing, a deletion job): a settlement per ID and the RequestIds
 * of the calls that carried it. Nothing reshapes it on the way; a reader that wants the IDs grouped
 * by outcome (the mutation's answer, a span's counts) asks `groupOutcome`, the one grouping function.
 *
 * The outcome kinds are listed once, in `Settlement`. Adding a kind touches that type and
 * `groupOutcome`; every vocabulary keyed by `OutcomeKind` (the audit's outcome names, the span
 * attributes) is then pointed out by the compiler.
 *
 * Honest accounting (docs/contract.md §4): an ID that any attempt may have deleted is settled
 * `deleted` (an answer said so) or `unknown` — never `notDeleted` or `failed`, whatever failed
 * afterwards (decision.ts decides this, and nothing else does).
 */
import type { TencentFailure } from '../tencent/codes.js';

/** What happened to one ID. */
export type Settlement =
  /**
   * Tencent reported it deleted — or, with `evidence: 'check'`, a call that carried it lost its
   * answer and an existence check then found it gone (existence.ts): the answer is what the check saw.
   */
  | { readonly kind: 'deleted'; readonly evidence?: 'check' }
  /** Tencent answered for it but did not delete it (e.g. no such CSR). */
  | { readonly kind: 'notDeleted' }
  /**
   * A call may have deleted it, but its answer was lost and neither a later answer nor an existence
   * check (when there is a checker) settled it.
   */
  | { readonly kind: 'unknown' }
  /** Not deleted by this submission, with the failure that ended it. */
  | { readonly kind: 'failed'; readonly failure: TencentFailure };

export type OutcomeKind = Settlement['kind'];

// Settlements without a payload are shared: a ticket settles up to 10,000 IDs.
export const DELETED: Settlement = Object.freeze({ kind: 'deleted' });
export const NOT_DELETED: Settlement = Object.freeze({ kind: 'notDeleted' });
export const UNKNOWN: Settlement = Object.freeze({ kind: 'unknown' });
/** Deleted, as an existence check found it after the answer of a call that carried it was lost. */
export const DELETED_BY_CHECK: Settlement = Object.freeze({ kind: 'deleted', evidence: 'check' });

export function failed(failure: TencentFailure): Settlement {
  return { kind: 'failed', failure };
}

/** What one submission's distinct IDs came to: every ID has exactly one settlement. */
export interface DeletionOutcome {
  /** ID → its settlement, in the order the IDs were settled. */
  readonly settlements: ReadonlyMap<number, Settlement>;
  /** ID → the RequestIds of the Tencent calls that carried it (IDs no answer came for are absent). */
  readonly requestIds: ReadonlyMap<number, readonly string[]>;
}

/** An outcome whose every ID failed with `failure`, before anything was sent (no RequestIds). */
export function allFailed(ids: readonly number[], failure: TencentFailure): DeletionOutcome {
  const settlement = failed(failure);
  return { settlements: new Map(ids.map((id) => [id, settlement])), requestIds: new Map() };
}

/** The failed IDs of one error code; the first failure of the code stands for all (its message and RequestId). */
export interface FailureGroup {
  readonly failure: TencentFailure;
  readonly ids: number[];
}

/** IDs grouped by outcome: one list per kind, failures one group per code. */
export type GroupedOutcome = { readonly [K in Exclude<OutcomeKind, 'failed'>]: number[] } & {
  /** One group per error code, in order of code; within a group, IDs in the order given. */
  readonly failed: FailureGroup[];
  /** The RequestIds of the calls that carried any of the IDs, each once. */
  readonly requestIds: string[];
};

/**
 * The one grouping function. Lists keep the order of `settlements`; failures are grouped per code
 * (docs/contract.md §4: one entry per code, ordered by code, the first failure of a code standing
 * for all of its IDs).
 */
export function groupOutcome({
  settlements,
  requestIds = new Map(),
}: {
  readonly settlements: Iterable<readonly [number, Settlement]>;
  readonly requestIds?: ReadonlyMap<number, readonly string[]>;
}): GroupedOutcome {
  const grouped = { deleted: [] as number[], notDeleted: [] as number[], unknown: [] as number[] };
  const failures = new Map<string, FailureGroup>();
  const calls = new Set<string>();
  for (const [id, settlement] of settlements) {
    switch (settlement.kind) {
      case 'deleted':
      case 'notDeleted':
      case 'unknown':
        grouped[settlement.kind].push(id);
        break;
      case 'failed': {
        const group = failures.get(settlement.failure.code);
        if (group) group.ids.push(id);
        else failures.set(settlement.failure.code, { failure: settlement.failure, ids: [id] });
        break;
      }
    }
    for (const requestId of requestIds.get(id) ?? []) calls.add(requestId);
  }
  const failedGroups = [...failures.values()].sort((a, b) => (a.failure.code < b.failure.code ? -1 : 1));
  return { ...grouped, failed: failedGroups, requestIds: [...calls] };
}

/** How many IDs came to each outcome kind. */
export type OutcomeCounts = { readonly [K in OutcomeKind]: number };

/**
 * How many IDs came to each kind, without listing them: what a span's attributes say, for every
 * traced submission, where `groupOutcome`'s lists and sets would be made only to be counted.
 */
export function countOutcome(settlements: Iterable<Settlement>): OutcomeCounts {
  const counts = { deleted: 0, notDeleted: 0, unknown: 0, failed: 0 };
  for (const settlement of settlements) counts[settlement.kind]++;
  return counts;
}

/**
 * The failure every ID ended with, when there is one and there are IDs: docs/contract.md §4 answers
 * such a mutation with that one error type at the top level instead of a success listing it.
 */
export function uniformFailure(settlements: Iterable<Settlement>): TencentFailure | undefined {
  let first: TencentFailure | undefined;
  for (const settlement of settlements) {
    if (settlement.kind !== 'failed') return undefined;
    if (!first) first = settlement.failure;
    else if (settlement.failure.code !== first.code) return undefined;
  }
  return first;
}
