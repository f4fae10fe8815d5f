/**
 * The client the engine calls: the one seam between batching and Tencent, owned by the engine (which
 * decides what it needs) and implemented by the Tencent client (src/tencent/client.ts); engine tests
 * implement it in memory, with no HTTP.
 */
import type { TencentFailure } from '../tencent/codes.js';

/** How one `BatchDeleteCSR` call ended: the IDs Tencent deleted and its RequestId, or a typed failure. */
export type BatchDeleteResult =
  | { readonly ok: true; readonly deleted: readonly number[]; readonly requestId: string }
  | { readonly ok: false; readonly failure: TencentFailure };

/** Around the moment a call's bytes are handed to the socket. */
export interface SendHooks {
  /** Asked right before the write: false sends nothing, and the call ends `Gateway.SendSlotMissed`. */
  readonly beforeSend?: () => boolean;
  /** Called once the bytes have been written. */
  readonly afterSend?: () => void;
}

/** What the client needs to do for the engine. */
export interface BatchDeleteClient {
  /** The account's rate-limit bucket: the SecretId, or a stable stand-in for it (`CredentialProvider.rateLimitKey`). */
  readonly secretId: string;
  batchDeleteCSR(ids: readonly number[], hooks?: SendHooks): Promise<BatchDeleteResult>;
  close(): Promise<void>;
}
