/**
 * `Query.csrDeletionLimits`: the configured limits, so that a frontend can size its input (and show
 * how long a large deletion will take) before it sends anything. An extension of docs/contract.md §4.
 */
import { builder, type DeletionLimits } from './builder.js';

const DeletionLimitsRef = builder.objectRef<DeletionLimits>('CSRDeletionLimits').implement({
  description: 'The limits batchDeleteCSRs works within, as this gateway is configured.',
  fields: (t) => ({
    maxIdsPerMutation: t.exposeInt('maxIdsPerMutation', {
      description: 'The most distinct IDs one batchDeleteCSRs mutation may carry; more get InvalidParameterError.',
    }),
    maxIdsPerCall: t.exposeInt('maxIdsPerCall', {
      description: "The most IDs one Tencent BatchDeleteCSR call carries (Tencent's own limit).",
    }),
    callsPerSecond: t.exposeInt('callsPerSecond', {
      description:
        'Tencent calls per second the gateway allows itself, shared by all callers: the throughput ceiling is ' +
        'callsPerSecond × maxIdsPerCall IDs per second.',
    }),
    mutationDeadlineMs: t.exposeInt('mutationDeadlineMs', {
      description: 'How long a mutation may wait for the rate limit and retries before its unsent IDs get RateLimitExceededError.',
    }),
  }),
});

builder.queryType({
  fields: (t) => ({
    csrDeletionLimits: t.field({
      type: DeletionLimitsRef,
      description:
        'The limits batchDeleteCSRs works within; check input against them before sending. Public: answered without ' +
        'credentials, even when caller authentication is on.',
      resolve: (_root, _args, context) => context.limits,
    }),
  }),
});
