/**
 * The batching engine: many callers' IDs in, full 100-ID `BatchDeleteCSR` calls out, never faster
 * than the rate limit, each caller answered with exactly its own IDs.
 *
 * How it works, in one loop (`#pump`):
 *
 *   1. Wait for a rate-limit slot. Only then form the call: under load, callers keep arriving while we
 *      wait, so the call fills to 100; at idle the slot is free at once and a lone mutation goes out
 *      in the same tick it arrived. (Forming first and waiting after would freeze tiny calls into the
 *      queue and collapse throughput — measured in the notes, §1.4.)
 *   2. Fill the call: a call waiting to be retried goes first; otherwise IDs are taken from callers in
 *      rotation (`FairQueue`), skipping IDs already on their way upstream (the later caller simply
 *      shares that call's answer, so a duplicate never costs a slot).
 *   3. Send it without waiting, and loop.
 *
 * When an answer comes back, `#onAnswer` settles each ID for each caller that asked for it, or decides
 * what to do with a failure: split and resend when Tencent blames some IDs, back off and retry when
 * the failure is transient, answer otherwise. Every attempt, retries and splits included, goes back
 * through step 1, so every upstream call took its own slot.
 *
 * Invariants:
 *   - A call carries 1–100 distinct IDs, and an ID is in at most one call at a time (`#live`).
 *   - Every submitted ID is settled exactly once for its caller (see `Ticket`), by an answer, by the
 *     caller's deadline (`#expire`), or by a final failure.
 *   - An ID that rode on an attempt whose answer was lost is never reported `notDeleted`: a later
 *     answer either confirms its deletion or leaves it `unknown`.
 *   - The upstream call runs in the engine's own async context, never in the context of whichever
 *     caller happened to wake the loop, so no caller's request ID, logger or abort signal leaks into
 *     a call shared with others.
 *
 * Why not DataLoader for this: DataLoader fixes each batch's members when the batch is created and
 * serves batches first-come first-served, so a 3,000-ID mutation would book 30 slots ahead of a 1-ID
 * one that arrives a moment later; it has no notion of retrying, splitting or deadlines either. The
 * schema layer does use DataLoader for what it is good at: per-operation de-duplication.
 */
import { AsyncResource } from 'node:async_hooks';
import type { BatchDeleteClient, BatchDeleteResult } from '../tencent/client.js';
import { failure as makeFailure, GatewayCode, type TencentFailure } from '../tencent/codes.js';
import { backoffPolicy, fullJitterDelay } from './backoff.js';
import { FairQueue } from './fair-queue.js';
import { sleep } from './limiter.js';
import { splitForIsolation } from './split.js';
import { Ticket, type Settlement } from './ticket.js';
import type { CallerOutcome, DeleteEngine, EngineObserver, RateLimiter, SubmitOptions } from './types.js';

/** Tencent's limit on IDs per BatchDeleteCSR call. */
export const MAX_IDS_PER_CALL = 100;

/**
 * After Tencent answers RequestLimitExceeded, dispatch pauses this long. We never exceed the limit
 * ourselves, so someone else is spending the account's quota (the console, a CLI, another tool);
 * Tencent's window is one second, and every call sent into the same window would be refused too.
 */
export const RATE_LIMIT_COOL_DOWN_MS = 1_000;

export interface EngineOptions {
  readonly client: BatchDeleteClient;
  readonly limiter: RateLimiter;
  /** Past this many IDs awaiting answers, new submissions are refused at once. */
  readonly maxPendingIds: number;
  readonly observer?: EngineObserver;
  /** For tests: the jitter source of the backoff. */
  readonly random?: () => number;
}

/** One upstream call's worth of IDs, across its attempts. */
interface Call {
  /** ID → the callers waiting for it (more than one when callers asked for the same ID at once). */
  readonly owners: Map<number, Ticket[]>;
  /** Attempts made so far. */
  attempts: number;
  /** IDs an earlier attempt may have deleted without telling us. */
  readonly ambiguous: Set<number>;
  lastFailure?: TencentFailure;
  inFlight: boolean;
}

export class BatchingEngine implements DeleteEngine {
  readonly #client: BatchDeleteClient;
  readonly #limiter: RateLimiter;
  readonly #options: EngineOptions;
  readonly #queue = new FairQueue();
  /** Calls ready to be resent (splits and retries whose backoff is over), oldest first. */
  readonly #retries: Call[] = [];
  /** ID → the call that currently holds it (ready, waiting out a backoff, or in flight). */
  readonly #live = new Map<number, Call>();
  readonly #tickets = new Set<Ticket>();
  readonly #context = new AsyncResource('TencentBatchDeleteEngine');
  #pending = 0;
  #pumping = false;
  #draining = false;
  /** No call goes out before this time (see RATE_LIMIT_COOL_DOWN_MS). */
  #coolDownUntil = 0;

  constructor(options: EngineOptions) {
    this.#client = options.client;
    this.#limiter = options.limiter;
    this.#options = options;
  }

  get pendingIds(): number {
    return this.#pending;
  }

  submit(ids: readonly number[], { deadline }: SubmitOptions): Promise<CallerOutcome> {
    const distinct = [...new Set(ids)];
    const ticket = new Ticket(distinct, deadline);
    if (distinct.length === 0) return ticket.done;
    if (this.#draining) {
      ticket.failUnsent(
        makeFailure(GatewayCode.ShuttingDown, 'The gateway is shutting down and takes no new work; nothing was sent. Try again.'),
      );
      return ticket.done;
    }
    if (this.#pending + distinct.length > this.#options.maxPendingIds) {
      ticket.failUnsent(
        makeFailure(
          GatewayCode.Overloaded,
          `The gateway already holds ${this.#pending} IDs waiting for Tencent's rate limit; nothing was sent. Try again later.`,
        ),
      );
      return ticket.done;
    }
    this.#track(ticket, distinct.length);
    this.#queue.add(ticket);
    this.#startPump();
    return ticket.done;
  }

  async drain(): Promise<void> {
    this.#draining = true;
    await Promise.all([...this.#tickets].map((ticket) => ticket.done));
  }

  #track(ticket: Ticket, count: number): void {
    this.#tickets.add(ticket);
    this.#addPending(count);
    // Timers run on the event loop's cached monotonic clock and may fire a millisecond before
    // `Date.now()` reaches the deadline; `#expire` must only run once the deadline has passed by the
    // clock every `deadline <= now` check here uses, or an answer arriving in between would keep
    // waiting for a deadline that has already been handled.
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      timer = setTimeout(() => {
        if (Date.now() < ticket.deadline) arm();
        else this.#expire(ticket);
      }, Math.max(0, ticket.deadline - Date.now()));
    };
    arm();
    void ticket.done.then(() => {
      clearTimeout(timer);
      this.#tickets.delete(ticket);
    });
  }

  #addPending(delta: number): void {
    if (delta === 0) return;
    this.#pending += delta;
    this.#options.observer?.onPendingIds?.(this.#pending);
  }

  #settle(ticket: Ticket, id: number, settlement: Settlement): void {
    if (ticket.settle(id, settlement)) this.#addPending(-1);
  }

  // ---------------------------------------------------------------------------------------------
  // The dispatch loop

  #startPump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#context.runInAsyncScope(() => {
      void this.#pump().finally(() => {
        this.#pumping = false;
      });
    });
  }

  async #pump(): Promise<void> {
    while (this.#hasReadyWork()) {
      const coolDown = this.#coolDownUntil - Date.now();
      if (coolDown > 0) {
        await sleep(coolDown);
        continue;
      }
      const waitStarted = Date.now();
      const until = this.#latestDeadline();
      let permit: 'granted' | 'deadline';
      try {
        permit = await this.#limiter.acquire(this.#client.secretId, until);
      } catch {
        // A limiter that cannot answer gives no permission: sending anyway could break the limit.
        this.#failReadyWork(
          makeFailure(GatewayCode.LimiterUnavailable, 'The rate limiter could not be reached; nothing was sent. Try again.'),
        );
        return;
      }
      this.#options.observer?.onRateLimitWait?.((Date.now() - waitStarted) / 1000);
      // No slot before the last deadline: every caller's own timer will answer its queued IDs. Callers
      // who arrived while we waited (a limiter can wait long, e.g. for its Redis) may have later ones.
      if (permit === 'deadline') {
        if (this.#latestDeadline() > until) continue;
        return;
      }
      // Tencent refused a call while we waited for this slot: let the slot go unused.
      if (Date.now() < this.#coolDownUntil) continue;
      const call = this.#nextCall();
      if (call) void this.#send(call);
    }
  }

  #hasReadyWork(): boolean {
    // Drop retries whose every caller has already been answered (by its deadline).
    for (let i = this.#retries.length - 1; i >= 0; i--) {
      if (this.#retries[i]?.owners.size === 0) this.#retries.splice(i, 1);
    }
    return this.#retries.length > 0 || !this.#queue.isEmpty;
  }

  /** The slot is worth having until the last deadline of anyone who could use it. */
  #latestDeadline(): number {
    let latest = 0;
    for (const ticket of this.#queue.tickets()) latest = Math.max(latest, ticket.deadline);
    for (const call of this.#retries) {
      for (const owners of call.owners.values()) for (const owner of owners) latest = Math.max(latest, owner.deadline);
    }
    return latest;
  }

  #nextCall(): Call | undefined {
    // Owners may have been answered by their deadlines while we waited for the slot.
    for (let retry = this.#retries.shift(); retry; retry = this.#retries.shift()) {
      if (retry.owners.size > 0) return retry;
    }
    if (this.#queue.isEmpty) return undefined;
    const call: Call = { owners: new Map(), attempts: 0, ambiguous: new Set(), inFlight: false };
    this.#queue.fill(MAX_IDS_PER_CALL, (ticket, id) => {
      const holder = this.#live.get(id) ?? call;
      const owners = holder.owners.get(id);
      if (owners) {
        owners.push(ticket);
        return false;
      }
      call.owners.set(id, [ticket]);
      this.#live.set(id, call);
      return true;
    });
    return call.owners.size > 0 ? call : undefined;
  }

  async #send(call: Call): Promise<void> {
    const ids = [...call.owners.keys()];
    call.inFlight = true;
    call.attempts += 1;
    const started = performance.now();
    let result: BatchDeleteResult;
    try {
      result = await this.#client.batchDeleteCSR(ids);
    } catch (error) {
      // The client turns every upstream outcome into a result; a throw is a bug, and still must not
      // strand the callers. The call may have gone out, so its IDs are treated as possibly deleted.
      result = {
        ok: false,
        failure: makeFailure(GatewayCode.ClientError, `The Tencent client failed unexpectedly: ${String(error)}`, {
          delivery: 'unknown',
        }),
      };
    }
    call.inFlight = false;
    this.#options.observer?.onCall?.({
      ids: ids.length,
      attempt: call.attempts,
      code: result.ok ? 'Success' : result.failure.code,
      requestId: result.ok ? result.requestId : result.failure.requestId,
      durationMs: performance.now() - started,
    });
    this.#onAnswer(call, ids, result);
  }

  // ---------------------------------------------------------------------------------------------
  // Answers

  #onAnswer(call: Call, ids: readonly number[], result: BatchDeleteResult): void {
    const requestId = result.ok ? result.requestId : result.failure.requestId;
    for (const owners of call.owners.values()) for (const owner of owners) owner.addRequestId(requestId);

    if (result.ok) {
      const deleted = new Set(result.deleted);
      this.#finish(call, (id) =>
        deleted.has(id) ? { kind: 'deleted' } : call.ambiguous.has(id) ? { kind: 'unknown' } : { kind: 'notDeleted' },
      );
      return;
    }

    const failure = result.failure;
    call.lastFailure = failure;
    if (failure.code.startsWith('RequestLimitExceeded')) {
      this.#coolDownUntil = Math.max(this.#coolDownUntil, Date.now() + RATE_LIMIT_COOL_DOWN_MS);
    }
    if (failure.delivery === 'unknown') for (const id of ids) call.ambiguous.add(id);

    if (failure.blamesIds && call.owners.size > 1) {
      const [left, right] = splitForIsolation([...call.owners.keys()], (id) => call.owners.get(id)?.[0]);
      const parts = [this.#carve(call, left), this.#carve(call, right)];
      // `#expire` leaves in-flight IDs to their answer; an owner whose deadline passed meanwhile must be
      // answered here, or its IDs would wait in the parts for a slot no one may use any more.
      const now = Date.now();
      const expired = deadlineBeforeResend();
      for (const part of parts) {
        for (const [id, owners] of part.owners) {
          for (const owner of owners.filter((ticket) => ticket.deadline <= now)) {
            this.#release(part, id, owner, finalSettlement(part, id, expired));
          }
        }
      }
      this.#retries.unshift(...parts);
      this.#startPump();
      return;
    }
    if (failure.retryable) {
      this.#retryLater(call, failure);
      return;
    }
    this.#finish(call, (id) => finalSettlement(call, id, failure));
  }

  /** A new call holding `ids` of `call`, inheriting its history. */
  #carve(call: Call, ids: readonly number[]): Call {
    const part: Call = {
      owners: new Map(),
      attempts: call.attempts,
      ambiguous: new Set(ids.filter((id) => call.ambiguous.has(id))),
      inFlight: false,
      ...(call.lastFailure ? { lastFailure: call.lastFailure } : {}),
    };
    for (const id of ids) {
      part.owners.set(id, call.owners.get(id) ?? []);
      this.#live.set(id, part);
    }
    return part;
  }

  #retryLater(call: Call, failure: TencentFailure): void {
    const delay = fullJitterDelay(call.attempts, backoffPolicy(failure), this.#options.random);
    const retryAt = Date.now() + delay;
    // Callers whose deadline comes before the retry could are answered now, with what we know.
    for (const [id, owners] of call.owners) {
      for (const owner of owners.filter((ticket) => ticket.deadline <= retryAt)) {
        this.#release(call, id, owner, finalSettlement(call, id, failure));
      }
    }
    if (call.owners.size === 0) return;
    setTimeout(() => {
      this.#retries.push(call);
      this.#startPump();
    }, delay);
  }

  /** Settles every ID of a call for every owner, and lets the IDs go. */
  #finish(call: Call, settlementOf: (id: number) => Settlement): void {
    for (const [id, owners] of call.owners) {
      const settlement = settlementOf(id);
      for (const owner of owners) this.#settle(owner, id, settlement);
      this.#live.delete(id);
    }
    call.owners.clear();
  }

  /** Settles one owner's claim on an ID of a call that is not in flight, and drops the claim. */
  #release(call: Call, id: number, owner: Ticket, settlement: Settlement): void {
    this.#settle(owner, id, settlement);
    const owners = call.owners.get(id);
    if (!owners) return;
    const remaining = owners.filter((ticket) => ticket !== owner);
    if (remaining.length > 0) {
      call.owners.set(id, remaining);
      return;
    }
    call.owners.delete(id);
    if (this.#live.get(id) === call) this.#live.delete(id);
  }

  // ---------------------------------------------------------------------------------------------
  // Deadlines

  /**
   * A caller's deadline: IDs still queued fail with `DeadlineExceeded` (nothing was sent, nothing
   * lost); IDs waiting for a retry get the failure that made them wait; IDs in flight are waited for.
   */
  #expire(ticket: Ticket): void {
    this.#queue.remove(ticket);
    this.#addPending(
      -ticket.failUnsent(
        makeFailure(
          GatewayCode.DeadlineExceeded,
          "The mutation's deadline passed while these IDs waited for Tencent's rate limit; nothing was sent for them. Try again.",
        ),
      ),
    );
    // One failure for all of them: the caller's errors are grouped by failure.
    const notResent = deadlineBeforeResend();
    for (const id of [...ticket.taken]) {
      const call = this.#live.get(id);
      if (!call || call.inFlight) continue;
      // A transient failure is what kept it waiting; a split part was only waiting for its turn.
      const reason = call.lastFailure?.retryable ? call.lastFailure : notResent;
      this.#release(call, id, ticket, finalSettlement(call, id, reason));
    }
  }

  /** When the limiter itself fails, queued and ready work gets a typed answer rather than a hang. */
  #failReadyWork(failure: TencentFailure): void {
    for (const ticket of [...this.#queue.tickets()]) {
      this.#queue.remove(ticket);
      this.#addPending(-ticket.failUnsent(failure));
    }
    for (const call of this.#retries.splice(0)) {
      for (const [id, owners] of call.owners) {
        for (const owner of [...owners]) this.#release(call, id, owner, finalSettlement(call, id, failure));
      }
    }
  }
}

/**
 * The answer for an ID whose last attempt failed for good. If an earlier attempt's answer was lost,
 * that attempt may have deleted it; a later definitive refusal (auth, a failed operation) says nothing
 * about that, so the ID is `unknown`. A transient failure that outlasted the retries stays what it is
 * (docs/contract.md §4 maps it to `UpstreamUnavailableError`), and Tencent calling the ID itself invalid means
 * no attempt could have deleted it.
 */
function finalSettlement(call: Call, id: number, failure: TencentFailure): Settlement {
  if (call.ambiguous.has(id) && !failure.retryable && failure.category !== 'InvalidCSRId') return { kind: 'unknown' };
  return { kind: 'failed', failure };
}

function deadlineBeforeResend(): TencentFailure {
  return makeFailure(
    GatewayCode.DeadlineExceeded,
    "The mutation's deadline passed before these IDs could be resent; Tencent did not delete them. Try again.",
  );
}
