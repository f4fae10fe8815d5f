/**
 * The Tencent Cloud SSL client: one signed `BatchDeleteCSR` call over a keep-alive undici Pool, and
 * every way it can end turned into a typed result. It never throws for an upstream problem and never
 * retries: retrying, rate limiting and chunking are the engine's, which must count every attempt.
 *
 * It also tells the engine when the bytes really go (`SendHooks`): the rate limit is kept on send
 * times, and only undici knows the moment — when a connection is free, right before the request is
 * written to its socket (`onRequestStart`, synchronous with the write).
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { TencentCredentials } from '../config.js';
import type { BatchDeleteClient, BatchDeleteResult, SendHooks } from '../engine/client.js';
import { GatewayCode, failure, type TencentFailure } from './codes.js';
import { fixedCredentials, isCredentialProvider, type CredentialProvider } from './credential-provider.js';
import { authorization } from './signing.js';

export const SSL_API_VERSION = '2019-12-05';
export const BATCH_DELETE_CSR = 'BatchDeleteCSR';
/** The credential scope's service is `ssl` whatever host the endpoint has (docs/contract.md §2). */
export const SSL_SERVICE = 'ssl';
/** Sent and signed byte for byte: a stack that appends its own charset breaks the signature. */
export const CONTENT_TYPE = 'application/json; charset=utf-8';

export interface SslClientOptions {
  readonly endpoint: URL;
  /** Read on every call: a role's temporary credentials are replaced while the client runs. */
  readonly credentials: TencentCredentials | CredentialProvider;
  readonly region?: string;
  /** The limit on one call, from sending to the last byte of the answer. */
  readonly timeoutMs: number;
  /** Unix milliseconds; injectable so tests can skew the clock the signature uses. */
  readonly now?: () => number;
  /** Upper bound on sockets to the endpoint; in-flight calls are few (≤ rate × timeout). */
  readonly connections?: number;
  /**
   * Where the calls go instead of a pool of connections to `endpoint`: tests hand it the simulator in
   * process (src/simulator/in-process.ts), so that signing, the send hooks and the reading of answers
   * run as they do against Tencent, without a socket.
   */
  readonly dispatcher?: Dispatcher;
}

/** The result of a call whose send was refused by `SendHooks.beforeSend`. */
export const SLOT_MISSED: BatchDeleteResult = {
  ok: false,
  failure: failure(GatewayCode.SendSlotMissed, 'Not sent: the rate-limit slot came too late to use safely'),
};

/** Carries a request's `SendHooks` from `request()` to the interceptor, inside the dispatch options. */
const SEND_HOOKS = Symbol('sendHooks');
type HookedOptions = Dispatcher.DispatchOptions & { [SEND_HOOKS]?: SendHooks };

class SendSlotMissedError extends Error {
  override readonly name = 'SendSlotMissedError';
}

/** An undici interceptor that runs a request's `SendHooks` around the write to the socket. */
function sendHooksInterceptor(dispatch: Dispatcher.Dispatch): Dispatcher.Dispatch {
  return (options: HookedOptions, handler) => {
    const hooks = options[SEND_HOOKS];
    if (!hooks) return dispatch(options, handler);
    const wrapped: Dispatcher.DispatchHandler = {
      onRequestStart(controller, context) {
        if (hooks.beforeSend && !hooks.beforeSend()) {
          controller.abort(new SendSlotMissedError('rate-limit slot missed'));
          return;
        }
        // undici writes the request synchronously after this returns: the next tick is after the write.
        if (hooks.afterSend) process.nextTick(hooks.afterSend);
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
      onResponseStart: (...args) => handler.onResponseStart?.(...args),
      onResponseData: (...args) => handler.onResponseData?.(...args),
      onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
      onResponseError: (...args) => handler.onResponseError?.(...args),
    };
    return dispatch(options, wrapped);
  };
}

export class TencentSslClient implements BatchDeleteClient {
  readonly secretId: string;
  readonly #pool: Dispatcher;
  readonly #options: SslClientOptions;
  readonly #credentials: CredentialProvider;
  readonly #now: () => number;

  constructor(options: SslClientOptions) {
    this.#options = options;
    this.#credentials = isCredentialProvider(options.credentials) ? options.credentials : fixedCredentials(options.credentials);
    this.secretId = this.#credentials.rateLimitKey;
    this.#now = options.now ?? Date.now;
    this.#pool = (
      options.dispatcher ??
      new Pool(options.endpoint.origin, {
        connections: options.connections ?? 32,
        connectTimeout: Math.min(options.timeoutMs, 5_000),
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        keepAliveTimeout: 30_000,
      })
    ).compose(sendHooksInterceptor);
  }

  async batchDeleteCSR(ids: readonly number[], hooks?: SendHooks): Promise<BatchDeleteResult> {
    const body = JSON.stringify({ CSRIds: ids });
    const timestamp = Math.floor(this.#now() / 1000);
    const { endpoint, region } = this.#options;
    const credentials = this.#credentials.current();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'x-tc-action': BATCH_DELETE_CSR,
      'x-tc-version': SSL_API_VERSION,
      'x-tc-timestamp': String(timestamp),
      authorization: authorization({
        secretId: credentials.secretId,
        secretKey: credentials.secretKey,
        timestamp,
        host: endpoint.hostname,
        service: SSL_SERVICE,
        contentType: CONTENT_TYPE,
        body,
      }),
    };
    if (credentials.sessionToken) headers['x-tc-token'] = credentials.sessionToken;
    if (region) headers['x-tc-region'] = region;

    let statusCode: number;
    let text: string;
    try {
      const options: Dispatcher.RequestOptions & { [SEND_HOOKS]?: SendHooks } = {
        method: 'POST',
        path: '/',
        headers,
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        ...(hooks ? { [SEND_HOOKS]: hooks } : {}),
      };
      const response = await this.#pool.request(options);
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (error instanceof SendSlotMissedError) return SLOT_MISSED;
      return { ok: false, failure: transportFailure(error) };
    }
    return interpretAnswer(statusCode, text, ids);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Reads Tencent's envelope: `{"Response":{"Success":[...],"RequestId"}}` or `{"Response":{"Error":{Code,Message},"RequestId"}}`. */
export function interpretAnswer(statusCode: number, text: string, requested: readonly number[]): BatchDeleteResult {
  if (statusCode !== 200) {
    // A 5xx may come from a proxy after Tencent applied the call: its outcome is unknown.
    const code =
      statusCode >= 500
        ? GatewayCode.UpstreamHttpError
        : statusCode === 429
          ? GatewayCode.UpstreamThrottled
          : GatewayCode.UpstreamHttpRejected;
    const delivery = statusCode >= 500 ? 'unknown' : 'rejected';
    return { ok: false, failure: failure(code, `Tencent Cloud answered HTTP ${statusCode}`, { delivery }) };
  }
  const response = parseEnvelope(text);
  if (!response) {
    return {
      ok: false,
      failure: failure(GatewayCode.UpstreamInvalidResponse, 'Tencent Cloud answered with something that is not its JSON envelope', {
        delivery: 'unknown',
      }),
    };
  }
  if (response.error) {
    return {
      ok: false,
      failure: failure(response.error.code, response.error.message, { requestId: response.requestId }),
    };
  }
  const wanted = new Set(requested);
  return { ok: true, deleted: response.success.filter((id) => wanted.has(id)), requestId: response.requestId };
}

interface Envelope {
  readonly requestId: string;
  readonly success: readonly number[];
  readonly error?: { readonly code: string; readonly message: string };
}

function parseEnvelope(text: string): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const response = isRecord(json) ? json['Response'] : undefined;
  if (!isRecord(response) || typeof response['RequestId'] !== 'string') return undefined;
  const requestId = response['RequestId'];
  const error = response['Error'];
  if (error !== undefined) {
    if (!isRecord(error) || typeof error['Code'] !== 'string') return undefined;
    const message = typeof error['Message'] === 'string' ? error['Message'] : error['Code'];
    return { requestId, success: [], error: { code: error['Code'], message } };
  }
  const success = response['Success'] ?? [];
  if (!Array.isArray(success) || !success.every((id): id is number => Number.isSafeInteger(id))) return undefined;
  return { requestId, success };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A call that got no usable answer. Only a failure to connect proves the request never left; once
 * bytes may have reached Tencent, the delete may have been applied.
 */
export function transportFailure(error: unknown): TencentFailure {
  const code = errorCode(error);
  if (
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return failure(GatewayCode.UpstreamConnectFailed, `Could not connect to Tencent Cloud (${code})`, {
      delivery: 'rejected',
    });
  }
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'ABORT_ERR' ||
    code === 'UND_ERR_ABORTED' ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return failure(GatewayCode.UpstreamTimeout, 'Tencent Cloud did not answer in time', { delivery: 'unknown' });
  }
  return failure(
    GatewayCode.UpstreamConnectionReset,
    `The connection to Tencent Cloud failed before an answer arrived (${code ?? 'unknown error'})`,
    { delivery: 'unknown' },
  );
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof undiciErrors.UndiciError) return error.code;
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
