/**
 * A stand-in for `ssl.intl.tencentcloudapi.com` that is strict where Tencent is strict, so that a
 * gateway that passes against it passes against Tencent: it verifies the TC3 signature and the clock
 * skew, enforces each action's own per-SecretId limit in any sliding second by arrival time ("for
 * this API", as Tencent's pages put it), validates the body the way the API documents, and answers in
 * Tencent's envelope with a UUID RequestId.
 *
 * Three actions: `BatchDeleteCSR`, and the read actions `DescribeCSRSet` (a page of the CSRs, newest
 * first) and `DescribeCSR` (one CSR, with its private key and password: marker values,
 * csr-records.ts). A CSR the simulator holds is an ID in `store`; its fields derive from the ID.
 *
 * It also records every call it receives (the tests' proof of what went upstream) and takes faults
 * that tests queue, per action: any error code, an HTTP status, a non-JSON body, a delay, and a
 * connection dropped before or after the delete is applied.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BATCH_DELETE_CSR, SSL_API_VERSION, SSL_SERVICE } from '../tencent/client.js';
import { DESCRIBE_CSR, DESCRIBE_CSR_SET, MAX_CSR_PAGE } from '../tencent/read-client.js';
import { documentedCode } from '../tencent/code-catalogue.js';
import { parseAuthorization, SIGNED_HEADERS, signature, utcDate } from '../tencent/signing.js';
import { csrDetail, csrItem } from './csr-records.js';
import { SlidingWindowCounter } from './sliding-window.js';

/** The actions the simulator implements. */
export const SIMULATED_ACTIONS: readonly string[] = [BATCH_DELETE_CSR, DESCRIBE_CSR_SET, DESCRIBE_CSR];

export type Fault =
  | { readonly kind: 'error'; readonly code: string; readonly message?: string }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'nonJson' }
  /** Answer normally, but only after this long (the delete is applied when the answer is sent). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Close the connection without applying anything. */
  | { readonly kind: 'dropBeforeApply' }
  /** Apply the delete, then close the connection without answering. */
  | { readonly kind: 'dropAfterApply' }
  /**
   * Apply the delete, then answer without saying which IDs it deleted: `Success` is `null`, or absent
   * when `success` is `missing` (no evidence either way; the gateway must not read it as "none"). On
   * a read action: an answer with its `RequestId` and nothing else.
   */
  | { readonly kind: 'noSuccessList'; readonly success?: 'null' | 'missing' };

export interface FaultRule {
  readonly fault: Fault;
  /** How many calls it applies to; `Infinity` for every call until cleared. */
  times: number;
  /** Apply only to calls carrying one of these IDs (all calls when absent). */
  readonly whenIds?: ReadonlySet<number>;
  /** The action whose calls it applies to: `BatchDeleteCSR` when not given. */
  readonly action: string;
}

export interface CallRecord {
  /** Arrival time in ms on `performance.timeOrigin`'s scale (sub-millisecond, monotonic). */
  readonly arrivedAt: number;
  readonly secretId?: string;
  /** `X-TC-Action` as received (empty when absent). */
  readonly action: string;
  /** `CSRIds` of a `BatchDeleteCSR`, `[CSRId]` of a `DescribeCSR`, none for a `DescribeCSRSet`. */
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
  /** `BatchDeleteCSR`'s calls per sliding second per SecretId (default 10). */
  readonly rateLimit?: number;
  /** Each read action's own calls per sliding second per SecretId (default 10, Tencent's for both). */
  readonly readRateLimit?: number;
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
/** `DescribeCSRSet`'s page size when `Limit` is not given (Tencent's documented default). */
const DEFAULT_CSR_PAGE = 10;
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
  /** `BatchDeleteCSR`'s limit; change it while running. */
  rateLimit: number;
  /** The read actions' limit, each its own; change it while running. */
  readRateLimit: number;
  #faults: FaultRule[] = [];
  readonly #windows = new Map<string, SlidingWindowCounter>();
  readonly #server: Server;
  readonly #options: SimulatorOptions;

  constructor(options: SimulatorOptions) {
    this.#options = options;
    this.rateLimit = options.rateLimit ?? 10;
    this.readRateLimit = options.readRateLimit ?? 10;
    this.invalidIds = new Set(options.invalidIds ?? []);
    this.accounts = new Map(Object.entries(options.accounts));
    if (options.seed) this.seed(options.seed.from, options.seed.to);
    this.#server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.#handle(req, res));
  }

  seed(from: number, to: number): void {
    for (let id = from; id <= to; id++) this.store.add(id);
  }

  /** Queue a fault for the next `times` matching calls (of `BatchDeleteCSR` unless `action` says). */
  inject(fault: Fault, options: { times?: number; whenIds?: Iterable<number>; action?: string } = {}): void {
    this.#faults.push({
      fault,
      times: options.times ?? 1,
      action: options.action ?? BATCH_DELETE_CSR,
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

  /**
   * The largest number of calls of one action from one SecretId that arrived within any `windowMs`
   * (each action has its own limit, so calls of different actions never count together); of `action`
   * alone when given.
   */
  maxCallsInWindow(windowMs = 1000, action?: string): number {
    let max = 0;
    const bySecret = new Map<string, number[]>();
    for (const call of this.log) {
      if (action !== undefined && call.action !== action) continue;
      const key = `${call.secretId ?? ''}\u0000${call.action}`;
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
    const action = headers['x-tc-action'] ?? '';
    const record = (entry: Omit<CallRecord, 'arrivedAt' | 'headers' | 'action'>): CallRecord => {
      const call = { arrivedAt, headers, action, ...entry };
      this.log.push(call);
      const excess = this.log.length - (this.#options.maxLogEntries ?? Infinity);
      if (excess > 0) this.log.splice(0, excess);
      return call;
    };
    let ids: number[] = [];
    let secretId: string | undefined;
    let read: ReadRequest | undefined;
    try {
      secretId = this.#authenticate(request);
      if (action === BATCH_DELETE_CSR) ids = parseIds(request.body);
      else {
        read = parseRead(action, request.body);
        if (read.kind === 'one') ids = [read.id];
      }
      const limit = action === BATCH_DELETE_CSR ? this.rateLimit : this.readRateLimit;
      if (!this.#window(secretId, action).tryAcquire(arrivedAt)) {
        throw new TencentError(
          'RequestLimitExceeded',
          `Your current request times exceeds the frequency limit ${limit} for a second. Please reduce the frequency of calls.`,
        );
      }
      const bad = ids.find((id) => id <= 0 || id > MAX_TENCENT_INT || this.invalidIds.has(id));
      if (bad !== undefined) throw new TencentError('InvalidParameter.InvalidCSRId', `Incorrect CSR ID: ${bad}.`);
      // Not documented: a `DescribeCSR` of an ID the account does not hold most likely answers this too
      // (the code Tencent lists for the action's bad IDs); docs/contract.md §5 states the assumption.
      if (read?.kind === 'one' && !this.store.has(read.id)) {
        throw new TencentError('InvalidParameter.InvalidCSRId', `Incorrect CSR ID: ${read.id}.`);
      }
    } catch (error) {
      if (!(error instanceof TencentError)) throw error;
      record({ secretId, ids, outcome: error.code, deleted: [], requestId });
      return json(200, { Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } });
    }

    const fault = this.#takeFault(ids, action);
    if (read) return this.#answerRead(read, fault, (entry) => record({ secretId, ids, deleted: [], ...entry }), requestId);
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
      case 'noSuccessList': {
        record({ secretId, ids, outcome: 'Success', deleted: apply(), requestId });
        const success = fault.success === 'missing' ? {} : { Success: null };
        return json(200, { Response: { ...success, RequestId: requestId } });
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

  /** A read action's answer (nothing is applied, so the two drops are one). */
  async #answerRead(
    read: ReadRequest,
    fault: Fault | undefined,
    record: (entry: { outcome: string; requestId?: string }) => CallRecord,
    requestId: string,
  ): Promise<SimulatorAnswer> {
    switch (fault?.kind) {
      case 'error':
        record({ outcome: fault.code, requestId });
        return json(200, {
          Response: { Error: { Code: fault.code, Message: fault.message ?? messageFor(fault.code) }, RequestId: requestId },
        });
      case 'http':
        record({ outcome: `HTTP ${fault.status}` });
        return { kind: 'answer', status: fault.status, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' };
      case 'nonJson':
        record({ outcome: 'NonJson' });
        return { kind: 'answer', status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>upstream maintenance</body></html>' };
      case 'dropBeforeApply':
      case 'dropAfterApply':
        record({ outcome: 'Dropped' });
        return { kind: 'drop' };
      case 'noSuccessList':
        record({ outcome: 'Success', requestId });
        return json(200, { Response: { RequestId: requestId } });
      case 'delay': {
        const call = record({ outcome: 'Delayed', requestId });
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        call.outcome = 'Success';
        break;
      }
      case undefined:
        record({ outcome: 'Success', requestId });
        break;
    }
    return json(200, { Response: { ...this.#read(read), RequestId: requestId } });
  }

  /** What a read finds in the store now. */
  #read(read: ReadRequest): Record<string, unknown> {
    if (read.kind === 'one') return { ...csrDetail(read.id) };
    // Newest first, as Tencent's console lists them: a CSR's ID grows with its creation time.
    const matching = [...this.store]
      .filter((id) => id > 0)
      .map(csrItem)
      .filter((item) => (read.domain === undefined || item.Domain === read.domain) && (read.encryptAlgo === undefined || item.EncryptAlgo === read.encryptAlgo))
      .sort((a, b) => b.Id - a.Id);
    return { Total: matching.length, Set: matching.slice(read.offset, read.offset + read.limit) };
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
    if (!SIMULATED_ACTIONS.includes(request.headers['x-tc-action'] ?? '')) {
      throw new TencentError('InvalidAction', `This simulator implements ${SIMULATED_ACTIONS.join(', ')} only.`);
    }
    if (request.headers['x-tc-version'] !== SSL_API_VERSION) {
      throw new TencentError('NoSuchVersion', `Version must be ${SSL_API_VERSION}.`);
    }
    return parsed.secretId;
  }

  /** Each action's own window per SecretId: Tencent limits every API on its own. */
  #window(secretId: string, action: string): SlidingWindowCounter {
    const key = `${secretId}\u0000${action}`;
    let window = this.#windows.get(key);
    if (!window) {
      window = new SlidingWindowCounter(1000, () => (action === BATCH_DELETE_CSR ? this.rateLimit : this.readRateLimit));
      this.#windows.set(key, window);
    }
    return window;
  }

  #takeFault(ids: readonly number[], action: string): Fault | undefined {
    const index = this.#faults.findIndex(
      (rule) => rule.times > 0 && rule.action === action && (!rule.whenIds || ids.some((id) => rule.whenIds?.has(id))),
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
  const json = parseObject(body);
  const unknown = Object.keys(json).filter((key) => key !== 'CSRIds');
  if (unknown.length > 0) throw new TencentError('UnknownParameter', `Unknown parameter: ${unknown.join(', ')}.`);
  const ids: unknown = json['CSRIds'];
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

/** A read action's request, as its body says. */
type ReadRequest =
  | { readonly kind: 'set'; readonly limit: number; readonly offset: number; readonly domain?: string; readonly encryptAlgo?: string }
  | { readonly kind: 'one'; readonly id: number };

/**
 * The body rules of the read actions: `DescribeCSRSet` takes `Limit` (1–100, default 10), `Offset`
 * (from 0), `Domain` and `EncryptAlgo` (exact matches: how Tencent matches them is not documented);
 * `DescribeCSR` takes `CSRId`. Nothing else.
 */
function parseRead(action: string, body: Buffer): ReadRequest {
  const json = parseObject(body);
  const allowed = action === DESCRIBE_CSR ? ['CSRId'] : ['Limit', 'Offset', 'Domain', 'EncryptAlgo'];
  const unknown = Object.keys(json).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new TencentError('UnknownParameter', `Unknown parameter: ${unknown.join(', ')}.`);
  if (action === DESCRIBE_CSR) {
    const id = json['CSRId'];
    if (id === undefined) throw new TencentError('MissingParameter', 'The parameter CSRId is required.');
    if (!Number.isInteger(id)) throw new TencentError('InvalidParameter', 'CSRId must be an integer.');
    return { kind: 'one', id: id as number };
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = json[name] ?? fallback;
    if (!Number.isInteger(value)) throw new TencentError('InvalidParameter', `${name} must be an integer.`);
    if ((value as number) < min || (value as number) > max) {
      throw new TencentError('InvalidParameterValue', `${name} must be from ${min} to ${max}.`);
    }
    return value as number;
  };
  const text = (name: string): string | undefined => {
    const value = json[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw new TencentError('InvalidParameter', `${name} must be a string.`);
    return value;
  };
  const domain = text('Domain');
  const encryptAlgo = text('EncryptAlgo');
  return {
    kind: 'set',
    limit: integer('Limit', DEFAULT_CSR_PAGE, 1, MAX_CSR_PAGE),
    offset: integer('Offset', 0, 0, MAX_TENCENT_INT),
    ...(domain !== undefined ? { domain } : {}),
    ...(encryptAlgo !== undefined ? { encryptAlgo } : {}),
  };
}

function parseObject(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TencentError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TencentError('InvalidParameter', 'The request body must be a JSON object.');
  }
  return json as Record<string, unknown>;
}

function json(status: number, value: unknown): SimulatorAnswer {
  const text = JSON.stringify(value);
  return { kind: 'answer', status, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }, body: text };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
