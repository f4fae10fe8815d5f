/**
 * What every Tencent Cloud SSL action shares: one signed POST over a keep-alive undici Pool, Tencent's
 * JSON envelope read, and every way a call can end turned into a typed result. The action's own client
 * (client.ts for `BatchDeleteCSR`, read-client.ts for `DescribeCSRSet` and `DescribeCSR`) builds the
 * body and reads the fields of a successful answer; nothing here knows an action.
 *
 * It never throws for an upstream problem and never retries: whoever paces the calls must count every
 * attempt. It also tells that pacer when the bytes really go (`SendHooks`): rate limits are kept on
 * send times, and only undici knows the moment — when a connection is free, right before the request
 * is written to its socket (`onRequestStart`, synchronous with the write).
 */
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import type { TencentCredentials } from '../config.js';
import type { SendHooks } from '../engine/client.js';
import { GatewayCode, failure, type TencentFailure } from './codes.js';
import { fixedCredentials, isCredentialProvider, type CredentialProvider } from './credential-provider.js';
import { authorization } from './signing.js';

export const SSL_API_VERSION = '2019-12-05';
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

/** A call's answer: Tencent's `Response` object (its `RequestId` taken out), or a typed failure. */
export type EnvelopeResult =
  | { readonly ok: true; readonly requestId: string; readonly response: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly failure: TencentFailure };

/** The result of a call whose send was refused by `SendHooks.beforeSend`. */
export const SLOT_MISSED = {
  ok: false,
  failure: failure(GatewayCode.SendSlotMissed, 'Not sent: the rate-limit slot came too late to use safely'),
} as const satisfies EnvelopeResult;

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

export class SignedTransport {
  /** The account's rate-limit bucket: the SecretId, or a stable stand-in for it. */
  readonly rateLimitKey: string;
  readonly #pool: Dispatcher;
  readonly #options: SslClientOptions;
  readonly #credentials: CredentialProvider;
  readonly #now: () => number;

  constructor(options: SslClientOptions) {
    this.#options = options;
    this.#credentials = isCredentialProvider(options.credentials) ? options.credentials : fixedCredentials(options.credentials);
    this.rateLimitKey = this.#credentials.rateLimitKey;
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

  /**
   * One signed call of `action` with `payload` as its JSON body, read as far as Tencent's envelope.
   * `timeoutMs` shortens the configured limit (a caller's deadline nearer than it).
   */
  async call(action: string, payload: unknown, options: { hooks?: SendHooks; timeoutMs?: number } = {}): Promise<EnvelopeResult> {
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(this.#now() / 1000);
    const { endpoint, region } = this.#options;
    const credentials = this.#credentials.current();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE,
      'x-tc-action': action,
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
      const { hooks } = options;
      const request: Dispatcher.RequestOptions & { [SEND_HOOKS]?: SendHooks } = {
        method: 'POST',
        path: '/',
        headers,
        body,
        signal: AbortSignal.timeout(Math.max(1, Math.min(this.#options.timeoutMs, options.timeoutMs ?? Infinity))),
        ...(hooks ? { [SEND_HOOKS]: hooks } : {}),
      };
      const response = await this.#pool.request(request);
      statusCode = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      if (error instanceof SendSlotMissedError) return SLOT_MISSED;
      return { ok: false, failure: transportFailure(error) };
    }
    return readEnvelope(statusCode, text);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * Reads Tencent's envelope: `{"Response":{…,"RequestId"}}` or `{"Response":{"Error":{Code,Message},"RequestId"}}`.
 * A failure's message is Tencent's own or the gateway's, never the answer's text: an answer may carry
 * what must not be repeated (a `DescribeCSR` answer holds a private key).
 */
export function readEnvelope(statusCode: number, text: string): EnvelopeResult {
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const response = isRecord(json) ? json['Response'] : undefined;
  if (!isRecord(response) || typeof response['RequestId'] !== 'string') return invalidAnswer();
  const { RequestId: requestId, Error: error, ...rest } = response;
  if (error !== undefined) {
    if (!isRecord(error) || typeof error['Code'] !== 'string') return invalidAnswer();
    const message = typeof error['Message'] === 'string' ? error['Message'] : error['Code'];
    return { ok: false, failure: failure(error['Code'], message, { requestId }) };
  }
  return { ok: true, requestId, response: rest };
}

/** An answer that is not Tencent's envelope, or lacks what the action promises: it may have been applied. */
export function invalidAnswer(): { readonly ok: false; readonly failure: TencentFailure } {
  return {
    ok: false,
    failure: failure(GatewayCode.UpstreamInvalidResponse, 'Tencent Cloud answered with something that is not its JSON envelope', {
      delivery: 'unknown',
    }),
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A call that got no usable answer. Only a failure to connect proves the request never left; once
 * bytes may have reached Tencent, the call may have been applied.
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
