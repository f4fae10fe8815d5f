/**
 * `MAX_IDS_PER_MUTATION` holds per operation, not per field, and is enforced here, once, by the
 * mutation itself.
 *
 * An operation may carry several aliased `batchDeleteCSRs` fields, which GraphQL executes one after
 * the other; a per-field check alone would let the first fields delete before a later one is
 * refused, and aliases would multiply the cap. So each field counts the distinct IDs of *all* the
 * operation's `batchDeleteCSRs` fields (from the plan the edge made before execution,
 * `context.operation`), once per operation. Over the cap:
 *   - one field: the typed `InvalidParameterError` (`Gateway.TooManyIds`), with its IDs — the
 *     mutation's own answer (docs/contract.md §4);
 *   - several fields: the first one to execute refuses the whole operation with a GraphQL error
 *     (`BAD_USER_INPUT`, docs/contract.md §3) before anything is sent.
 * (Distinct, because one operation's fields share their IDs' outcomes: see csr-deleter.ts.)
 */
import { getArgumentValues, Kind, type FieldNode, type GraphQLField, type GraphQLResolveInfo } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { planOperation } from '../operation/plan.js';
import type { GatewayContext } from './builder.js';

export const DELETE_FIELD = 'batchDeleteCSRs';

interface OperationIds {
  readonly fields: number;
  readonly distinctIds: number;
}

const counted = new WeakMap<GatewayContext, OperationIds>();

/** Throws when the operation's `batchDeleteCSRs` fields together carry more distinct IDs than the cap. */
export function assertOperationWithinIdCap(context: GatewayContext, info: GraphQLResolveInfo): void {
  // The common case, one root field: the mutation's own check covers it.
  if (context.operation && context.operation.rootFields.length < 2) return;
  let operation = counted.get(context);
  if (!operation) {
    operation = countOperationIds(context, info);
    counted.set(context, operation);
  }
  const cap = context.limits.maxIdsPerMutation;
  if (operation.fields < 2 || operation.distinctIds <= cap) return;
  throw createGraphQLError(
    `This operation's ${operation.fields} ${DELETE_FIELD} fields carry ${operation.distinctIds} distinct IDs together, more ` +
      `than the ${cap} one operation may carry (MAX_IDS_PER_MUTATION); nothing was sent. Split the work into several operations.`,
    { extensions: { code: 'BAD_USER_INPUT' } },
  );
}

function countOperationIds(context: GatewayContext, info: GraphQLResolveInfo): OperationIds {
  // The edge plans every operation; a schema executed without it plans here.
  const plan =
    context.operation ??
    planOperation({
      schema: info.schema,
      document: { kind: Kind.DOCUMENT, definitions: [info.operation, ...Object.values(info.fragments)] },
      variableValues: info.variableValues,
    });
  const nodes = (plan?.rootFields ?? info.fieldNodes).filter((node) => node.name.value === DELETE_FIELD);
  const field = info.parentType.getFields()[DELETE_FIELD];
  // One field is checked by the mutation itself, against its own IDs: nothing to count.
  if (nodes.length < 2 || !field) return { fields: nodes.length, distinctIds: 0 };
  const ids = new Set<number>();
  for (const node of nodes) for (const id of idsOf(field, node, info.variableValues)) ids.add(id);
  return { fields: nodes.length, distinctIds: ids.size };
}

function idsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): readonly number[] {
  try {
    const { ids } = getArgumentValues(field, node, variables) as { ids?: readonly number[] };
    return ids ?? [];
  } catch {
    // Arguments that do not coerce are execution's to report; that field will send nothing.
    return [];
  }
}
