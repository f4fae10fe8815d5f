/**
 * One log line per Tencent call: what an operator reads to match the gateway's traffic with
 * Tencent's own records (by RequestId) and to see retries (attempt > 1). Calls carry IDs of many
 * callers at once, so these lines have no caller's request ID; each caller gets the RequestIds back.
 */
import type { EngineObserver } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { BATCH_DELETE_CSR } from '../tencent/client.js';

export function upstreamCallLog(logger: Logger): EngineObserver {
  return {
    onCall({ ids, attempt, code, requestId, durationMs }) {
      const line = { action: BATCH_DELETE_CSR, ids, code, requestId, durationMs: Math.round(durationMs * 10) / 10, attempt };
      if (code === 'Success') logger.info(line, 'upstream call');
      else logger.warn(line, 'upstream call failed');
    },
  };
}

