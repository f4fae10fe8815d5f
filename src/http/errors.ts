/**
 * How errors leave the gateway (yoga's `maskedErrors.maskError`): yoga's own masking — unexpected
 * errors become `Unexpected error.` — with one change. Yoga answers a body that is not JSON with a
 * 400 whose `extensions.originalError` carries the JSON parser's message, and Node's message quotes
 * the body back (`… "{"query": …" is not valid JSON`): a caller's own payload echoed into responses
 * and logs. The 400 stays; the excerpt goes.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type MaskError } from 'graphql-yoga';

export const maskError: MaskError = (error, message, isDev) => {
  if (error instanceof GraphQLError && error.extensions['code'] === 'BAD_REQUEST' && error.extensions['originalError'] !== undefined) {
    return createGraphQLError(`${error.message} Send a JSON object: {"query": "…", "variables": {…}}.`, {
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
  }
  return yogaMaskError(error, message, isDev);
};
