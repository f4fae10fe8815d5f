/**
 * The batching engine: many callers' IDs in, full 100-ID `BatchDeleteCSR` calls out, never faster
 * than the rate limit, each caller answered with exactly its own IDs.
 *
 * How it works, in one loop (`#pump`):
 *
 *   1. Wait for a rate-limit slot. Only then form the call: under load, callers keep arriving while we
 *      wait, so the call fills to 100; at idle the slot is free at once and a lone mutation goes out
 *      in the same tick it arrived. (Forming first and waiting after would freeze tiny calls into the
 *      queue and collapse throughput — measured in docs/notes/rate-limiting-and-batching.md §1.4.)
 *   2. Form the call in the callers' fair rotation (`FairQueue`): either one caller's isolation part,
 *      when its turn has come, or a shared call of one ID from each caller in turn. An ID already on
 *      its way upstream for another caller rides that call's answer instead of taking a place.
 *   3. Send it without waiting, and loop. The client asks the slot's grant at the last moment before
 *      the bytes go, so the limit holds on real send times (limiter.ts).
 *
 * When a call ends, `decide` (decision.ts, a pure function) says what follows: settle its IDs,
 * resend them at once (the slot was missed, nothing went), retry after a backoff, split to isolate
 * the IDs Tencent blames, or fail them. IDs going around again rejoin their callers' turns, so a
 * retry is topped up with other work and waits its callers' turn like everything else.
 *
 * When a call's answer was lost and the engine has an existence checker (existence.ts), its IDs are
 * checked before anything else follows (`#reconcile`): the IDs of the calls lost within
 * `checkDelayMs` of each other share one check, which the checker paces by a limit of its own — never
 * a delete slot. An ID found gone is deleted (the check is its evidence), one found still there goes
 * around again (past its caller's deadline it fails — nothing deleted it — once the lost call surely
 * ended at Tencent, and is unknown while it may still land), and when the check fails the
 * lost answer's own decision follows, as without a checker. While its check runs the ID stays "on its
 * way" (`#inFlight`): another caller's claim on it rides the check instead of sending it meanwhile.
 *
 * Invariants:
 *   - A call carries 1–100 distinct IDs; an ID is in at most one call at a time (`#inFlight`).
 *   - Every submitted ID is settled exactly once for its caller (see `Ticket`), by an answer, by a
 *     final failure, or by the caller's deadline — and deadlines have one mechanism, `#expire`.
 *   - Honest accounting, per ID and not per caller's claim on it (id-ledger.ts): once any call that
 *     carried an ID lost its answer, every caller of it is told deleted (a later answer or a check
 *     says so) or unknown (decision.ts) — unless a check finds it still there, which says that call
 *     did not delete it; once an answer says what became of an ID, every caller of it is told that.
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
import type { BatchDeleteClient, BatchDeleteResult } from './client.js';
import { failure as makeFailure, GatewayCode, type TencentFailure } from '../tencent/codes.js';
import { fullJitterDelay } from './backoff.js';
import {
  afterFailedCheck,
  answeredSettlement,
  checkDeadline,
  decide,
  finalSettlement,
  landedUpstream,
  lostAnswer,
  reconcile,
  type CheckFinding,
} from './decision.js';
import type { ExistenceAnswer, ExistenceChecker } from './existence.js';
import { FairQueue } from './fair-queue.js';
import { IdLedger } from './id-ledger.js';
import { chargeSplit, groupByTicket, isolationBudget, leadOf, maySplit, splitForIsolation } from './isolation.js';
import { sleep } from './limiter.js';
import { DELETED_BY_CHECK, type DeletionOutcome, type Settlement } from './outcome.js';
import { Ticket, type Entry } from './ticket.js';
import type { DeleteEngine, EngineObserver, RateLimiter, SlotGrant, SubmitOptions } from './types.js';

/** Tencent's limit on IDs per BatchDeleteCSR call. */
export const MAX_IDS_PER_CALL = 100;

/**
 * After Tencent says the account is over its rate, dispatch pauses this long: Tencent's window is one
 * second, and every call sent into it would be refused too (decision.ts `isThrottling`).
 */
export const RATE_LIMIT_COOL_DOWN_MS = 1_000;

export interface EngineOptions {
  readonly client: BatchDeleteClient;
  readonly limiter: RateLimiter;
  /** Past this many IDs awaiting answers, new submissions are refused at once. */
  readonly maxPendingIds: number;
  readonly observer?: EngineObserver;
  /**
   * Asks which CSRs exist when a call's answer was lost (existence.ts, `#reconcile`). Without one,
   * such IDs end `deleted` when a later answer lists them and `unknown` otherwise, as they always did.
   */
  readonly checker?: ExistenceChecker;
  /**
   * How long after a lost answer its IDs are checked (default 200 ms): the IDs of every call lost
   * meanwhile share the check, and a call that Tencent was still applying has landed.
   */
  readonly checkDelayMs?: number;
  /**
   * The least time a check is given (default 10 s; the gateway passes UPSTREAM_TIMEOUT_MS), and how
   * long past its deadline a caller waits for a check of its IDs. A check runs until the latest
   * deadline of the callers waiting for it (decision.ts `checkDeadline`).
   */
  readonly checkTimeoutMs?: number;
  /** For tests: the jitter source of the backoff. */
  readonly random?: () => number;
}

type CallState = 'inFlight' | 'checking' | 'backingOff' | 'settled';

/** See `EngineOptions.checkDelayMs` and `checkTimeoutMs`. */
export const CHECK_DELAY_MS = 200;
export const CHECK_TIMEOUT_MS = 10_000;

/** One upstream call: a shared one, or one caller's isolation part (`private`). */
class Call {
  state: CallState = 'inFlight';
  /** ID → the entries waiting for it (several when callers asked for the same ID at once). */
  readonly entries = new Map<number, Entry[]>();
  backoff: NodeJS.Timeout | undefined;
  /** While `checking`: the lost answer, whose own decision follows if the check fails. */
  lost: BatchDeleteResult | undefined;

  constructor(readonly kind: 'shared' | 'private') {}

  all(): Entry[] {
    return [...this.entries.values()].flat();
  }

  /** Entries not yet settled (a caller's deadline may have answered some while the call waited). */
  pending(): Entry[] {
    return this.all().filter((entry) => entry.state !== 'settled');
  }
}

export class BatchingEngine implements DeleteEngine {
  readonly #client: BatchDeleteClient;
  readonly #limiter: RateLimiter;
  readonly #options: EngineOptions;
  readonly #queue = new FairQueue();
  /** ID → the call carrying it upstream right now. */
  readonly #inFlight = new Map<number, Call>();
  /** Calls waiting out a backoff, with their timers (cleared if their callers are all answered). */
  readonly #backingOff = new Set<Call>();
  readonly #tickets = new Set<Ticket>();
  readonly #ledger = new IdLedger();
  readonly #context = new AsyncResource('TencentBatchDeleteEngine');
  #pending = 0;
  #pumping = false;
  #draining = false;
  /** The last slot went to an isolation part (see `#nextCall`). */
  #lastWasPrivate = false;
  /** No call goes out before this time (see RATE_LIMIT_COOL_DOWN_MS). */
  #coolDownUntil = 0;
  /** Calls whose answer was lost, waiting for the next check (`#reconcile`). */
  #awaitingCheck: Call[] = [];
  #checkTimer: NodeJS.Timeout | undefined;
  /** A check is running: the calls lost meanwhile wait for the next one, which the running one starts. */
  #checkRunning = false;

  constructor(options: EngineOptions) {
    this.#client = options.client;
    this.#limiter = options.limiter;
    this.#options = options;
  }

  get pendingIds(): number {
    return this.#pending;
  }

  /** `ids` must be distinct: the deletion service (src/deletion/) de-duplicates, once, before they come here. */
  submit(ids: readonly number[], { deadline, tag, onSending }: SubmitOptions): Promise<DeletionOutcome> {
    const ticket = new Ticket(ids, { deadline, tag, onSending, isolationBudget: isolationBudget(ids.length) });
    if (ids.length === 0) return ticket.done;
    if (deadline <= Date.now()) {
      ticket.failUnsent(deadlineExceeded());
      return ticket.done;
    }
    if (this.#draining) {
      ticket.failUnsent(
        makeFailure(GatewayCode.ShuttingDown, 'The gateway is shutting down and takes no new work; nothing was sent. Try again.'),
      );
      return ticket.done;
    }
    if (this.#pending + ids.length > this.#options.maxPendingIds) {
      ticket.failUnsent(
        makeFailure(
          GatewayCode.Overloaded,
          `The gateway already holds ${this.#pending} IDs waiting for Tencent's rate limit; nothing was sent. Try again later.`,
        ),
      );
      return ticket.done;
    }
    this.#track(ticket, ids.length);
    this.#queue.add(ticket);
    this.#startPump();
    return ticket.done;
  }

  async drain(): Promise<void> {
    this.#draining = true;
    await Promise.all([...this.#tickets].map((ticket) => ticket.done));
    // Every caller is answered; a backoff still armed could only resend for nobody.
    for (const call of this.#backingOff) clearTimeout(call.backoff);
    this.#backingOff.clear();
  }

  #track(ticket: Ticket, count: number): void {
    this.#tickets.add(ticket);
    this.#ledger.hold(ticket);
    this.#addPending(count);
    // Timers run on the event loop's cached monotonic clock and may fire a millisecond before
    // `Date.now()` reaches the deadline: re-arm until it has, so "expired" means the same everywhere.
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
      this.#ledger.release(ticket);
    });
  }

  #addPending(delta: number): void {
    if (delta === 0) return;
    this.#pending += delta;
    this.#options.observer?.onPendingIds?.(this.#pending);
  }

  #settle(entry: Entry, settlement: Settlement): void {
    if (entry.ticket.settle(entry, settlement)) this.#addPending(-1);
  }

  // ---------------------------------------------------------------------------------------------
  // The dispatch loop

  #startPump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#context.runInAsyncScope(() => void this.#pump());
  }

  #hasWork(): boolean {
    this.#queue.prune();
    return this.#queue.hasWork;
  }

  async #pump(): Promise<void> {
    try {
      await this.#dispatch();
    } finally {
      // In the same microtask as the loop's last check, so that work arriving after it starts a new loop.
      this.#pumping = false;
    }
  }

  async #dispatch(): Promise<void> {
    while (this.#hasWork()) {
      const coolDown = this.#coolDownUntil - Date.now();
      if (coolDown > 0) {
        await sleep(coolDown);
        continue;
      }
      const waitStarted = Date.now();
      const until = this.#latestDeadline();
      let grant: SlotGrant | 'deadline';
      try {
        grant = await this.#limiter.acquire(this.#client.secretId, until);
      } catch (error) {
        // A limiter that cannot answer gives no permission: sending anyway could break the limit.
        this.#failQueued(
          makeFailure(
            GatewayCode.LimiterUnavailable,
            `The rate limiter could not grant a slot (${error instanceof Error ? error.message : String(error)}); ` +
              'nothing was sent for these IDs. Try again.',
          ),
        );
        continue;
      }
      this.#options.observer?.onRateLimitWait?.((Date.now() - waitStarted) / 1000);
      // No slot before the last deadline: every caller's own timer will answer its queued IDs. Callers
      // who arrived while we waited (a limiter can wait long) may have later ones.
      if (grant === 'deadline') {
        if (this.#latestDeadline() > until) continue;
        return;
      }
      // Tencent throttled a call while we waited for this slot: let the slot go unused.
      if (Date.now() < this.#coolDownUntil) continue;
      const call = this.#nextCall();
      if (call) void this.#send(call, grant);
    }
  }

  /** The slot is worth having until the last deadline of anyone who could use it. */
  #latestDeadline(): number {
    let latest = 0;
    for (const ticket of this.#queue.tickets()) latest = Math.max(latest, ticket.deadline);
    return latest;
  }

  /**
   * The call for a slot: an isolation part (fair-queue.ts says whose) or a shared call — parts at
   * most every other slot while a shared call can be formed, so that callers not being isolated
   * never wait behind a run of parts.
   */
  #nextCall(): Call | undefined {
    if (!this.#lastWasPrivate) {
      const part = this.#nextPart();
      if (part) return part;
    }
    const shared = this.#sharedCall(false);
    if (shared) return shared;
    // Nobody had an ID for a shared call: a part goes, even right after another; failing that, the
    // IDs of callers being isolated, rather than an unused slot.
    return this.#nextPart() ?? this.#sharedCall(true);
  }

  #sharedCall(suspects: boolean): Call | undefined {
    const shared = new Call('shared');
    this.#queue.fill(MAX_IDS_PER_CALL, (entry) => this.#place(shared, entry), { suspects });
    if (shared.entries.size === 0) return undefined;
    this.#lastWasPrivate = false;
    return shared;
  }

  #nextPart(): Call | undefined {
    for (let due = this.#queue.takeDue(); due; due = this.#queue.takeDue()) {
      const call = this.#privateCall(due);
      if (call) {
        this.#lastWasPrivate = true;
        return call;
      }
    }
    return undefined;
  }

  #privateCall(lead: Ticket): Call | undefined {
    const part = lead.takePart();
    if (!part || part.length === 0) return undefined;
    const call = new Call('private');
    for (const entry of part) this.#place(call, entry);
    return call.entries.size > 0 ? call : undefined;
  }

  /**
   * Puts an entry in `call`; false when it took no place of its own there: its ID is on its way
   * upstream already (it rides that call), or an answer for another caller already said what became
   * of it (it is settled with that answer, as that caller was).
   */
  #place(call: Call, entry: Entry): boolean {
    const verdict = this.#ledger.verdict(entry.id);
    if (verdict) {
      this.#settle(entry, verdict);
      return false;
    }
    const flying = this.#inFlight.get(entry.id);
    const host = flying ?? call;
    entry.state = host === flying ? 'inFlight' : entry.state;
    if (host === flying) tellSending(entry.ticket, [entry]);
    const riders = host.entries.get(entry.id);
    if (riders) {
      riders.push(entry);
      return false;
    }
    host.entries.set(entry.id, [entry]);
    return true;
  }

  async #send(call: Call, grant: SlotGrant): Promise<void> {
    const ids = [...call.entries.keys()];
    for (const id of ids) this.#inFlight.set(id, call);
    for (const entry of call.all()) entry.state = 'inFlight';
    const attempt = 1 + Math.max(...call.all().map((entry) => entry.attempts));
    const startedAt = Date.now();
    const started = performance.now();
    let sendingAt: number | undefined;
    let sentAt: number | undefined;
    let result: BatchDeleteResult;
    try {
      const beforeSend = (): boolean => {
        if (!grant.claim()) return false;
        sendingAt = performance.timeOrigin + performance.now();
        for (const [ticket, entries] of groupByTicket(call.all())) tellSending(ticket, entries);
        return true;
      };
      const afterSend = (): void => {
        grant.sent();
        sentAt = performance.timeOrigin + performance.now();
      };
      result = await this.#client.batchDeleteCSR(ids, { beforeSend, afterSend });
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
    for (const id of ids) if (this.#inFlight.get(id) === call) this.#inFlight.delete(id);
    if (!result.ok && result.failure.code === GatewayCode.SendSlotMissed) this.#options.observer?.onSlotMissed?.();
    else this.#report(call, ids.length, attempt, result, { startedAt, sendingAt, sentAt, durationMs: performance.now() - started });
    this.#onAnswer(call, result);
  }

  #report(
    call: Call,
    ids: number,
    attempt: number,
    result: BatchDeleteResult,
    {
      startedAt,
      sendingAt,
      sentAt,
      durationMs,
    }: { startedAt: number; sendingAt: number | undefined; sentAt: number | undefined; durationMs: number },
  ): void {
    this.#options.observer?.onCall?.({
      ids,
      attempt,
      code: result.ok ? 'Success' : result.failure.code,
      ...(result.ok ? { requestId: result.requestId } : result.failure.requestId ? { requestId: result.failure.requestId } : {}),
      startedAt,
      ...(sendingAt === undefined ? {} : { sendingAt }),
      ...(sentAt === undefined ? {} : { sentAt }),
      durationMs,
      tags: [...groupByTicket(call.all()).keys()].map((ticket) => ticket.tag),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Answers

  #onAnswer(call: Call, result: BatchDeleteResult): void {
    const entries = call.all();
    const failure = result.ok ? undefined : result.failure;
    const requestId = result.ok ? result.requestId : failure?.requestId;
    const sent = failure?.code !== GatewayCode.SendSlotMissed;
    for (const entry of entries) {
      entry.ticket.noteRequestId(entry.id, requestId);
      if (sent) entry.attempts++;
    }
    const lost = lostAnswer(result);
    if (lost) {
      const mayLand = !landedUpstream(result);
      for (const id of call.entries.keys()) this.#ledger.lose(id, { mayLand });
    }
    if (lost && this.#options.checker && call.pending().length > 0) {
      this.#reconcile(call, result);
      return;
    }
    this.#conclude(call, result);
  }

  /** What follows an answer, as `decide` says: everything after an answer but the check. */
  #conclude(call: Call, result: BatchDeleteResult): void {
    const entries = call.all();
    const failure = result.ok ? undefined : result.failure;
    const decision = decide(result, { distinctIds: call.entries.size, maySplit: maySplit(call.pending()) });
    switch (decision.kind) {
      case 'settle': {
        const listed = result.ok && result.deleted ? new Set(result.deleted) : undefined;
        for (const id of call.entries.keys()) {
          // No Success list: Tencent may have deleted any of them, as with a lost answer.
          if (!listed) this.#ledger.lose(id, { mayLand: false });
          this.#ledger.establish(id, answeredSettlement(listed?.has(id), this.#ledger.isLost(id)));
        }
        this.#finish(call, (entry) => answeredSettlement(listed?.has(entry.id), this.#ledger.isLost(entry.id)));
        return;
      }
      case 'fail':
        this.#finish(call, (entry) => finalSettlement(this.#ledger.isLost(entry.id), decision.failure));
        return;
      case 'resend':
        this.#requeue(call);
        return;
      case 'retry': {
        for (const entry of entries) entry.lastFailure = failure;
        // Callers whose deadline passed while the call was in flight are answered now, not after the backoff.
        for (const entry of call.pending()) this.#answeredAtDeadline(entry);
        if (call.pending().length === 0) {
          call.state = 'settled';
          return;
        }
        if (decision.coolDown) this.#coolDownUntil = Math.max(this.#coolDownUntil, Date.now() + RATE_LIMIT_COOL_DOWN_MS);
        const attempts = Math.max(...entries.map((entry) => entry.attempts));
        this.#backOff(call, fullJitterDelay(attempts, decision.backoff, this.#options.random));
        return;
      }
      case 'isolate': {
        const pending = call.pending();
        chargeSplit(pending);
        call.state = 'settled';
        for (const part of splitForIsolation(pending)) this.#queuePart(part);
        this.#startPump();
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reconciliation: checking the IDs of calls whose answer was lost

  /**
   * Holds a call whose answer was lost until the next check. Its IDs stay on their way upstream
   * (`#inFlight`), so a caller asking for one of them meanwhile rides the check rather than sending it,
   * and its entries stay `inFlight`, answered when the check ends — or, for a caller whose deadline
   * has passed, `checkTimeoutMs` after it at the latest (`#expire`, `#giveUpAfter`).
   */
  #reconcile(call: Call, result: BatchDeleteResult): void {
    call.state = 'checking';
    call.lost = result;
    for (const id of call.entries.keys()) this.#inFlight.set(id, call);
    this.#awaitingCheck.push(call);
    // Callers already past their deadline (the call was out when it came) wait no longer than `checkTimeoutMs` for it.
    this.#giveUpAfter(call.pending().filter((entry) => entry.ticket.expired), this.#options.checkTimeoutMs ?? CHECK_TIMEOUT_MS);
    this.#scheduleCheck();
  }

  /**
   * One check at a time, for the IDs of every call lost since the last one began: concurrent checks
   * would share the read actions' limit (10 calls a second each) and each pay for its own IDs, where
   * one check of their union pays once — and may choose one scan of the account over many
   * `DescribeCSR` calls (existence-checker.ts). Each waits `checkDelayMs` after it is due, so that a
   * call Tencent was still applying has landed.
   */
  #scheduleCheck(): void {
    if (this.#checkTimer !== undefined || this.#checkRunning || this.#awaitingCheck.length === 0) return;
    this.#checkTimer = setTimeout(() => void this.#check(), this.#options.checkDelayMs ?? CHECK_DELAY_MS);
  }

  /** One check for the IDs of every call lost since the last one. */
  async #check(): Promise<void> {
    this.#checkTimer = undefined;
    this.#checkRunning = true;
    const calls = this.#awaitingCheck.splice(0);
    const ids = [...new Set(calls.flatMap((call) => [...call.entries.keys()]))];
    const timeoutMs = this.#options.checkTimeoutMs ?? CHECK_TIMEOUT_MS;
    const pending = calls.flatMap((call) => call.pending());
    // As long as the last caller's deadline allows; those past theirs are answered sooner (`#giveUpAfter`).
    let latest: number | undefined;
    for (const entry of pending) if (!entry.ticket.expired) latest = Math.max(latest ?? 0, entry.ticket.deadline);
    const deadline = checkDeadline(Date.now(), latest, timeoutMs);
    const started = performance.now();
    try {
      const answer = await this.#askChecker(ids, deadline);
      this.#options.observer?.onCheck?.({
        ids: ids.length,
        code: answer.ok ? 'Success' : answer.failure.code,
        present: answer.ok ? ids.filter((id) => answer.existing.has(id)).length : 0,
        durationMs: performance.now() - started,
      });
      for (const call of calls) this.#afterCheck(call, answer);
    } finally {
      this.#checkRunning = false;
      this.#scheduleCheck();
    }
  }

  /** The checker's answer, by `deadline` at the latest; a throw or a hang is a failed check (nothing learned). */
  async #askChecker(ids: readonly number[], deadline: number): Promise<ExistenceAnswer> {
    const checker = this.#options.checker as ExistenceChecker;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<ExistenceAnswer>((resolve) => {
      // A second past the deadline the checker was given: it should have given up by then itself.
      timer = setTimeout(
        () => resolve({ ok: false, failure: makeFailure(GatewayCode.UpstreamTimeout, 'The existence check did not answer in time.') }),
        Math.max(0, deadline - Date.now()) + 1_000,
      );
    });
    try {
      return await Promise.race([checker.check(ids, { deadline }), late]);
    } catch (error) {
      return { ok: false, failure: makeFailure(GatewayCode.ClientError, `The existence check failed unexpectedly: ${String(error)}`) };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Answers, `ms` from now, those of `entries` still waiting for a check: as if the check had failed
   * (`unknown` for an ID a lost call carried). The contract's bound on how long a caller past its
   * deadline waits for a lost answer's check (docs/contract.md §4, "Deadline").
   */
  #giveUpAfter(entries: readonly Entry[], ms: number): void {
    if (entries.length === 0) return;
    setTimeout(() => {
      for (const entry of entries) if (entry.state === 'inFlight' && this.#inFlight.get(entry.id)?.state === 'checking') this.#answeredAtDeadline(entry);
    }, ms);
  }

  /**
   * A lost call's IDs once the check has answered: each per `reconcile` (decision.ts), which the
   * ledger learns first so that every caller of the ID is told the same — gone is deleted for all of
   * them, still there withdraws the `unknown` the lost answer had raised them to. A failed check is
   * asked again while a caller has time, or else the lost answer's own decision follows
   * (`afterFailedCheck`).
   */
  #afterCheck(call: Call, answer: ExistenceAnswer): void {
    const result = call.lost as BatchDeleteResult;
    if (!answer.ok) {
      const timeLeft = call.pending().some((entry) => !entry.ticket.expired);
      if (afterFailedCheck(answer.failure, { timeLeft }) === 'recheck') {
        // Callers past their deadline are answered now (unknown: nothing was learned); the rest wait for the next check.
        for (const entry of call.pending()) this.#answeredAtDeadline(entry);
        this.#awaitingCheck.push(call);
        return;
      }
    }
    for (const id of call.entries.keys()) if (this.#inFlight.get(id) === call) this.#inFlight.delete(id);
    call.lost = undefined;
    if (!answer.ok) {
      this.#conclude(call, result);
      return;
    }
    const deadlineFailure = deadlineExceeded();
    for (const [id, entries] of call.entries) {
      const finding: CheckFinding = answer.existing.has(id) ? 'present' : 'absent';
      // Still there, and every lost call that carried it surely ended: none deleted it, for any caller.
      // While one may yet land, the ambiguity stays (the next answer or check may resolve it).
      const landed = !this.#ledger.mayLand(id);
      if (finding === 'absent') this.#ledger.establish(id, DELETED_BY_CHECK);
      else this.#ledger.found(id);
      for (const entry of entries) {
        for (const requestId of answer.requestIds) entry.ticket.noteRequestId(id, requestId);
        if (entry.state === 'settled') continue;
        const next = reconcile(finding, { expired: entry.ticket.expired, landed, deadlineFailure });
        if (next.kind === 'settle') this.#settle(entry, next.settlement);
      }
    }
    // What is left is still there, with time left: around again (a part as a part).
    this.#requeue(call);
  }

  /** Settles every pending entry of a call that has ended for good. */
  #finish(call: Call, settlementOf: (entry: Entry) => Settlement): void {
    call.state = 'settled';
    for (const entry of call.pending()) this.#settle(entry, settlementOf(entry));
  }

  #backOff(call: Call, delayMs: number): void {
    call.state = 'backingOff';
    for (const entry of call.pending()) entry.state = 'backingOff';
    this.#backingOff.add(call);
    call.backoff = setTimeout(() => {
      this.#backingOff.delete(call);
      this.#requeue(call);
    }, delayMs);
  }

  /**
   * A call's pending entries go around again: an isolation part as a part, others back to their
   * callers' turns. Callers whose deadline has passed get their answer now instead.
   */
  #requeue(call: Call): void {
    call.state = 'settled';
    const pending = call.pending().filter((entry) => !this.#answeredAtDeadline(entry));
    if (call.kind === 'private') this.#queuePart(pending);
    else {
      for (const [ticket, entries] of groupByTicket(pending)) {
        ticket.giveBack(entries);
        this.#queue.add(ticket);
      }
    }
    this.#startPump();
  }

  /** Queues an isolation part with its lead (the caller with the most IDs in it). */
  #queuePart(entries: readonly Entry[]): void {
    const pending = entries.filter((entry) => entry.state !== 'settled' && !this.#answeredAtDeadline(entry));
    const lead = leadOf(pending);
    if (!lead) return;
    lead.addPart(pending);
    this.#queue.add(lead);
  }

  // ---------------------------------------------------------------------------------------------
  // Deadlines: the one mechanism

  /**
   * A caller's deadline: nothing more is sent for it. IDs never taken fail with `DeadlineExceeded`;
   * IDs waiting to go around again get their final settlement; IDs in flight are answered when their
   * call ends (`#answeredAtDeadline` then stops them from going around again).
   */
  #expire(ticket: Ticket): void {
    ticket.expired = true;
    this.#queue.remove(ticket);
    this.#addPending(-ticket.failUnsent(deadlineExceeded()));
    const checking: Entry[] = [];
    for (const entry of ticket.live()) {
      if (entry.state === 'queued' || entry.state === 'backingOff') this.#answeredAtDeadline(entry);
      else if (entry.state === 'inFlight' && this.#inFlight.get(entry.id)?.state === 'checking') checking.push(entry);
    }
    // Waiting for a check, which may run until another caller's later deadline: not past this one's by more than its allowance.
    this.#giveUpAfter(checking, this.#options.checkTimeoutMs ?? CHECK_TIMEOUT_MS);
    // Parts this caller led may hold other callers' IDs: they move on with their own callers.
    for (const part of ticket.takeAllParts()) this.#queuePart(part);
    // A backoff whose callers are all answered would wake for nothing.
    for (const call of this.#backingOff) {
      if (call.pending().length > 0) continue;
      clearTimeout(call.backoff);
      this.#backingOff.delete(call);
      call.state = 'settled';
    }
  }

  /** Settles an entry whose caller's deadline has passed; false (nothing done) if it has not. */
  #answeredAtDeadline(entry: Entry): boolean {
    if (!entry.ticket.expired) return false;
    // A transient failure is what kept it waiting; otherwise it was waiting for its turn.
    const reason = entry.lastFailure?.retryable ? entry.lastFailure : deadlineExceeded();
    this.#settle(entry, finalSettlement(this.#ledger.isLost(entry.id), reason));
    return true;
  }

  /** When the limiter itself fails, queued work gets a typed answer rather than a hang. */
  #failQueued(failure: TencentFailure): void {
    for (const ticket of [...this.#queue.tickets()]) {
      this.#queue.remove(ticket);
      this.#addPending(-ticket.failUnsent(failure));
      for (const part of ticket.takeAllParts()) for (const entry of part) this.#settle(entry, finalSettlement(this.#ledger.isLost(entry.id), failure));
      for (let entry = ticket.takeEntry(); entry; entry = ticket.takeEntry()) {
        this.#settle(entry, finalSettlement(this.#ledger.isLost(entry.id), failure));
      }
    }
  }
}

/** One failure for every ID a deadline kept from being sent (or sent again): one group per code. */
function deadlineExceeded(): TencentFailure {
  return makeFailure(
    GatewayCode.DeadlineExceeded,
    "The operation's deadline passed before these IDs could be sent (or sent again); Tencent did not delete them. Try again.",
  );
}

/** `SubmitOptions.onSending`, for the caller's entries among a call's; a throw there is the caller's bug, not the call's. */
function tellSending(ticket: Ticket, entries: readonly Entry[]): void {
  if (!ticket.onSending) return;
  try {
    ticket.onSending(entries.map((entry) => entry.id));
  } catch {
    // Ignored: the call goes (or has gone) whatever the hook does.
  }
}
