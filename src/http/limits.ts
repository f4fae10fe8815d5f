/**
 * Abuse limits at the HTTP and GraphQL-document level, each from a maintained plugin where one exists:
 *
 *   - CSRF: a request a browser could send cross-site without a CORS preflight (a GET, or a POST
 *     with a form or text content type) must carry an `x-graphql-yoga-csrf` header. JSON POSTs
 *     (GraphiQL, routers, apps) are preflighted by browsers, so they pass as they are. Yoga itself
 *     refuses mutations over GET.
 *   - Body size: a POST must declare its `content-length` and stay within the limit; Node reads no
 *     more than the declared length, so the declaration bounds what is parsed.
 *   - Document shape (GraphQL Armor): aliases, depth, directives and tokens. The token limit leaves
 *     room for one mutation's worth of inline IDs; the alias limit keeps aliases from multiplying
 *     the per-mutation ID cap (and `useOperationIdLimit` counts the IDs themselves).
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

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
export function documentLimitsFor(maxIdsPerMutation: number): DocumentLimits {
  return {
    maxBodyBytes: Math.max(1024 * 1024, 32 * maxIdsPerMutation),
    maxAliases: 15,
    maxDepth: 6,
    maxDirectives: 50,
    maxTokens: maxIdsPerMutation + 2_000,
  };
}

export function abuseLimits(limits: DocumentLimits): Plugin[] {
  return [
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
    useBodyLimit(limits.maxBodyBytes),
    maxTokensPlugin({ n: limits.maxTokens }),
    maxAliasesPlugin({ n: limits.maxAliases }),
    maxDepthPlugin({ n: limits.maxDepth }),
    maxDirectivesPlugin({ n: limits.maxDirectives }),
  ];
}

/**
 * Refuses a request body before it is read when it is larger than `maxBytes`, or when its size is not
 * declared (a chunked upload could otherwise stream without end). Node's HTTP parser reads no more
 * than the declared length, so the declaration bounds the body; that is why the gateway turns off
 * yoga's own limit (`maxRequestBodySize: false`), which re-streams every body through a counting
 * TransformStream — the largest single cost on the request path, measured in docs/benchmarks.md.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const declared = request.headers.get('content-length');
      if (declared === null) {
        throw createGraphQLError('A POST body must declare its Content-Length.', {
          extensions: { code: 'LENGTH_REQUIRED', http: { status: 411 } },
        });
      }
      if (!/^\d+$/.test(declared)) {
        throw createGraphQLError('The Content-Length header is malformed.', {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      }
      if (Number(declared) > maxBytes) {
        throw createGraphQLError(`The request body is larger than the ${maxBytes} bytes this gateway accepts.`, {
          extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
        });
      }
    },
  };
}
