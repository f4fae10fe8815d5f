/**
 * Deletion plans from the browser: `planCSRDeletion` (which of some IDs, or of a domain's CSRs, exist
 * now) and `startCSRDeletion(planId:)` (a job of exactly a plan's existing IDs).
 *
 * Interim: these two documents are written here, typed by hand, because the schema this branch is
 * built against has no `planCSRDeletion` yet (it lands with the read-plan branch) and codegen
 * compiles only documents the schema validates. When it lands they move to
 * schema/operations/plans.graphql (the text is the same) and come from schema/generated/ like the
 * others, with their hashes in the persisted-documents manifest. Until then a gateway without plans
 * answers with a validation error, and the page offers to delete the selection without a plan.
 */
import { gql, type TypedDocumentNode } from '@apollo/client';
import { callerContext, client, type Caller } from './client.js';
import type { Job } from './jobs.js';

export interface Plan {
  readonly __typename: 'CSRDeletionPlan';
  readonly id: string;
  readonly domain: string | null;
  readonly existingIds: readonly number[];
  readonly missingIds: readonly number[];
  readonly invalidIds: readonly number[];
  readonly estimatedCalls: number;
  readonly estimatedSeconds: number;
  readonly expiresAt: string;
}

/** Why no plan, or no job, was made: every error member carries a code and a message. */
interface Refusal {
  readonly __typename:
    | 'AuthFailureError'
    | 'FailedOperationError'
    | 'InvalidCSRIdError'
    | 'InvalidParameterError'
    | 'RateLimitExceededError'
    | 'UpstreamUnavailableError'
    | 'UnknownPlanError'
    | 'ExpiredPlanError'
    | 'IdempotencyKeyMismatchError';
  readonly code: string;
  readonly message: string;
}

export type PlanResult = Plan | Refusal;
export type PlannedStartResult = (Job & { readonly __typename: 'CSRDeletionJob' }) | Refusal;

const PLAN: TypedDocumentNode<{ planCSRDeletion: PlanResult }, { ids?: number[]; domain?: string }> = gql`
  mutation PlanCSRDeletion($ids: [Int!], $domain: String) {
    planCSRDeletion(ids: $ids, domain: $domain) {
      __typename
      ... on CSRDeletionPlan {
        id
        domain
        existingIds
        missingIds
        invalidIds
        estimatedCalls
        estimatedSeconds
        expiresAt
      }
      ... on TencentCloudError {
        code
        message
        requestId
      }
    }
  }
`;

const START_PLAN: TypedDocumentNode<{ startCSRDeletion: PlannedStartResult }, { planId: string }> = gql`
  mutation StartPlannedCSRDeletion($planId: ID!) {
    startCSRDeletion(planId: $planId) {
      __typename
      ... on CSRDeletionJob {
        id
        status
        total
        cancelRequested
        counts {
          deleted
          notDeleted
          unknown
          failed
          pending
        }
        createdAt
        finishedAt
      }
      ... on TencentCloudError {
        code
        message
      }
      ... on UnknownPlanError {
        code
        message
      }
      ... on ExpiredPlanError {
        code
        message
      }
      ... on IdempotencyKeyMismatchError {
        code
        message
      }
    }
  }
`;

export async function planDeletion(target: { ids: readonly number[] } | { domain: string }, caller: Caller): Promise<PlanResult> {
  const { data } = await client.mutate({
    mutation: PLAN,
    variables: 'ids' in target ? { ids: [...target.ids] } : { domain: target.domain },
    context: callerContext(caller),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.planCSRDeletion;
}

/** Starts the job of a plan; a plan makes one job, and the key says that this press is the same intent. */
export async function startPlan(planId: string, idempotencyKey: string, caller: Caller): Promise<PlannedStartResult> {
  const { data } = await client.mutate({
    mutation: START_PLAN,
    variables: { planId },
    context: callerContext(caller, { 'Idempotency-Key': idempotencyKey }),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.startCSRDeletion;
}
