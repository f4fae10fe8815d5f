/**
 * Request bodies, bounded by their declared length: a POST larger than `maxBytes`, or whose size is
 * not declared (a chunked upload could otherwise stream without end), is refused before it is read. Node's HTTP parser reads no more than the
 * declared length, so the declaration bounds the body; that is why the gateway turns off yoga's own
 * limit (`maxRequestBodySize: false`), which re-streams every body through a counting
 * TransformStream — the largest single cost on the request path, measured in docs/benchmarks.md.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export interface BodyLimitOptions {
  readonly maxBytes: number;
}

export function useBodyLimit({ maxBytes }: BodyLimitOptions): Plugin {
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
