/**
 * An upstream that answers at once, in process: every ID deleted, a fresh RequestId. With it and a
 * limiter that never waits, what is left of a mutation's cost is the gateway's own — HTTP, yoga, the
 * schema, the per-operation DataLoader, the engine's bookkeeping — which is what the GraphQL-layer
 * overhead measurement is after. It plugs in at the client seam the engine is built around.
 */
import { randomUUID } from 'node:crypto';
import type { BatchDeleteClient, BatchDeleteResult } from '../../src/engine/client.js';

export function instantUpstream(secretId: string): BatchDeleteClient {
  return {
    secretId,
    batchDeleteCSR: (ids): Promise<BatchDeleteResult> => Promise.resolve({ ok: true, deleted: [...ids], requestId: randomUUID() }),
    close: () => Promise.resolve(),
  };
}
