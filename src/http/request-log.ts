/**
 * One log line per HTTP request, with a request ID that ties together everything logged for it.
 *
 * An incoming `x-request-id` (from a router or load balancer) is kept when it looks like an ID, so a
 * request can be followed across services; otherwise a UUID is made. Either way it is echoed in the
 * response's `x-request-id`. Probes (`/health`, `/readiness`, `/metrics`) log at debug, so they do
 * not drown the lines that matter.
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST, type OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { traceIdOf } from '../observability/tracing-plugin.js';
import type { Caller } from './authenticator.js';
import { asExecutionArgs } from './operation.js';

export const REQUEST_ID_HEADER = 'x-request-id';

export interface RequestRecord {
  readonly id: string;
  readonly startedAt: number;
  readonly path: string;
  operation?: OperationTypeNode;
  operationName?: string;
  caller?: Caller;
}

const records = new WeakMap<Request, RequestRecord>();
const PROBE_PATHS = new Set(['/health', '/readiness', '/metrics']);
/** Visible characters only and bounded, so a forwarded ID can neither forge log lines nor bloat them. */
const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/** The record of a request this plugin has seen (other plugins annotate it: the caller, the operation). */
export function requestRecord(request: Request): RequestRecord | undefined {
  return records.get(request);
}

export function useRequestLog(logger: Logger): Plugin {
  return {
    onRequest({ request, url }) {
      const incoming = request.headers.get(REQUEST_ID_HEADER);
      records.set(request, {
        id: incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID(),
        startedAt: performance.now(),
        path: url.pathname,
      });
    },
    onExecute({ args }) {
      const record = records.get(args.contextValue.request);
      const { document, operationName } = asExecutionArgs(args);
      const operation = getOperationAST(document, operationName);
      if (!record || !operation) return;
      record.operation = operation.operation;
      if (operation.name) record.operationName = operation.name.value;
    },
    onResponse({ request, response, serverContext }) {
      const record = records.get(request);
      if (!record) return;
      response.headers.set(REQUEST_ID_HEADER, record.id);
      const { path } = record;
      const level = PROBE_PATHS.has(path) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const traceId = traceIdOf(serverContext);
      const line = {
        requestId: record.id,
        method: request.method,
        path,
        status: response.status,
        durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
        ...(record.operation ? { operation: record.operation } : {}),
        ...(record.operationName ? { operationName: record.operationName } : {}),
        ...(record.caller ? { caller: record.caller } : {}),
        ...(traceId ? { traceId } : {}),
      };
      logger[level](line, 'request');
    },
  };
}
