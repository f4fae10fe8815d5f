/**
 * One log line per Tencent call: what an operator reads to match the gateway's traffic with
 * Tencent's own records (by RequestId) and to see retries (attempt > 1). Calls carry IDs of many
 * callers at once, so these lines have no caller's request ID; each caller gets the RequestIds back.
 * Each line has the moments just before and just after the call's bytes went (`sendingAt`, `sentAt`),
 * so that a rate-limit breach reported by the receiving side can be settled: the sender's spacing, or
 * the receiver's delay.
 */
import type { EngineObserver } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { BATCH_DELETE_CSR } from '../tencent/client.js';

export function upstreamCallLog(logger: Logger): EngineObserver {
  // The fields are these few, none a secret, so pino's path redaction is not run for them (with an
  // upstream that answers at once, a line per call is a line per mutation); the logger's scrubbing
  // of secret values and JWT shapes from every written line still is. As the request log does.
  const lines = logger.child({}, { redact: [] });
  return {
    onCall({ ids, attempt, code, requestId, sendingAt, sentAt, durationMs }) {
      const line = {
        action: BATCH_DELETE_CSR,
        ids,
        code,
        requestId,
        // To the microsecond: set beside the simulator's (or a capture's) arrival times, the calls'
        // own send times tell a sender that spaced them too closely from a judge that read them late.
        sendingAt: microseconds(sendingAt),
        sentAt: microseconds(sentAt),
        durationMs: Math.round(durationMs * 10) / 10,
        attempt,
      };
      if (code === 'Success') lines.info(line, 'upstream call');
      else lines.warn(line, 'upstream call failed');
    },
  };
}


function microseconds(unixMs: number | undefined): number | undefined {
  return unixMs === undefined ? undefined : Math.round(unixMs * 1000) / 1000;
}
