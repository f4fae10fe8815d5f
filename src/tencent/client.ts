/**
 * The Tencent Cloud SSL client for deletions: one signed `BatchDeleteCSR` call (transport.ts signs,
 * sends and reads the envelope) and its `Success` list read into the engine's result. It never throws
 * for an upstream problem and never retries: retrying, rate limiting and chunking are the engine's,
 * which must count every attempt; the send hooks tell it when the bytes really go.
 */
import type { BatchDeleteClient, BatchDeleteResult, SendHooks } from '../engine/client.js';
import { SLOT_MISSED as SLOT_MISSED_ANSWER, SignedTransport, invalidAnswer, readEnvelope, type EnvelopeResult, type SslClientOptions } from './transport.js';

export { CONTENT_TYPE, SSL_API_VERSION, SSL_SERVICE, transportFailure, type SslClientOptions } from './transport.js';

export const BATCH_DELETE_CSR = 'BatchDeleteCSR';

/** The result of a call whose send was refused by `SendHooks.beforeSend`. */
export const SLOT_MISSED: BatchDeleteResult = SLOT_MISSED_ANSWER;

export class TencentSslClient implements BatchDeleteClient {
  readonly secretId: string;
  readonly #transport: SignedTransport;

  constructor(options: SslClientOptions) {
    this.#transport = new SignedTransport(options);
    this.secretId = this.#transport.rateLimitKey;
  }

  async batchDeleteCSR(ids: readonly number[], hooks?: SendHooks): Promise<BatchDeleteResult> {
    return readDeleteAnswer(await this.#transport.call(BATCH_DELETE_CSR, { CSRIds: ids }, hooks ? { hooks } : {}), ids);
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }
}

/** Reads a `BatchDeleteCSR` answer: `{"Response":{"Success":[...],"RequestId"}}` or an error. */
export function interpretAnswer(statusCode: number, text: string, requested: readonly number[]): BatchDeleteResult {
  return readDeleteAnswer(readEnvelope(statusCode, text), requested);
}

function readDeleteAnswer(answer: EnvelopeResult, requested: readonly number[]): BatchDeleteResult {
  if (!answer.ok) return answer;
  const { requestId, response } = answer;
  const success = response['Success'];
  // No `Success` list (or `null`): Tencent answered, but said nothing about which IDs it deleted.
  if (success === undefined || success === null) return { ok: true, deleted: undefined, requestId };
  if (!Array.isArray(success) || !success.every((id): id is number => Number.isSafeInteger(id))) return invalidAnswer();
  const wanted = new Set(requested);
  return { ok: true, deleted: success.filter((id) => wanted.has(id)), requestId };
}
