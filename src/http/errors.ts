/**
 * How errors leave the gateway (yoga's `maskedErrors.maskError`): yoga's own masking — unexpected
 * errors become `Unexpected error.` — with one change. Yoga answers a body that is not JSON with a
 * 400 whose `extensions.originalError` carries the JSON parser's message, and Node's message quotes
 * the body back (`… "{"query": …" is not valid JSON`): a caller's own payload echoed into responses
 * and logs. The 400 stays; the excerpt goes.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type MaskError } from 'graphql-yoga';
import type { Logger } from '../logger.js';

export const maskError: MaskError = (error, message, isDev) => {
  if (error instanceof GraphQLError && error.extensions['code'] === 'BAD_REQUEST' && error.extensions['originalError'] !== undefined) {
    return createGraphQLError(`${error.message} Send a JSON object: {"query": "…", "variables": {…}}.`, {
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
    });
  }
  return cutMessage(yogaMaskError(error, message, isDev));
};

/**
 * The longest error message sent back. graphql-js quotes the offending value in coercion and
 * validation messages (`Variable "$ids" got invalid value "zzz…"`): a 900 KB string sent became a
 * 1.8 MB answer. Past this, the message is cut, and says so.
 */
export const MAX_MESSAGE_CHARS = 1_000;

function cutMessage<T>(error: T): T {
  if (!(error instanceof GraphQLError) || error.message.length <= MAX_MESSAGE_CHARS) return error;
  const cut = `${error.message.slice(0, MAX_MESSAGE_CHARS)}… (${error.message.length - MAX_MESSAGE_CHARS} more characters cut)`;
  return new GraphQLError(cut, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: error.extensions,
    ...(error.originalError ? { originalError: error.originalError } : {}),
  }) as T;
}

/**
 * The logger yoga is given (`logging`): the gateway's, except for the caller's own mistakes. Yoga logs
 * the error behind every masked one at error level, and a body that is not JSON is one of them: a
 * stack trace, and the parser's message quoting the start of the body — whatever the caller sent,
 * tokens included. That is the caller's fault, not the gateway's: one info line with the code and
 * yoga's own message, never the body.
 */
export function yogaLogger(logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>): Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
  const pass =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (first?: unknown, ...rest: unknown[]): void => {
      if (typeof first === 'string') logger[level]({ args: rest.length > 0 ? rest : undefined }, first);
      else logger[level](first as object, ...(rest as string[]));
    };
  const error = pass('error');
  return {
    debug: pass('debug'),
    info: pass('info'),
    warn: pass('warn'),
    error(first?: unknown, ...rest: unknown[]) {
      if (first instanceof GraphQLError && first.extensions['code'] === 'BAD_REQUEST') {
        logger.info({ code: 'BAD_REQUEST' }, `request refused: ${first.message}`);
        return;
      }
      error(first, ...rest);
    },
  };
}
