/**
 * Abuse limits at the HTTP and GraphQL-document level, cheapest first, each from a maintained plugin
 * where one exists:
 *
 *   - CSRF: a request a browser could send cross-site without a CORS preflight (a GET, or a POST
 *     with a form or text content type) must carry an `x-graphql-yoga-csrf` header. JSON POSTs
 *     (GraphiQL, routers, apps) are preflighted by browsers, so they pass as they are. Yoga itself
 *     refuses mutations over GET.
 *   - Body size: a POST must declare its `content-length` and stay within the limit (body-limit.ts).
 *     A body that is not JSON gets a 400 that does not quote it back.
 *   - Document size and shape: one parse bounded in tokens (GraphQL Armor) and nesting
 *     (document-parser.ts), then Armor's aliases, depth and directives rules during validation. The
 *     token limit leaves room for one mutation's worth of inline IDs; the alias limit keeps aliases
 *     from multiplying the per-operation ID cap (which the mutation itself enforces).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { boundedParse, NestingLimitError } from '../document-parser.js';
import { useBodyLimit } from './body-limit.js';

export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export interface DocumentLimits {
  /** Request bodies larger than this get HTTP 413. */
  readonly maxBodyBytes: number;
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
}

/**
 * Limits sized for a gateway whose mutations carry up to `maxIdsPerMutation` IDs: an ID is at most
 * 10 digits plus a separator, so 32 bytes and one token an ID leave generous room for formatting
 * and the selection set. The schema is 3 levels deep, so a depth of 6 costs no real query anything.
 */
export function documentLimitsFor(maxIdsPerMutation: number, maxIdsPerJob = 0): DocumentLimits {
  return {
    // A job's IDs come as a variable (its list would exceed the token limit inline): JSON numbers of at
    // most 10 digits and a comma, 12 bytes an ID with room to spare.
    maxBodyBytes: Math.max(1024 * 1024, 32 * maxIdsPerMutation, 12 * maxIdsPerJob),
    maxAliases: 15,
    maxDepth: 6,
    maxDirectives: 50,
    maxTokens: maxIdsPerMutation + 2_000,
  };
}

export interface AbuseLimitsOptions {
  readonly limits: DocumentLimits;
}

export function useAbuseLimits({ limits }: AbuseLimitsOptions): Plugin {
  const parse = boundedParse(limits.maxTokens);
  // Armor's rules, made once and added by one hook: its own plugins are a hook each, and each makes
  // its rule afresh on every request.
  const documentRules = [
    maxAliasesRule({ n: limits.maxAliases }),
    maxDepthRule({ n: limits.maxDepth }),
    maxDirectivesRule({ n: limits.maxDirectives }),
  ];
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }));
      addPlugin(useBodyLimit({ maxBytes: limits.maxBodyBytes }));
      addPlugin({
        onParse({ setParseFn }) {
          setParseFn(parse);
        },
        // Yoga answers syntax errors to `Accept: application/json` with HTTP 200 (the GraphQL-over-HTTP
        // spec's legacy rule, which it applies per error); a hostile document gets a 400 whatever the
        // client accepts, set on the result, where yoga reads a status first.
        onExecutionResult(payload) {
          const { result } = payload;
          if (!result || !('errors' in result) || !result.errors?.some((error) => error instanceof NestingLimitError)) return;
          payload.setResult({ ...result, extensions: { ...result.extensions, http: { status: 400 } } });
        },
      });
      addPlugin({
        onValidate({ addValidationRule }) {
          for (const rule of documentRules) addValidationRule(rule);
        },
      });
    },
  };
}
