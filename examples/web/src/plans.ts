/**
 * Deletion plans from the browser: `planCSRDeletion` (which of some IDs, or of a domain's CSRs, exist
 * now) and `startCSRDeletion(planId:)` (a job of exactly a plan's existing IDs), as the generated
 * documents of schema/operations/plans.graphql.
 *
 * A gateway without plans answers with a validation error (`Cannot query field "planCSRDeletion"`),
 * and the page offers to delete the selection as a job of its IDs instead (browse.ts).
 */
import type { ResultOf } from '@graphql-typed-document-node/core';
import { PlanCSRDeletionDocument, StartPlannedCSRDeletionDocument } from '../../../schema/generated/graphql.js';
import { callerContext, client, type Caller } from './client.js';

export type PlanResult = ResultOf<typeof PlanCSRDeletionDocument>['planCSRDeletion'];
export type Plan = Extract<PlanResult, { __typename: 'CSRDeletionPlan' }>;
export type PlannedStartResult = ResultOf<typeof StartPlannedCSRDeletionDocument>['startCSRDeletion'];

export async function planDeletion(target: { ids: readonly number[] } | { domain: string }, caller: Caller): Promise<PlanResult> {
  const { data } = await client.mutate({
    mutation: PlanCSRDeletionDocument,
    variables: 'ids' in target ? { ids: [...target.ids] } : { domain: target.domain },
    context: callerContext(caller),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.planCSRDeletion;
}

/** Starts the job of a plan; a plan makes one job, and the key says that this press is the same intent. */
export async function startPlan(planId: string, idempotencyKey: string, caller: Caller): Promise<PlannedStartResult> {
  const { data } = await client.mutate({
    mutation: StartPlannedCSRDeletionDocument,
    variables: { planId },
    context: callerContext(caller, { 'Idempotency-Key': idempotencyKey }),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.startCSRDeletion;
}
