/**
 * Plans the operation once per request, before anything executes, and puts the plan in the context
 * (`context.operation`) for caller auth and the mutation's ID cap: one walk over the operation's
 * root selections, instead of one per consumer.
 */
import type { Plugin } from 'graphql-yoga';
import type { EdgeContext } from '../context.js';
import { asExecutionArgs, planOperation } from '../operation.js';

export function useOperationPlan(): Plugin<EdgeContext> {
  return {
    onExecute({ args, extendContext }) {
      const operation = planOperation(asExecutionArgs(args));
      if (operation) extendContext({ operation });
    },
  };
}
