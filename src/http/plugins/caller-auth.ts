/**
 * Caller authentication as a yoga plugin: an operation runs only for a caller the authenticator
 * accepts, except operations that select nothing but public root fields; the accepted caller goes
 * into the context (`context.caller`) for resolvers and the request log.
 *
 * The schema is public on purpose: introspection (GraphiQL, codegen) and `_service { sdl }` (the
 * federation router composing the supergraph) must work without a caller's token, and the schema is
 * published anyway; so are the deletion limits. Everything else — every mutation and every other query field, including ones
 * added later — needs an authenticated caller with each selected root field's scope (auth/scopes.ts: the delete scope
 * for a field with no row of its own): secure by default.
 *
 * The check runs after validation and before execution, so a refused operation sends nothing to
 * Tencent. Refusals are GraphQL errors with `extensions.code` `UNAUTHENTICATED` / `FORBIDDEN` and
 * HTTP 200, like any other GraphQL error, so that a federation router passes them on to the client
 * intact (routers handle a subgraph's 4xx inconsistently; some report a transport error instead).
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Logger } from '../../logger.js';
import type { AuthDecision, Authenticator, Caller } from '../auth/authenticator.js';
import { missingScope, ROOT_FIELD_SCOPES, type ScopeRule } from '../../operation/scopes.js';
import type { EdgeContext } from '../../operation/context.js';
import { traceIdOf } from './tracing.js';

/**
 * Root fields anyone may query: introspection, the federation subgraph's SDL, and the deletion limits
 * (configuration, not secrets; public so that an anonymous query through a router that also asks
 * other subgraphs is never nulled by this one's non-null field failing authentication).
 */
export const PUBLIC_ROOT_FIELDS: ReadonlySet<string> = new Set(['__schema', '__type', '__typename', '_service', 'csrDeletionLimits']);

export interface CallerAuthOptions {
  readonly authenticator: Authenticator;
  /** `AUTH_REQUIRED_SCOPE`: what `DELETE` rows of the scope table (and fields without a row) need; default `csr:delete`. */
  readonly deleteScope?: string;
  /** Root field → scope; default `ROOT_FIELD_SCOPES` (auth/scopes.ts). */
  readonly scopes?: ReadonlyMap<string, ScopeRule>;
  readonly logger: Logger;
  /** Root fields an operation may select without a caller; default `PUBLIC_ROOT_FIELDS`. */
  readonly publicRootFields?: ReadonlySet<string>;
}

export function useCallerAuth({
  authenticator,
  logger,
  deleteScope = 'csr:delete',
  scopes = ROOT_FIELD_SCOPES,
  publicRootFields = PUBLIC_ROOT_FIELDS,
}: CallerAuthOptions): Plugin<EdgeContext> {
  if (!authenticator.enabled) return {};
  const authenticate = ({
    args,
    extendContext,
    setResultAndStopExecution,
  }: {
    args: { contextValue: unknown };
    extendContext: (extension: Partial<EdgeContext>) => void;
    setResultAndStopExecution: (result: { errors: GraphQLError[] }) => void;
  }): Promise<void> | undefined => {
    const context = args.contextValue as EdgeContext & { request: Request };
    const plan = context.operation;
    if (plan && plan.rootFields.every((field) => publicRootFields.has(field.name.value))) return;

    const settle = (authenticated: AuthDecision): void => {
      const decision = authenticated.ok ? authorize(authenticated.caller) : authenticated;
      if (decision.ok) {
        extendContext({ caller: decision.caller });
        return;
      }
      const traceId = traceIdOf(context);
      const line = { requestId: context.requestId, ...(traceId ? { traceId } : {}), code: decision.code, reason: decision.reason };
      if (decision.serverFault) logger.error(line, 'caller refused: the JWKS could not be used');
      else logger.info(line, 'caller refused');
      setResultAndStopExecution({
        errors: [createGraphQLError(decision.message, { extensions: { code: decision.code } })],
      });
    };
    // Each root field's scope (auth/scopes.ts); public fields selected alongside need none.
    const fields = plan ? plan.rootFields.map((field) => field.name.value).filter((name) => !publicRootFields.has(name)) : [];
    const authorize = (caller: Caller): AuthDecision => {
      const missing = missingScope(fields, caller.scopes, deleteScope, scopes);
      if (!missing) return { ok: true, caller };
      return {
        ok: false,
        code: 'FORBIDDEN',
        message: `The caller is not granted the "${missing.scope}" scope that ${missing.field} requires.`,
        reason: `scope "${missing.scope}" missing for ${missing.field}`,
      };
    };
    // A known caller (an API key, a token verified before) is decided at once: no promise to wait for.
    const decision = authenticator.decide(context.request.headers.get('authorization'));
    if (decision instanceof Promise) return decision.then(settle);
    settle(decision);
    return undefined;
  };
  // Subscriptions (job progress over SSE) are subscribed, not executed: authenticated the same way.
  return { onExecute: authenticate, onSubscribe: authenticate };
}
