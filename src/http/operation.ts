/**
 * The operation about to execute, planned once per request (plugins/operation-plan.ts puts it in
 * the context as `context.operation`): the root fields it will execute, which caller auth needs
 * (are they all public?) and the mutation's ID cap needs (how many IDs do its `batchDeleteCSRs`
 * fields carry together?).
 *
 * Fragments are followed and `@skip` / `@include` honoured the way graphql-js executes them. When the
 * variables do not coerce, every field counts as included: execution will refuse the operation
 * anyway, and counting more is the safe side for both uses. Documents without fragments or
 * directives (nearly all) allocate nothing beyond the list of root fields.
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
  type SelectionNode,
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
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * Envelop types execution arguments loosely (`any` fields) to stay independent of the graphql
 * version; yoga runs graphql-js 16, whose `ExecutionArgs` they are.
 */
export function asExecutionArgs(args: object): ExecutionArgs {
  return args as ExecutionArgs;
}

const NO_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

export function planOperation(input: ExecutionInput): PlannedOperation | undefined {
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  if (!operation) return undefined;
  const definitions = operation.variableDefinitions;
  const variables =
    definitions && definitions.length > 0
      ? getVariableValues(input.schema, definitions, input.variableValues ?? NO_VARIABLES).coerced
      : NO_VARIABLES;

  const rootFields: FieldNode[] = [];
  let fragments: Map<string, FragmentDefinitionNode> | undefined;
  let visited: Set<string> | undefined;
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (variables && !included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) rootFields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        fragments ??= fragmentsOf(input.document);
        visited ??= new Set();
        // A fragment spread twice at the root executes its fields once (graphql-js merges them).
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visited.has(fragment.name.value)) continue;
        visited.add(fragment.name.value);
        collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return variables ? { operation, rootFields, variables } : { operation, rootFields };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

function included(node: SelectionNode, variables: Readonly<Record<string, unknown>>): boolean {
  if (!node.directives || node.directives.length === 0) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}
