/**
 * Prepares each operation's context once, as it begins executing (after validation):
 *
 *   - the edge's plan of it (`context.operation`, operation.ts), for caller auth, the mutation's ID
 *     cap, the metrics and the request log: one walk over the operation's root selections, instead
 *     of one per consumer;
 *   - the schema's own per-operation part (`perOperation`: its deleter and limits, server.ts).
 *
 * The schema's part is added here rather than through yoga's `context` option: that option runs a
 * context-building hook chain for every request, refusals and probes included, which cost more
 * than everything it built.
 */
import type { Plugin } from 'graphql-yoga';
import type { EdgeContext } from '../context.js';
import { asExecutionArgs, planOperation } from '../operation.js';

export interface OperationContextOptions {
  /** What the schema needs in the context of one operation, given the context so far. */
  readonly perOperation?: (context: object) => object;
}

export function useOperationContext({ perOperation }: OperationContextOptions = {}): Plugin<EdgeContext> {
  const prepare = ({ args, context, extendContext }: { args: object; context: object; extendContext: (extension: object) => void }): void => {
    const operation = planOperation(asExecutionArgs(args));
    if (perOperation) extendContext(perOperation(context));
    if (operation) extendContext({ operation });
  };
  // Subscriptions (job progress over SSE) are not executed but subscribed: the same preparation.
  return { onExecute: prepare, onSubscribe: prepare };
}
