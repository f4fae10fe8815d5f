/**
 * What happened to each ID the user typed: the result union turned into one row per distinct ID, in
 * the user's order. Every ID sent is in exactly one place of the result (the schema's partition), so
 * each gets exactly one row.
 */
import type { ResultOf } from '@graphql-typed-document-node/core';
import type { BatchDeleteCSRsDocument } from '../../../schema/generated/graphql.js';

export type BatchDeleteCSRsResult = ResultOf<typeof BatchDeleteCSRsDocument>['batchDeleteCSRs'];

type SuccessResult = Extract<BatchDeleteCSRsResult, { __typename: 'BatchDeleteCSRsSuccess' }>;
/** An error: the result itself (every ID ended with it), or one entry of a success's `errors`. */
type ErrorResult = Exclude<BatchDeleteCSRsResult, SuccessResult> | SuccessResult['errors'][number];

export interface FailedWith {
  /** The error type, e.g. `RateLimitExceededError`: it says whether sending the ID again can help. */
  readonly type: ErrorResult['__typename'];
  readonly code: string;
  readonly message: string;
  /** Tencent's RequestId, when the error came back from Tencent (quote it to Tencent support). */
  readonly requestId: string | null;
}

export type IdOutcome =
  | { readonly id: number; readonly outcome: 'deleted' | 'not deleted' | 'unknown' }
  | { readonly id: number; readonly outcome: 'failed'; readonly error: FailedWith };

/** The IDs in text as typed (commas, spaces or lines between them), and the pieces that are not integers. */
export function parseIds(text: string): { ids: number[]; rejected: string[] } {
  const pieces = text.split(/[\s,;]+/).filter((piece) => piece !== '');
  const isInteger = (piece: string) => /^[+-]?\d+$/.test(piece);
  return { ids: pieces.filter(isInteger).map(Number), rejected: pieces.filter((piece) => !isInteger(piece)) };
}

export function outcomesById(sent: readonly number[], result: BatchDeleteCSRsResult): IdOutcome[] {
  const byId = new Map<number, IdOutcome>();
  const failed = ({ __typename: type, code, message, requestId, csrIds }: ErrorResult) => {
    for (const id of csrIds) byId.set(id, { id, outcome: 'failed', error: { type, code, message, requestId } });
  };
  if (result.__typename === 'BatchDeleteCSRsSuccess') {
    for (const id of result.deletedIds) byId.set(id, { id, outcome: 'deleted' });
    for (const id of result.notDeletedIds) byId.set(id, { id, outcome: 'not deleted' });
    for (const id of result.unknownIds) byId.set(id, { id, outcome: 'unknown' });
    result.errors.forEach(failed);
  } else {
    failed(result);
  }
  return [...new Set(sent)].flatMap((id) => byId.get(id) ?? []);
}
