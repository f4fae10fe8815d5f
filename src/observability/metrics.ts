/**
 * The gateway's Prometheus metrics (docs/contract.md §3), fed by the engine's observer. Each gateway has its
 * own registry, so several gateways can live in one process (tests do) without clashing names.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineObserver } from '../engine/types.js';
import { BATCH_DELETE_CSR } from '../tencent/client.js';
import type { ReadCallEvent } from '../tencent/read-client.js';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly observer: EngineObserver;
  /** The read client's calls (DescribeCSRSet, DescribeCSR), counted under the same names by action. */
  readonly onReadCall: (event: ReadCallEvent) => void;
}

export interface MetricsOptions {
  /** Node's process metrics (CPU, memory, event loop lag, GC): cheap, and what dashboards expect. */
  readonly processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const upstreamRequests = new Counter({
    name: 'tencent_ssl_upstream_requests_total',
    help: "Tencent API calls by action and outcome: Success, Tencent's error code, or the gateway's code for a transport failure.",
    labelNames: ['action', 'code'] as const,
    registers: [registry],
  });
  const batchIds = new Histogram({
    name: 'tencent_ssl_upstream_batch_ids',
    help: 'CSR IDs carried by one Tencent call (at most 100): how well callers are being merged.',
    buckets: [1, 10, 25, 50, 75, 99, 100],
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'tencent_ssl_upstream_request_duration_seconds',
    help: 'Time one Tencent call took, from sending to the end of its answer (or its failure).',
    labelNames: ['action'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pendingIds = new Gauge({
    name: 'tencent_ssl_pending_ids',
    help: 'CSR IDs accepted from callers and not yet answered.',
    registers: [registry],
  });
  const checkedIds = new Counter({
    name: 'tencent_ssl_existence_checked_ids_total',
    help:
      "IDs of calls whose answer was lost, by what the existence check found: present, absent, or the check's failure code (nothing learned).",
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const rateLimitWait = new Histogram({
    name: 'tencent_ssl_rate_limit_wait_seconds',
    help: 'Time the engine waited for a rate-limit slot before a Tencent call.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  return {
    registry,
    onReadCall({ action, code, durationMs }) {
      upstreamRequests.inc({ action, code });
      upstreamSeconds.observe({ action }, durationMs / 1000);
    },
    observer: {
      onCall({ ids, code, durationMs }) {
        upstreamRequests.inc({ action: BATCH_DELETE_CSR, code });
        batchIds.observe(ids);
        upstreamSeconds.observe({ action: BATCH_DELETE_CSR }, durationMs / 1000);
      },
      onCheck({ ids, code, present }) {
        if (code !== 'Success') {
          checkedIds.inc({ result: code }, ids);
          return;
        }
        if (present > 0) checkedIds.inc({ result: 'present' }, present);
        if (ids > present) checkedIds.inc({ result: 'absent' }, ids - present);
      },
      onRateLimitWait(seconds) {
        rateLimitWait.observe(seconds);
      },
      onPendingIds(count) {
        pendingIds.set(count);
      },
    },
  };
}
