/**
 * Caller authentication as a yoga plugin: an operation runs only for a caller the authenticator
 * accepts, except operations that select nothing but the schema itself.
 *
 * The schema is public on purpose: introspection (GraphiQL, codegen) and `_service { sdl }` (the
 * federation router composing the supergraph) must work without a caller's token, and the schema is
 * published anyway. Everything else — every mutation and every other query field, including ones
 * added later — needs an authenticated caller with the required scope: secure by default.
 *
 * The check runs after validation and before execution, so a refused operation sends nothing to
 * Tencent. Refusals are GraphQL errors with `extensions.code` `UNAUTHENTICATED` / `FORBIDDEN` and
 * HTTP 200, like any other GraphQL error, so that a federation router passes them on to the client
 * intact (routers handle a subgraph's 4xx inconsistently; some report a transport error instead).
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { traceIdOf } from '../observability/tracing-plugin.js';
import type { Authenticator } from './authenticator.js';
import { asExecutionArgs, planOperation } from './operation.js';
import { requestRecord } from './request-log.js';

/** Root fields anyone may query: introspection and the federation subgraph's SDL. */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type', '__typename', '_service']);

export function useCallerAuth(authenticator: Authenticator, logger: Logger): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      if (!authenticator.enabled) return;
      const plan = planOperation(asExecutionArgs(args));
      if (plan && plan.rootFields.every((field) => PUBLIC_ROOT_FIELDS.has(field.name.value))) return;

      const request = args.contextValue.request;
      const decision = await authenticator.decide(request.headers.get('authorization'));
      const record = requestRecord(request);
      if (decision.ok) {
        if (record) record.caller = decision.caller;
        return;
      }
      const traceId = traceIdOf(args.contextValue);
      const line = { requestId: record?.id, ...(traceId ? { traceId } : {}), code: decision.code, reason: decision.reason };
      if (decision.serverFault) logger.error(line, 'caller refused: the JWKS could not be used');
      else logger.info(line, 'caller refused');
      setResultAndStopExecution({
        errors: [createGraphQLError(decision.message, { extensions: { code: decision.code } })],
      });
    },
  };
}
