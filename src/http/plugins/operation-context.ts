/**
 * Prepares each operation's context once, as it begins executing (after validation):
 *
 *   - the edge's plan of it (`context.operation`, operation.ts), for caller auth, the mutation's ID
 *     cap, the metrics and the request log: one walk over the operation's root selections, instead
 *     of one per consumer;
 *   - the schema's own per-operation part (`perOperation`: its deleter and limits,
 *     schema/operation-scope.ts), given the operation's attribution: who is asking (the caller that
 *     caller auth puts in the context, read when asked, since caller auth runs after this) and in
 *     which trace.
 *
 * The schema's part is added here rather than through yoga's `context` option: that option runs a
 * context-building hook chain for every request, refusals and probes included, which cost more
 * than everything it built.
 */
import type { Plugin } from 'graphql-yoga';
import { ANONYMOUS_CALLER, type Attribution } from '../../deletion/service.js';
import type { EdgeContext } from '../../operation/context.js';
import { asExecutionArgs, planOperation } from '../../operation/plan.js';
import { operationContext, traceIdOf } from './tracing.js';

export interface OperationContextOptions {
  /** What the schema needs in the context of one operation, given who the operation is for. */
  readonly perOperation?: (attribution: () => Attribution) => object;
}

export function useOperationContext({ perOperation }: OperationContextOptions = {}): Plugin<EdgeContext> {
  const prepare = ({ args, context, extendContext }: { args: object; context: object; extendContext: (extension: object) => void }): void => {
    const operation = planOperation(asExecutionArgs(args));
    if (perOperation) extendContext(perOperation(() => attributionOf(context)));
    if (operation) extendContext({ operation });
  };
  // Subscriptions (job progress over SSE) are not executed but subscribed: the same preparation.
  return { onExecute: prepare, onSubscribe: prepare };
}

/** Who an operation is for: its caller (anonymous with auth off) and its trace. */
export function attributionOf(context: EdgeContext): Attribution {
  const traceId = traceIdOf(context);
  const traceContext = operationContext(context);
  return {
    caller: context.caller?.id ?? ANONYMOUS_CALLER,
    callerKind: 'graphql',
    ...(context.caller ? (context.caller.kind ? { callerAuth: context.caller.kind } : {}) : { callerAuth: 'anonymous' as const }),
    ...(traceId ? { traceId } : {}),
    ...(traceContext ? { traceContext } : {}),
  };
}
