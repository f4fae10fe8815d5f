/**
 * The read side of Tencent's SSL API (2019-12-05): `DescribeCSRSet`, a page of the account's CSRs, and
 * `DescribeCSR`, one of them. Signed and sent by the same transport as deletions (transport.ts), each
 * paced by a rate limiter of its own: Tencent limits every action on its own ("10 calls a second for
 * this API"), so a read never takes a delete's slot, and a burst of reads never slows a deletion.
 *
 * Key material never gets past this file. `DescribeCSR` answers the CSR's `PrivateKey` and
 * `KeyPassword`; the answer is read through `csrFields`, which names the descriptive fields and drops
 * everything else (zod's object parsing strips unknown keys), and a failure's message is never the
 * answer's text (transport.ts). What leaves is a `CsrRecord`, whose type has no place for either.
 *
 * Like the deletion client, it returns failures as values; unlike it, it retries: a read changes
 * nothing, so sending it again is always safe. A retry goes through the limiter like the first call.
 */
import { z } from 'zod';
import type { SendHooks } from '../engine/client.js';
import type { RateLimiter } from '../engine/types.js';
import { GatewayCode, failure, type TencentFailure } from './codes.js';
import { SignedTransport, invalidAnswer, type EnvelopeResult, type SslClientOptions } from './transport.js';

export const DESCRIBE_CSR_SET = 'DescribeCSRSet';
export const DESCRIBE_CSR = 'DescribeCSR';
export const READ_ACTIONS = [DESCRIBE_CSR_SET, DESCRIBE_CSR] as const;
export type ReadAction = (typeof READ_ACTIONS)[number];
/** `DescribeCSRSet`'s largest `Limit`. */
export const MAX_CSR_PAGE = 100;
/** The code Tencent documents for `DescribeCSR`'s bad IDs, and (assumed, undocumented) for IDs it does not hold. */
export const INVALID_CSR_ID = 'InvalidParameter.InvalidCSRId';
/** Tencent's integers are 32-bit: an ID outside 1…2³¹−1 names no CSR, and is never sent. */
const MAX_TENCENT_INT = 2 ** 31 - 1;

/** A CSR as the gateway knows it: its descriptive fields, and never its private key or password. */
export interface CsrRecord {
  readonly id: number;
  readonly ownerUin: string | null;
  readonly domain: string | null;
  readonly organization: string | null;
  readonly department: string | null;
  readonly email: string | null;
  readonly province: string | null;
  readonly city: string | null;
  readonly country: string | null;
  readonly remarks: string | null;
  /** Tencent does not document the values. */
  readonly status: number | null;
  /** Tencent's `YYYY-MM-DD hh:mm:ss`, as given (the time zone is not documented: Beijing time, most likely). */
  readonly createTime: string | null;
  readonly encryptAlgo: string | null;
  readonly keyParameter: string | null;
}

export interface CsrPage {
  /** How many CSRs match the filters. */
  readonly total: number;
  readonly items: readonly CsrRecord[];
}

export interface CsrSetQuery {
  /** 1–100. */
  readonly limit: number;
  readonly offset: number;
  readonly domain?: string;
  readonly encryptAlgo?: string;
}

export type ReadResult<T> =
  | { readonly ok: true; readonly value: T; readonly requestId?: string }
  | { readonly ok: false; readonly failure: TencentFailure };

/** One read call as it ended, for the call log and metrics; nothing of the answer's content. */
export interface ReadCallEvent {
  readonly action: ReadAction;
  readonly attempt: number;
  /** `Success`, Tencent's error code, or a `Gateway.*` code. */
  readonly code: string;
  readonly requestId?: string;
  readonly durationMs: number;
}

export interface ReadClientOptions extends SslClientOptions {
  /** Each read action's own limiter (gateway/rate-limiter.ts, keyed by action). */
  readonly limiters: Readonly<Record<ReadAction, RateLimiter>>;
  /** Calls one read may make, retries included (default 3). */
  readonly maxAttempts?: number;
  readonly observe?: (event: ReadCallEvent) => void;
}

const text = z.string().nullish().transform((value) => value ?? null);
/**
 * The descriptive fields of `CSRItem` (DescribeCSRSet) and of the `DescribeCSR` answer, which has the
 * same ones besides `CSR`, `PrivateKey` and `KeyPassword` (intl SDK ssl/v20191205 models.js;
 * docs/notes/tencent-cloud-api.md §5). Anything not named here is dropped.
 */
const csrFields = z
  .object({
    Id: z.number().int(),
    OwnerUin: text,
    Domain: text,
    Organization: text,
    Department: text,
    Email: text,
    Province: text,
    City: text,
    Country: text,
    Remarks: text,
    Status: z.number().int().nullish().transform((value) => value ?? null),
    CreateTime: text,
    EncryptAlgo: text,
    KeyParameter: text,
  })
  .transform(
    (item): CsrRecord => ({
      id: item.Id,
      ownerUin: item.OwnerUin,
      domain: item.Domain,
      organization: item.Organization,
      department: item.Department,
      email: item.Email,
      province: item.Province,
      city: item.City,
      country: item.Country,
      remarks: item.Remarks,
      status: item.Status,
      createTime: item.CreateTime,
      encryptAlgo: item.EncryptAlgo,
      keyParameter: item.KeyParameter,
    }),
  );
const csrSet = z.object({ Total: z.number().int().nonnegative(), Set: z.array(csrFields).nullish() });

export class TencentReadClient {
  readonly #transport: SignedTransport;
  readonly #options: ReadClientOptions;

  constructor(options: ReadClientOptions) {
    this.#options = options;
    this.#transport = new SignedTransport(options);
  }

  /** One page of the account's CSRs (Tencent lists them newest first). */
  async describeCSRSet(query: CsrSetQuery, options: { readonly deadline: number }): Promise<ReadResult<CsrPage>> {
    const payload = {
      Limit: Math.max(1, Math.min(MAX_CSR_PAGE, query.limit)),
      Offset: Math.max(0, query.offset),
      ...(query.domain !== undefined ? { Domain: query.domain } : {}),
      ...(query.encryptAlgo !== undefined ? { EncryptAlgo: query.encryptAlgo } : {}),
    };
    const answer = await this.#paced(DESCRIBE_CSR_SET, payload, options.deadline);
    if (!answer.ok) return answer;
    const parsed = csrSet.safeParse(answer.response);
    if (!parsed.success) return invalidAnswer();
    return { ok: true, value: { total: parsed.data.Total, items: parsed.data.Set ?? [] }, requestId: answer.requestId };
  }

  /**
   * One CSR, or null when the account has no CSR of that ID. Tencent does not document what
   * `DescribeCSR` answers for an ID that does not exist; `InvalidParameter.InvalidCSRId`, the code it
   * lists for the action's bad IDs, most likely, and it is read as "no such CSR" (docs/contract.md §5).
   */
  async describeCSR(id: number, options: { readonly deadline: number }): Promise<ReadResult<CsrRecord | null>> {
    if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_TENCENT_INT) return { ok: true, value: null };
    const answer = await this.#paced(DESCRIBE_CSR, { CSRId: id }, options.deadline);
    if (!answer.ok) {
      if (answer.failure.code === INVALID_CSR_ID) {
        return { ok: true, value: null, ...(answer.failure.requestId ? { requestId: answer.failure.requestId } : {}) };
      }
      return answer;
    }
    const parsed = csrFields.safeParse(answer.response);
    if (!parsed.success || parsed.data.id !== id) return invalidAnswer();
    return { ok: true, value: parsed.data, requestId: answer.requestId };
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  /**
   * Sends `action` when its limiter grants a slot before `deadline`, the send recorded on the grant at
   * the moment the bytes go (as the engine does for deletions); again while the failure is worth
   * retrying, up to `maxAttempts` calls. A slot that came too late sent nothing, and costs no attempt.
   */
  async #paced(action: ReadAction, payload: unknown, deadline: number): Promise<EnvelopeResult> {
    const maxAttempts = this.#options.maxAttempts ?? 3;
    const limiter = this.#options.limiters[action];
    for (let attempt = 1; ; ) {
      let grant;
      try {
        grant = await limiter.acquire(this.#transport.rateLimitKey, deadline);
      } catch (error) {
        return {
          ok: false,
          failure: failure(
            GatewayCode.LimiterUnavailable,
            `The ${action} rate limiter could not grant a slot (${error instanceof Error ? error.message : String(error)}); nothing was sent. Try again.`,
          ),
        };
      }
      if (grant === 'deadline') {
        return { ok: false, failure: failure(GatewayCode.DeadlineExceeded, `No ${action} slot came before the deadline; nothing was sent.`) };
      }
      const slot = grant;
      const hooks: SendHooks = { beforeSend: () => slot.claim(), afterSend: () => slot.sent() };
      const started = performance.now();
      const answer = await this.#transport.call(action, payload, { hooks, timeoutMs: deadline - Date.now() });
      if (!answer.ok && answer.failure.code === GatewayCode.SendSlotMissed) continue;
      this.#options.observe?.({
        action,
        attempt,
        code: answer.ok ? 'Success' : answer.failure.code,
        ...((answer.ok ? answer.requestId : answer.failure.requestId) ? { requestId: answer.ok ? answer.requestId : answer.failure.requestId } : {}),
        durationMs: performance.now() - started,
      });
      // Tencent's "no such CSR" is an answer, not a failure to retry.
      if (answer.ok || !answer.failure.retryable || attempt >= maxAttempts || Date.now() >= deadline) return answer;
      attempt += 1;
    }
  }
}
