/**
 * GraphQL operations in Prometheus, beside the upstream metrics: how long each operation took to
 * execute, by operation name, type and result —
 * `tencent_ssl_graphql_operation_duration_seconds{operation_name, operation_type, result}`.
 *
 * `result` is `success` when the response has no errors, else the first error's `extensions.code`
 * (`UNAUTHENTICATED`, `FORBIDDEN`, `BAD_USER_INPUT`, …; `ERROR` for one without a code). A mutation
 * whose IDs failed upstream is a `success` here: its typed errors are data, counted by the upstream
 * metrics by Tencent code.
 *
 * Operation names come from clients, so they are bounded: the first `MAX_OPERATION_NAMES` distinct
 * names are kept and later ones counted as `other`; an unnamed operation is `anonymous`.
 *
 * Written here rather than taken from @envelop/prometheus: its duration histogram cannot see the
 * result, and it labels every client-chosen name as it comes.
 */
import { getOperationAST, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Histogram, type Registry } from 'prom-client';
import type { EdgeContext } from '../../operation/context.js';
import { asExecutionArgs } from '../../operation/plan.js';

export const MAX_OPERATION_NAMES = 100;

export function useOperationMetrics(registry: Registry): Plugin {
  const duration = new Histogram({
    name: 'tencent_ssl_graphql_operation_duration_seconds',
    help: 'Time a GraphQL operation took to execute (refusals by caller auth included), by operation name, type and result.',
    labelNames: ['operation_name', 'operation_type', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const names = new Set<string>();
  const nameLabel = (name: string | undefined): string => {
    if (name === undefined) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) return;
          // The edge's plan (operation-context.ts, whose hook runs after this one's and before this);
          // without the edge, the document's own.
          const { document, operationName, contextValue } = asExecutionArgs(args);
          const operation: OperationDefinitionNode | null | undefined =
            (contextValue as EdgeContext).operation?.operation ?? getOperationAST(document, operationName);
          const [first] = (result as ExecutionResult).errors ?? [];
          const code = first?.extensions?.['code'];
          const outcome = first ? (typeof code === 'string' ? code : 'ERROR') : 'success';
          duration.observe(
            { operation_name: nameLabel(operation?.name?.value), operation_type: operation?.operation ?? 'unknown', result: outcome },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}
