/**
 * Dry runs (docs/contract.md §4, "Deletion plans"): `planCSRDeletion` says what a deletion would do —
 * which IDs exist, which do not, which could never — and what it would take, deleting nothing. The
 * plan is stored (src/jobs/planner.ts) so that `startCSRDeletion(planId:)` deletes exactly its
 * existingIds, on any replica, for the same caller, until it expires.
 */
import { ANONYMOUS_CALLER } from '../deletion/service.js';
import type { PlanRecord } from '../jobs/types.js';
import { builder } from './builder.js';
import { errorFor, errorTypeName, errorTypeRefs, InvalidParameterError, TencentCloudErrorBase } from './errors.js';
import { jobsOf } from './jobs.js';

const PlanRef = builder.objectRef<PlanRecord>('CSRDeletionPlan').implement({
  description:
    'What deleting some CSRs would do, found without deleting anything: every distinct ID asked for is in exactly one of ' +
    'existingIds, missingIds and invalidIds. Start it with startCSRDeletion(planId:), which deletes exactly existingIds, ' +
    'before expiresAt; only its caller can.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "The plan's ID (a UUID), for startCSRDeletion(planId:)." }),
    existingIds: t.intList({
      description: 'IDs that exist now, ascending: what a job started from this plan deletes, exactly. With domain: every CSR of that domain.',
      resolve: (plan) => [...plan.existingIds],
    }),
    missingIds: t.intList({
      description: 'IDs that do not exist (never did, or already deleted), ascending: a deletion would answer them NOT_DELETED.',
      resolve: (plan) => [...plan.missingIds],
    }),
    invalidIds: t.intList({
      description: 'IDs Tencent could never hold (≤ 0), ascending: never looked up, never sent. Duplicates are not invalid: an ID counts once.',
      resolve: (plan) => [...plan.invalidIds],
    }),
    estimatedCalls: t.exposeInt('estimatedCalls', { description: 'BatchDeleteCSR calls the deletion takes: existingIds ÷ 100, rounded up.' }),
    estimatedSeconds: t.exposeFloat('estimatedSeconds', {
      description:
        "How long those calls take at this gateway's rate limit as configured when the plan was made (TENCENTCLOUD_RATE_LIMIT: " +
        'one call per slot of its schedule, a little over 1 s ÷ the limit), with the limit to themselves. Other callers and ' +
        'jobs share the limit, and retries add calls: on a busy gateway the deletion takes longer.',
    }),
    expiresAt: t.string({
      description: 'When the plan can no longer start a job (ISO 8601): PLAN_TTL_MS after createdAt, 15 minutes by default.',
      resolve: (plan) => plan.expiresAt.toISOString(),
    }),
    createdAt: t.string({ description: 'When it was made (ISO 8601).', resolve: (plan) => plan.createdAt.toISOString() }),
    caller: t.exposeString('caller', { description: "Who made it, the only caller who can start it: the JWT's sub or the API key's name; anonymous with auth off." }),
    domain: t.exposeString('domain', { nullable: true, description: 'The domain whose CSRs it lists; null for a plan of given ids.' }),
    requestIds: t.stringList({
      description: '(extension) RequestIds of the Tencent reads (DescribeCSR, DescribeCSRSet) that found the IDs.',
      resolve: (plan) => [...plan.requestIds],
    }),
  }),
});

/** The errors a plan can meet: bad input, and the reads failing (the categories a read's failure falls in). */
const PLAN_ERRORS = new Set(['InvalidParameterError', 'FailedOperationError', 'RateLimitExceededError', 'AuthFailureError', 'UpstreamUnavailableError']);

const PlanResult = builder.unionType('PlanCSRDeletionResult', {
  description:
    'The plan (stored before this answer), or why none was made: InvalidParameterError (neither or both of ids and ' +
    'domain, an empty list, more than MAX_IDS_PER_JOB distinct IDs or CSRs of the domain, a malformed domain), or the ' +
    "error of the reads that find what exists (RateLimitExceededError, UpstreamUnavailableError, AuthFailureError, " +
    'FailedOperationError, with the code of the failure): then nothing was planned, and trying again later may work.',
  types: [PlanRef, ...errorTypeRefs.filter((ref) => PLAN_ERRORS.has(ref.name))],
  resolveType: (value) => (value instanceof TencentCloudErrorBase ? errorTypeName(value) : 'CSRDeletionPlan'),
});

builder.mutationFields((t) => ({
  planCSRDeletion: t.field({
    type: PlanResult,
    description:
      'A dry run: nothing is deleted. Give ids (up to MAX_IDS_PER_JOB, duplicates counted once) or a domain (every CSR of ' +
      'it), not both; the plan says which exist (existingIds), which do not (missingIds) and which are malformed ' +
      '(invalidIds), and how many calls and seconds deleting them would take. Start it with startCSRDeletion(planId:) ' +
      'before it expires (15 minutes by default). Needs the delete scope: it previews a deletion.',
    args: {
      ids: t.arg.intList({ required: false, description: 'The CSR IDs to look up (duplicates count once).' }),
      domain: t.arg.string({ required: false, description: "A domain: the plan lists every CSR whose domain is exactly this one (Tencent's DescribeCSRSet)." }),
    },
    resolve: async (_root, args, context) => {
      const outcome = await jobsOf(context).planner.plan({
        caller: context.caller?.id ?? ANONYMOUS_CALLER,
        ids: args.ids ?? null,
        domain: args.domain ?? null,
        deadline: context.deadline,
      });
      if (outcome.kind === 'planned') return outcome.plan;
      if (outcome.kind === 'refused') return new InvalidParameterError({ code: outcome.code, message: outcome.message }, []);
      return errorFor(outcome.failure, outcome.csrIds);
    },
  }),
}));
