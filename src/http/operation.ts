/**
 * The root fields an operation will execute, found before it executes: what the auth check (are
 * they all public?) and the operation's ID budget (how many IDs do its `batchDeleteCSRs` fields
 * carry together?) both need.
 *
 * Fragments are followed and `@skip` / `@include` honoured the way graphql-js executes them. When the
 * variables do not coerce, every field counts as included: execution will refuse the operation
 * anyway, and counting more is the safe side for both uses.
 */
import {
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface ExecutionInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variableValues?: Readonly<Record<string, unknown>> | null;
}

export interface PlannedOperation {
  readonly operation: OperationDefinitionNode;
  /** The root field nodes that will execute, in document order (aliases and duplicates included). */
  readonly rootFields: readonly FieldNode[];
  /** Coerced variables, when they coerce. */
  readonly variables?: Record<string, unknown>;
}

/**
 * Envelop types execution arguments loosely (`any` fields) to stay independent of the graphql
 * version; yoga runs graphql-js 16, whose `ExecutionArgs` they are.
 */
export function asExecutionArgs(args: object): ExecutionArgs {
  return args as ExecutionArgs;
}

export function planOperation(input: ExecutionInput): PlannedOperation | undefined {
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  if (!operation) return undefined;
  const coerced = getVariableValues(input.schema, operation.variableDefinitions ?? [], input.variableValues ?? {});
  const variables = coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const rootFields: FieldNode[] = [];
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (variables && !included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) rootFields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        // A fragment spread twice at the root executes its fields once (graphql-js merges them).
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return { operation, rootFields, ...(variables ? { variables } : {}) };
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}
