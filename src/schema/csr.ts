/**
 * The CSR domain: the `batchDeleteCSRs` mutation and its result union. Validation happens here,
 * before anything reaches the engine; the rest is turning the engine's per-ID outcomes into
 * docs/contract.md §4's shape — a `BatchDeleteCSRsSuccess`, or one error type when every ID shares it.
 */
import { failed, groupOutcome, uniformFailure, type Settlement } from '../engine/outcome.js';
import { failure, GatewayCode } from '../tencent/codes.js';
import { builder } from './builder.js';
import { assertOperationWithinIdCap, DELETE_FIELD } from './operation-id-cap.js';
import {
  AuthFailureError,
  errorFor,
  FailedOperationError,
  InvalidCSRIdError,
  InvalidParameterError,
  RateLimitExceededError,
  TencentCloudErrorRef,
  type TencentCloudErrorBase,
  UpstreamUnavailableError,
} from './errors.js';

class BatchDeleteCSRsSuccess {
  deletedIds: number[] = [];
  notDeletedIds: number[] = [];
  unknownIds: number[] = [];
  errors: TencentCloudErrorBase[] = [];
  requestIds: string[] = [];
}

const SuccessRef = builder.objectType(BatchDeleteCSRsSuccess, {
  name: 'BatchDeleteCSRsSuccess',
  isTypeOf: (value) => value instanceof BatchDeleteCSRsSuccess,
  description:
    "What happened to the caller's IDs. Every distinct ID sent is in exactly one of deletedIds, notDeletedIds, " +
    'unknownIds or the csrIds of one of errors. Despite the name, some IDs may have failed: check errors and unknownIds. ' +
    'Honest accounting: an ID that any attempt may have deleted is only ever in deletedIds or unknownIds, never in ' +
    'notDeletedIds or errors, whatever failed afterwards.',
  fields: (t) => ({
    deletedIds: t.exposeIntList('deletedIds', { description: 'IDs that Tencent reported as deleted.' }),
    notDeletedIds: t.exposeIntList('notDeletedIds', {
      description:
        'IDs that Tencent answered for but did not delete: no such CSR in the account (e.g. already deleted). Nothing ' +
        'to do; sending them again gives the same answer.',
    }),
    unknownIds: t.exposeIntList('unknownIds', {
      description:
        'IDs whose outcome is unknown: a call may have deleted them, but its answer was lost (a timeout, a reset, an ' +
        'HTTP 5xx, an answer that was not Tencent\'s or had no Success list), no later answer listed them, and no existence ' +
        'check could tell (when a check finds such an ID gone it is in deletedIds). Whatever failed afterwards, such an ' +
        'ID is reported here, never in errors or notDeletedIds. Check them (or simply delete them again: deleting is ' +
        'idempotent, and an already-deleted ID comes back in notDeletedIds).',
    }),
    errors: t.field({
      type: [TencentCloudErrorRef],
      // Demand control: one entry per distinct code, rarely more than a few; routers that price
      // operations take the list to be this long instead of their global default.
      directives: { listSize: { assumedSize: 10 } },
      description:
        "IDs that this mutation did not delete, one entry per distinct code (ordered by code) with that code's " +
        'csrIds merged. Each error type says what to do.',
      resolve: (result) => result.errors,
    }),
    requestIds: t.exposeStringList('requestIds', {
      description: 'RequestIds of the Tencent calls that carried this caller\'s IDs (quote them to Tencent support).',
    }),
  }),
});

const BatchDeleteCSRsResult = builder.errorUnion('BatchDeleteCSRsResult', {
  description:
    'The outcome of batchDeleteCSRs: BatchDeleteCSRsSuccess whenever the IDs did not all end with the same error, ' +
    'otherwise that one error type, whose csrIds are all the distinct IDs sent. Select __typename, the fields of ' +
    'BatchDeleteCSRsSuccess, and `... on TencentCloudError { code message requestId csrIds }`.',
  types: [
    SuccessRef,
    InvalidCSRIdError,
    InvalidParameterError,
    FailedOperationError,
    RateLimitExceededError,
    AuthFailureError,
    UpstreamUnavailableError,
  ],
});

builder.mutationType({
  fields: (t) => ({
    [DELETE_FIELD]: t.field({
      type: BatchDeleteCSRsResult,
      description:
        'Deletes certificate signing requests (CSRs) by ID and accounts for every one of them (see BatchDeleteCSRsSuccess). ' +
        'Up to csrDeletionLimits.maxIdsPerMutation distinct IDs (10,000 by default); duplicates count once. The gateway ' +
        "merges concurrent callers' IDs into Tencent calls of at most 100 IDs and never exceeds the account's rate limit " +
        '(10 calls/s by default, shared by all callers), so a large list takes about 1 s per 1,000 IDs on an idle ' +
        'gateway, and IDs still unsent after csrDeletionLimits.mutationDeadlineMs come back as RateLimitExceededError. ' +
        'Deleting is idempotent: sending an ID again is always safe. Each caller sees only its own IDs. A caller without ' +
        'valid credentials gets a GraphQL error (extensions.code UNAUTHENTICATED, or FORBIDDEN without the required ' +
        'scope) instead of a result, and nothing is sent to Tencent.',
      args: {
        ids: t.arg.intList({
          required: true,
          // Demand control: a router applying the cost spec to list arguments (Apollo Router) counts
          // the weight once per ID, so a mutation's price grows with the IDs it sends.
          directives: { cost: { weight: 1 } },
          description:
            'The CSR IDs to delete, at least one. IDs ≤ 0 are refused without being sent (InvalidCSRIdError); an empty ' +
            'list, or more distinct IDs than csrDeletionLimits.maxIdsPerMutation, is refused whole (InvalidParameterError).',
        }),
      },
      resolve: async (_root, { ids }, context, info) => {
        const distinct = [...new Set(ids)];
        if (distinct.length === 0) {
          return errorFor(failure(GatewayCode.EmptyIdList, 'ids must contain at least one CSR ID; nothing was sent.'), []);
        }
        // MAX_IDS_PER_MUTATION per operation, across aliased fields (operation-id-cap.ts); one field over it is below.
        assertOperationWithinIdCap(context, info);
        if (distinct.length > context.limits.maxIdsPerMutation) {
          return errorFor(
            failure(
              GatewayCode.TooManyIds,
              `ids holds ${distinct.length} distinct IDs, more than the ${context.limits.maxIdsPerMutation} one mutation may carry; ` +
                'nothing was sent. Split the list.',
            ),
            distinct,
          );
        }
        // Refused IDs first, then the service's answers, in the order asked: the order of the lists,
        // and which failure of a code stands for the rest (docs/contract.md §4).
        const settlements = new Map<number, Settlement>();
        const requestIds = new Map<number, readonly string[]>();
        const valid = distinct.filter((id) => id > 0);
        if (valid.length < distinct.length) {
          // Made only when needed: classifying a code per mutation showed in the profile (issue 22).
          const invalidId = failed(failure(GatewayCode.InvalidCSRId, 'CSR IDs are positive integers; nothing was sent for these.'));
          for (const id of distinct) if (id <= 0) settlements.set(id, invalidId);
        }
        const outcomes = await context.csrDeleter.loadMany(valid);
        outcomes.forEach((outcome, index) => {
          const id = valid[index] as number;
          if (outcome instanceof Error) throw outcome;
          settlements.set(id, outcome.settlement);
          requestIds.set(id, outcome.requestIds);
        });
        // An error type at the top level only when every ID ended with the same code (docs/contract.md §4).
        const uniform = uniformFailure(settlements.values());
        if (uniform) return errorFor(uniform, distinct);
        const grouped = groupOutcome({ settlements, requestIds });
        const result = new BatchDeleteCSRsSuccess();
        result.deletedIds = grouped.deleted;
        result.notDeletedIds = grouped.notDeleted;
        result.unknownIds = grouped.unknown;
        result.errors = grouped.failed.map((group) => errorFor(group.failure, group.ids));
        result.requestIds = grouped.requestIds;
        return result;
      },
    }),
  }),
});

