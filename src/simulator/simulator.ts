/**
 * A stand-in for `ssl.intl.tencentcloudapi.com` that is strict where Tencent is strict, so that a
 * gateway that passes against it passes against Tencent: it verifies the TC3 signature and the clock
 * skew, enforces the per-SecretId limit in any sliding second by arrival time, validates the body the
 * way the API documents, and answers in Tencent's envelope with a UUID RequestId.
 *
 * It also records every call it receives (the tests' proof of what went upstream) and takes faults
 * that tests queue: any error code, an HTTP status, a non-JSON body, a delay, and a connection dropped
 * before or after the delete is applied.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BATCH_DELETE_CSR, SSL_API_VERSION, SSL_SERVICE } from '../tencent/client.js';
import { documentedCode } from '../tencent/code-catalogue.js';
import { parseAuthorization, SIGNED_HEADERS, signature, utcDate } from '../tencent/signing.js';
import { SlidingWindowCounter } from './sliding-window.js';

export type Fault =
  | { readonly kind: 'error'; readonly code: string; readonly message?: string }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'nonJson' }
  /** Answer normally, but only after this long (the delete is applied when the answer is sent). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Close the connection without applying anything. */
  | { readonly kind: 'dropBeforeApply' }
  /** Apply the delete, then close the connection without answering. */
  | { readonly kind: 'dropAfterApply' };

export interface FaultRule {
  readonly fault: Fault;
  /** How many calls it applies to; `Infinity` for every call until cleared. */
  times: number;
  /** Apply only to calls carrying one of these IDs (all calls when absent). */
  readonly whenIds?: ReadonlySet<number>;
}

export interface CallRecord {
  /** Arrival time in ms on `performance.timeOrigin`'s scale (sub-millisecond, monotonic). */
  readonly arrivedAt: number;
  readonly secretId?: string;
  readonly ids: readonly number[];
  /** `Success`, a Tencent error code, `HTTP <status>`, `NonJson`, `Dropped`; `Delayed` until a delayed answer goes. */
  outcome: string;
  deleted: readonly number[];
  readonly requestId?: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface SimulatorAccount {
  readonly secretKey: string;
  /** When set, calls must carry it as `X-TC-Token` (temporary credentials), or get `AuthFailure.TokenFailure`. */
  readonly sessionToken?: string;
}

export interface SimulatorOptions {
  /** SecretId → SecretKey (and the token temporary credentials must send). */
  readonly accounts: Readonly<Record<string, SimulatorAccount>>;
  /** IDs that exist at start: a range `[from, to]` inclusive. */
  readonly seed?: { readonly from: number; readonly to: number };
  readonly rateLimit?: number;
  /** IDs Tencent would reject as malformed (`InvalidParameter.InvalidCSRId`). */
  readonly invalidIds?: Iterable<number>;
  /** The server's clock for the signature's skew check, in Unix ms. */
  readonly now?: () => number;
  /** Keep only the newest calls in `log` (a long-running simulator must not grow without bound). */
  readonly maxLogEntries?: number;
  /**
   * Sees each request first and answers it itself when it returns true: how the simulator's own
   * process serves its admin API (`admin.ts`) beside Tencent's, under a path Tencent never uses.
   */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** One request as the simulator reads it: header names in lower case, one value each. */
export interface SimulatorRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** What the simulator does with a request: answers it, or drops the connection without an answer. */
export type SimulatorAnswer =
  | { readonly kind: 'answer'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly kind: 'drop' };

const MAX_SKEW_SECONDS = 300;
const MAX_IDS = 100;
const MAX_TENCENT_INT = 2 ** 31 - 1;

/** A Tencent error answer, thrown from the checks and caught where the answer is written. */
class TencentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class TencentSslSimulator {
  readonly store = new Set<number>();
  readonly log: CallRecord[] = [];
  readonly invalidIds: Set<number>;
  /** SecretId → account; change it while running to issue or revoke (temporary) credentials. */
  readonly accounts: Map<string, SimulatorAccount>;
  rateLimit: number;
  #faults: FaultRule[] = [];
  readonly #windows = new Map<string, SlidingWindowCounter>();
  readonly #server: Server;
  readonly #options: SimulatorOptions;

  constructor(options: SimulatorOptions) {
    this.#options = options;
    this.rateLimit = options.rateLimit ?? 10;
    this.invalidIds = new Set(options.invalidIds ?? []);
    this.accounts = new Map(Object.entries(options.accounts));
    if (options.seed) this.seed(options.seed.from, options.seed.to);
    this.#server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.#handle(req, res));
  }

  seed(from: number, to: number): void {
    for (let id = from; id <= to; id++) this.store.add(id);
  }

  /** Queue a fault for the next `times` matching calls. */
  inject(fault: Fault, options: { times?: number; whenIds?: Iterable<number> } = {}): void {
    this.#faults.push({
      fault,
      times: options.times ?? 1,
      ...(options.whenIds ? { whenIds: new Set(options.whenIds) } : {}),
    });
  }

  clearFaults(): void {
    this.#faults = [];
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    const address = this.#server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The largest number of calls from one SecretId that arrived within any `windowMs`. */
  maxCallsInWindow(windowMs = 1000): number {
    let max = 0;
    const bySecret = new Map<string, number[]>();
    for (const call of this.log) {
      const key = call.secretId ?? '';
      const times = bySecret.get(key) ?? [];
      times.push(call.arrivedAt);
      bySecret.set(key, times);
    }
    for (const times of bySecret.values()) {
      times.sort((a, b) => a - b);
      let start = 0;
      for (let end = 0; end < times.length; end++) {
        while ((times[end] as number) - (times[start] as number) >= windowMs) start++;
        max = Math.max(max, end - start + 1);
      }
    }
    return max;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const arrivedAt = performance.timeOrigin + performance.now();
    if (this.#options.intercept?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: SimulatorRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: Object.fromEntries(Object.keys(req.headers).map((name) => [name, header(req, name)])),
        body: Buffer.concat(chunks),
      };
      void this.answer(request, arrivedAt).then((answer) => {
        if (answer.kind === 'drop') req.socket.destroy();
        else res.writeHead(answer.status, answer.headers).end(answer.body);
      });
    });
  }

  /**
   * Answers one request as Tencent would, whatever carried it: the HTTP server above, or a test's
   * in-process dispatcher (`in-process.ts`), which hands the same checks, store, faults and log to a
   * gateway without a socket between them.
   */
  async answer(request: SimulatorRequest, arrivedAt = performance.timeOrigin + performance.now()): Promise<SimulatorAnswer> {
    const headers = {
      'content-type': request.headers['content-type'],
      'x-tc-action': request.headers['x-tc-action'],
      'x-tc-version': request.headers['x-tc-version'],
      'x-tc-region': request.headers['x-tc-region'],
      'x-tc-token': request.headers['x-tc-token'],
    };
    const requestId = randomUUID();
    const record = (entry: Omit<CallRecord, 'arrivedAt' | 'headers'>): CallRecord => {
      const call = { arrivedAt, headers, ...entry };
      this.log.push(call);
      const excess = this.log.length - (this.#options.maxLogEntries ?? Infinity);
      if (excess > 0) this.log.splice(0, excess);
      return call;
    };
    let ids: number[] = [];
    let secretId: string | undefined;
    try {
      secretId = this.#authenticate(request);
      ids = parseIds(request.body);
      if (!this.#window(secretId).tryAcquire(arrivedAt)) {
        throw new TencentError(
          'RequestLimitExceeded',
          `Your current request times exceeds the frequency limit ${this.rateLimit} for a second. Please reduce the frequency of calls.`,
        );
      }
      const bad = ids.find((id) => id <= 0 || id > MAX_TENCENT_INT || this.invalidIds.has(id));
      if (bad !== undefined) throw new TencentError('InvalidParameter.InvalidCSRId', `Incorrect CSR ID: ${bad}.`);
    } catch (error) {
      if (!(error instanceof TencentError)) throw error;
      record({ secretId, ids, outcome: error.code, deleted: [], requestId });
      return json(200, { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } });
    }

    const fault = this.#takeFault(ids);
    const apply = (): number[] => {
      const deleted = ids.filter((id) => this.store.delete(id));
      return deleted;
    };
    switch (fault?.kind) {
      case 'error':
        record({ secretId, ids, outcome: fault.code, deleted: [], requestId });
        return json(200, {
          Response: { Error: { Code: fault.code, Message: fault.message ?? messageFor(fault.code) }, RequestId: requestId },
        });
      case 'http':
        record({ secretId, ids, outcome: `HTTP ${fault.status}`, deleted: [] });
        return { kind: 'answer', status: fault.status, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' };
      case 'nonJson':
        record({ secretId, ids, outcome: 'NonJson', deleted: [] });
        return { kind: 'answer', status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>upstream maintenance</body></html>' };
      case 'dropBeforeApply':
        record({ secretId, ids, outcome: 'Dropped', deleted: [] });
        return { kind: 'drop' };
      case 'dropAfterApply': {
        record({ secretId, ids, outcome: 'Dropped', deleted: apply() });
        return { kind: 'drop' };
      }
      case 'delay': {
        // Logged on arrival, so that a caller that gave up still sees the call; applied when answered.
        const call = record({ secretId, ids, outcome: 'Delayed', deleted: [], requestId });
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        call.deleted = apply();
        call.outcome = 'Success';
        return json(200, { Response: { Success: call.deleted, RequestId: requestId } });
      }
      case undefined:
        break;
    }
    const deleted = apply();
    record({ secretId, ids, outcome: 'Success', deleted, requestId });
    return json(200, { Response: { Success: deleted, RequestId: requestId } });
  }

  /** Checks what Tencent checks before it reads the body; returns the caller's SecretId. */
  #authenticate(request: SimulatorRequest): string {
    if (request.method !== 'POST' || request.url !== '/') {
      throw new TencentError('UnsupportedProtocol', 'Only POST / is supported by this simulator.');
    }
    const parsed = parseAuthorization(request.headers['authorization'] ?? '');
    if (!parsed) throw new TencentError('AuthFailure.InvalidAuthorization', 'The Authorization header is not in TC3 format.');
    const account = this.accounts.get(parsed.secretId);
    if (!account) throw new TencentError('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (!Number.isInteger(timestamp)) throw new TencentError('MissingParameter', 'X-TC-Timestamp is missing or malformed.');
    const nowSeconds = Math.floor((this.#options.now ?? Date.now)() / 1000);
    if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
      throw new TencentError('AuthFailure.SignatureExpire', 'Signature expired: the timestamp is more than 5 minutes from server time.');
    }
    const contentType = request.headers['content-type'] ?? '';
    const host = (request.headers['host'] ?? '').replace(/:\d+$/, '');
    const expected = signature({
      secretId: parsed.secretId,
      secretKey: account.secretKey,
      timestamp,
      host,
      service: SSL_SERVICE,
      contentType,
      body: request.body,
    });
    if (
      parsed.service !== SSL_SERVICE ||
      parsed.date !== utcDate(timestamp) ||
      parsed.signedHeaders !== SIGNED_HEADERS ||
      parsed.signature !== expected
    ) {
      throw new TencentError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    if (account.sessionToken !== undefined && request.headers['x-tc-token'] !== account.sessionToken) {
      throw new TencentError('AuthFailure.TokenFailure', 'The token is invalid or has expired.');
    }
    if (request.headers['x-tc-action'] !== BATCH_DELETE_CSR) {
      throw new TencentError('InvalidAction', 'This simulator implements BatchDeleteCSR only.');
    }
    if (request.headers['x-tc-version'] !== SSL_API_VERSION) {
      throw new TencentError('NoSuchVersion', `Version must be ${SSL_API_VERSION}.`);
    }
    return parsed.secretId;
  }

  #window(secretId: string): SlidingWindowCounter {
    let window = this.#windows.get(secretId);
    if (!window) {
      window = new SlidingWindowCounter(1000, () => this.rateLimit);
      this.#windows.set(secretId, window);
    }
    return window;
  }

  #takeFault(ids: readonly number[]): Fault | undefined {
    const index = this.#faults.findIndex(
      (rule) => rule.times > 0 && (!rule.whenIds || ids.some((id) => rule.whenIds?.has(id))),
    );
    const rule = this.#faults[index];
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.#faults.splice(index, 1);
    return rule.fault;
  }
}

/** Any code can be injected; a code Tencent documents comes with Tencent's own description of it. */
function messageFor(code: string): string {
  return documentedCode(code)?.description ?? `Injected ${code}.`;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body rules of BatchDeleteCSR: `{"CSRIds":[...]}` with 1–100 distinct integers and nothing else. */
function parseIds(body: Buffer): number[] {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TencentError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TencentError('InvalidParameter', 'The request body must be a JSON object.');
  }
  const unknown = Object.keys(json).filter((key) => key !== 'CSRIds');
  if (unknown.length > 0) throw new TencentError('UnknownParameter', `Unknown parameter: ${unknown.join(', ')}.`);
  const ids: unknown = (json as Record<string, unknown>)['CSRIds'];
  if (ids === undefined) throw new TencentError('MissingParameter', 'The parameter CSRIds is required.');
  if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
    throw new TencentError('InvalidParameter', 'CSRIds must be an array of integers.');
  }
  if (ids.length === 0) throw new TencentError('InvalidParameterValue', 'CSRIds must not be empty.');
  if (ids.length > MAX_IDS) {
    throw new TencentError('InvalidParameter.WithDetailReason', `CSRIds accepts ${MAX_IDS} IDs at most.`);
  }
  if (new Set(ids).size !== ids.length) {
    throw new TencentError('InvalidParameter.WithDetailReason', 'CSRIds contains duplicates.');
  }
  return ids as number[];
}

function json(status: number, value: unknown): SimulatorAnswer {
  const text = JSON.stringify(value);
  return { kind: 'answer', status, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }, body: text };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
