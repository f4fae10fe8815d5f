/**
 * `MAX_IDS_PER_MUTATION` holds per operation, not per field.
 *
 * The mutation's own check sees one field's IDs; an operation may carry several aliased
 * `batchDeleteCSRs` fields, which GraphQL executes one after the other — so a per-field check alone
 * would let the first fields delete before a later one is refused, and aliases would multiply the
 * cap. Here the distinct IDs of all of the operation's `batchDeleteCSRs` fields are counted before
 * anything executes, and an operation over the cap is refused whole: nothing is sent to Tencent.
 * (Distinct, because one operation's fields share their IDs' outcomes: see csr-deleter.ts.)
 */
import { getArgumentValues, OperationTypeNode, type FieldNode, type GraphQLField } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { asExecutionArgs, planOperation } from './operation.js';

const FIELD = 'batchDeleteCSRs';

export function useOperationIdLimit(maxIdsPerOperation: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const input = asExecutionArgs(args);
      const plan = planOperation(input);
      const field = input.schema.getMutationType()?.getFields()[FIELD];
      if (!plan?.variables || plan.operation.operation !== OperationTypeNode.MUTATION || !field) return;

      const ids = new Set<number>();
      let fields = 0;
      for (const node of plan.rootFields) {
        if (node.name.value !== FIELD) continue;
        fields += 1;
        for (const id of idsOf(field, node, plan.variables)) ids.add(id);
      }
      // One field is the mutation's own business: it answers InvalidParameterError, with its IDs.
      if (fields < 2 || ids.size <= maxIdsPerOperation) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError(
            `This operation's ${fields} batchDeleteCSRs fields carry ${ids.size} distinct IDs together, more than the ` +
              `${maxIdsPerOperation} one operation may carry (MAX_IDS_PER_MUTATION); nothing was sent. Split the work ` +
              'into several operations.',
            { extensions: { code: 'BAD_USER_INPUT' } },
          ),
        ],
      });
    },
  };
}

function idsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): readonly number[] {
  try {
    const { ids } = getArgumentValues(field, node, variables) as { ids?: readonly number[] };
    return ids ?? [];
  } catch {
    // Arguments that do not coerce are execution's to report; the field will send nothing.
    return [];
  }
}
