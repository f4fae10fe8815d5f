/**
 * The gateway's GraphQL parser: graphql-js's, with GraphQL Armor's token limit, and a bound on how
 * deeply a document may nest.
 *
 * graphql-js parses recursively: a list literal (or a selection set, or a type) nested a few
 * thousand levels deep overflows the stack, and the `RangeError` comes back as a 500 with error-level
 * stack traces in the log — per request, for a few kilobytes of `[`. No real document nests deeply
 * (the schema's deepest is 3 levels; a list argument is one), so the parser refuses past
 * `MAX_NESTING` levels with a syntax error, before anything is validated or authenticated. It is one parse: armor's token counting and this bound share the pass.
 */
import { GraphQLError, type ConstValueNode, type ParseOptions, type SelectionSetNode, type Source, type TypeNode, type ValueNode } from 'graphql';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';

/** Far beyond any real document, far below the stack's limit. */
export const MAX_NESTING = 64;

/** The refusal of a document nested past `MAX_NESTING` (answered with HTTP 400: see plugins/abuse-limits.ts). */
export class NestingLimitError extends GraphQLError {
  constructor() {
    super(`Syntax Error: the document nests deeper than ${MAX_NESTING} levels.`, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  }
}

class BoundedParser extends MaxTokensParserWLexer {
  #depth = 0;

  override parseSelectionSet(): SelectionSetNode {
    this.#enter();
    const node = super.parseSelectionSet();
    this.#depth -= 1;
    return node;
  }

  override parseValueLiteral(isConst: true): ConstValueNode;
  override parseValueLiteral(isConst: boolean): ValueNode;
  override parseValueLiteral(isConst: boolean): ValueNode {
    this.#enter();
    const node = super.parseValueLiteral(isConst);
    this.#depth -= 1;
    return node;
  }

  override parseTypeReference(): TypeNode {
    this.#enter();
    const node = super.parseTypeReference();
    this.#depth -= 1;
    return node;
  }

  #enter(): void {
    this.#depth += 1;
    if (this.#depth > MAX_NESTING) throw new NestingLimitError();
  }
}

/** A `parse` for yoga's `onParse` hook: at most `maxTokens` tokens and `MAX_NESTING` levels. */
export function boundedParse(maxTokens: number): (source: string | Source, options?: ParseOptions) => ReturnType<BoundedParser['parseDocument']> {
  return (source, options) => new BoundedParser(source, { ...options, n: maxTokens }).parseDocument();
}
