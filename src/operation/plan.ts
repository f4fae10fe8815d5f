/**
 * The operation about to execute, planned once per request (plugins/operation-context.ts puts it in
 * the context as `context.operation`): the root fields it will execute, which caller auth needs
 * (are they all public?) and the mutation's ID cap needs (how many IDs do its `batchDeleteCSRs`
 * fields carry together?).
 *
 * Fragments are followed and `@skip` / `@include` honoured the way graphql-js executes them. When the
 * variables do not coerce, every field counts as included: execution will refuse the operation
 * anyway, and counting more is the safe side for both uses. Variables are coerced only when a root
 * selection carries a directive; documents without fragments or directives (nearly all) cost one
 * walk over the root selections and the list of root fields.
 *
 * A plan that did not look at the variables is the same for every request of its document, so it is
 * kept with the document: yoga's parse cache hands the same document object to every request of the
 * same text, and a client repeats its few documents, so nearly every request finds its plan made.
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
}

/**
 * Envelop types execution arguments loosely (`any` fields) to stay independent of the graphql
 * version; yoga runs graphql-js 16, whose `ExecutionArgs` they are.
 */
export function asExecutionArgs(args: object): ExecutionArgs {
  return args as ExecutionArgs;
}

const NO_VARIABLES: Readonly<Record<string, unknown>> = Object.freeze({});

/** Document → operation name ('' for none) → its plan, for plans that did not depend on variables. */
const plansOfDocuments = new WeakMap<DocumentNode, Map<string, PlannedOperation>>();

export function planOperation(input: ExecutionInput): PlannedOperation | undefined {
  const name = input.operationName ?? '';
  const known = plansOfDocuments.get(input.document)?.get(name);
  if (known) return known;
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  if (!operation) return undefined;
  // Coerced on the first directive met (undefined when they do not coerce).
  let coerced = false;
  let variables: Readonly<Record<string, unknown>> | undefined;
  const variablesForDirectives = (): Readonly<Record<string, unknown>> | undefined => {
    if (!coerced) {
      coerced = true;
      variables = getVariableValues(input.schema, operation.variableDefinitions ?? [], input.variableValues ?? NO_VARIABLES).coerced;
    }
    return variables;
  };

  const rootFields: FieldNode[] = [];
  let fragments: Map<string, FragmentDefinitionNode> | undefined;
  let visited: Set<string> | undefined;
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.directives?.length && !included(selection, variablesForDirectives())) continue;
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
  const plan = { operation, rootFields };
  if (!coerced) {
    let plans = plansOfDocuments.get(input.document);
    if (!plans) plansOfDocuments.set(input.document, (plans = new Map<string, PlannedOperation>()));
    plans.set(name, plan);
  }
  return plan;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Whether `@skip` / `@include` let the selection execute; with variables that do not coerce, it counts. */
function included(node: SelectionNode, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  if (!variables) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}
