/**
 * The job runner: every replica runs one; each holds up to `concurrency` jobs under leases it renews,
 * and feeds their items to the deletion service in submissions of 100 IDs, like any caller.
 *
 * Why a poll over `FOR UPDATE SKIP LOCKED` (store.ts) rather than pg-boss or graphile-worker: a job
 * here is not a message to hand to a worker once, but a long-lived unit with thousands of per-ID
 * states that must be fenced by its holder's lease item by item (an item is marked SENDING in the
 * lease's name before it may go out; a taker makes those UNKNOWN in the transaction that takes the
 * job). Both queues would hold the lease on their own job row while every item state, count and fence
 * lived in our tables anyway, and neither runs on the embedded PGlite (pg-boss needs its own schema
 * and a real server; graphile-worker needs LISTEN on a pg connection). The part hand-written here is
 * small: acquire, renew, claim, settle, finish — five statements.
 *
 * How a job flows through one holder:
 *
 *   1. Claim: up to `window` IDs are submitted at a time, `chunk` (100) at a claim. Each claim marks
 *      its items SENDING, durably, before they are submitted, while the lease is held and the job is
 *      not being cancelled. `window` is sized to keep calls full at the rate limit (10 calls/s × 100
 *      IDs) and no larger: the IDs in flight are what a crash leaves UNKNOWN.
 *   2. Submit: through the deletion service (the audit trail, pacing, the engine), so the job shares
 *      the account's rate limit and the engine's fair rotation with interactive mutations: each
 *      submission is one caller of 100 IDs among the others, so a one-ID mutation beside the job waits
 *      one pass of the rotation — a slot — not for the job.
 *   3. Settle: the answer is written per ID (settlement.ts); IDs the engine surely did not send go back
 *      to PENDING and are claimed again after a pause.
 *   4. Finish: with nothing PENDING or SENDING left, the job is COMPLETED (CANCELLED if asked).
 *
 * The lease is renewed every third of `leaseMs`; a renewal that finds the job gone (taken over after a
 * pause longer than the lease, cancelled with nothing in flight, finished) drops it: no more claims,
 * and the fenced settlements of what is in flight write nothing (the taker made those items UNKNOWN).
 */
import type { DeletionService } from '../deletion/service.js';
import type { Logger } from '../logger.js';
import { failure, GatewayCode } from '../tencent/codes.js';
import { afterFailedCheck } from '../engine/decision.js';
import type { ExistenceAnswer, ExistenceChecker } from '../engine/existence.js';
import { settleInDoubt, settleLostSubmission, settleSubmission, type SubmissionResult } from './settlement.js';
import { LOST, type JobStore } from './store.js';
import type { JobRecord } from './types.js';

/** Items in doubt after a takeover are checked this many at a time (one check, one store write each). */
const IN_DOUBT_SLICE = 1_000;
/** Checks of one slice, at most, before its items are settled UNKNOWN. */
const IN_DOUBT_CHECK_ATTEMPTS = 3;

/** The deletion service as the runner uses it: a submission in the job's caller's name. */
export type JobDeletionService = Pick<DeletionService, 'submit'>;

export interface JobRunnerOptions {
  readonly store: JobStore;
  readonly service: JobDeletionService;
  /** This replica's name in leases (unique per process). */
  readonly owner: string;
  readonly leaseMs: number;
  /** Jobs held at once. */
  readonly concurrency: number;
  /** IDs of one job submitted and not yet answered, at most. */
  readonly window: number;
  /** IDs per claim and submission (Tencent's 100 per call). */
  readonly chunk: number;
  /** How long one submission's IDs may wait for the rate limit before coming back to be claimed again. */
  readonly submissionDeadlineMs: number;
  /** How often to look for a job to take (and how long to pause after IDs came back unsent). */
  readonly pollMs: number;
  readonly logger: Logger;
  /**
   * Checks the items a crashed holder left SENDING when this runner takes its job over: gone are
   * DELETED, still there go back to PENDING, and only when the check fails are they UNKNOWN. Without
   * one they are UNKNOWN at once (store.ts `acquire`).
   */
  readonly checker?: ExistenceChecker;
  /** How long such a check may take (default 10 s). */
  readonly checkTimeoutMs?: number;
}

export class JobRunner {
  readonly #options: JobRunnerOptions;
  readonly #active = new Map<string, ActiveJob>();
  #poll: NodeJS.Timeout | undefined;
  #polling = false;
  #stopped = false;

  constructor(options: JobRunnerOptions) {
    this.#options = options;
  }

  /** Starts looking for jobs (now, then every `pollMs`). */
  start(): void {
    if (this.#poll || this.#stopped) return;
    this.#poll = setInterval(() => this.poke(), this.#options.pollMs);
    this.poke();
  }

  /** Looks for a job at once (e.g. one was just created here). */
  poke(): void {
    if (this.#polling || this.#stopped) return;
    this.#polling = true;
    void this.#acquire().finally(() => {
      this.#polling = false;
    });
  }

  /** Jobs this replica holds now. */
  get held(): readonly string[] {
    return [...this.#active.keys()];
  }

  async #acquire(): Promise<void> {
    while (!this.#stopped && this.#active.size < this.#options.concurrency) {
      let job: JobRecord | undefined;
      const asked = Date.now();
      try {
        job = await this.#options.store.acquire(this.#options.owner, this.#options.leaseMs, { keepInDoubt: this.#options.checker !== undefined });
      } catch (error) {
        this.#options.logger.warn({ err: (error as Error).message }, 'job store unavailable: no job taken');
        return;
      }
      if (!job) return;
      const active = new ActiveJob(job, this.#options, asked + this.#options.leaseMs);
      this.#active.set(job.id, active);
      this.#options.logger.info(
        { job: job.id, caller: job.caller, total: job.total, unknownAfterTakeover: job.counts.unknown },
        'deletion job taken',
      );
      void active.run().finally(() => {
        this.#active.delete(job.id);
        this.poke();
      });
    }
  }

  /**
   * Stops taking jobs and claiming items, waits for what is in flight to be answered and written,
   * then gives the jobs back so another replica takes them at once.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#poll);
    await Promise.all([...this.#active.values()].map((job) => job.stop()));
  }
}

class ActiveJob {
  readonly #job: JobRecord;
  readonly #options: JobRunnerOptions;
  readonly #log: Logger;
  #inFlight = 0;
  #lost = false;
  #stopping = false;
  #cancelRequested: boolean;
  #wake: (() => void) | undefined;
  #done: Promise<void> | undefined;
  /** No claims before this time (IDs came back unsent: give the gateway a moment). */
  #pauseUntil = 0;
  /**
   * Until when, on this process's clock, the lease surely holds: the moment the last acquire or
   * renewal that succeeded was *asked*, plus the lease. The store set the lease from its own `now()`,
   * which came later, so the lease really ends no sooner; only durations are compared, never two clocks.
   */
  #leaseSureUntil: number;

  constructor(job: JobRecord, options: JobRunnerOptions, leaseSureUntil: number) {
    this.#job = job;
    this.#options = options;
    this.#leaseSureUntil = leaseSureUntil;
    this.#log = options.logger.child({ job: job.id });
    this.#cancelRequested = job.cancelRequested;
  }

  run(): Promise<void> {
    this.#done ??= this.#run();
    return this.#done;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#done;
  }

  async #run(): Promise<void> {
    const { store, owner, leaseMs } = this.#options;
    const renewal = setInterval(() => void this.#renew(), Math.max(100, Math.floor(leaseMs / 3)));
    const settlements = new Set<Promise<void>>();
    try {
      if (this.#options.checker) await this.#reconcileInDoubt(this.#options.checker);
      for (;;) {
        if (this.#lost) break;
        if (this.#stopping) {
          if (this.#inFlight === 0) break;
          await this.#sleep(1_000);
          continue;
        }
        let exhausted = false;
        while (!this.#lost && !this.#stopping && !this.#cancelRequested && this.#inFlight < this.#options.window && Date.now() >= this.#pauseUntil) {
          const size = Math.min(this.#options.chunk, this.#options.window - this.#inFlight);
          const claimed = await this.#retrying(() => store.claim(this.#job.id, owner, size), { giveUpWhenStopping: true });
          if (claimed === LOST) {
            // Taken over, being cancelled, or our lease ran out unrenewed (a paused loop): the renewal
            // says which. Taken over: stop. Otherwise go round (cancelling: finish once in-flight settle).
            const asked = Date.now();
            this.#heard(asked, await this.#retrying(() => store.renew(this.#job.id, owner, leaseMs), { giveUpWhenStopping: true }));
            break;
          }
          if (claimed.length === 0) {
            exhausted = true;
            break;
          }
          this.#inFlight += claimed.length;
          const settled = this.#submit(claimed).finally(() => {
            settlements.delete(settled);
            this.#wake?.();
          });
          settlements.add(settled);
        }
        if (this.#lost) break;
        if ((exhausted || this.#cancelRequested) && this.#inFlight === 0) {
          const finished = await this.#retrying(() => store.finish(this.#job.id, owner));
          if (finished === LOST) break;
          if (finished) {
            this.#log.info({ status: finished.status, counts: finished.counts }, 'deletion job finished');
            return;
          }
          // Items came back unsent since the claim found none: go round again.
          continue;
        }
        await this.#sleep(this.#pauseUntil > Date.now() ? this.#pauseUntil - Date.now() : this.#options.pollMs);
      }
    } finally {
      clearInterval(renewal);
      await Promise.all(settlements);
    }
    if (this.#lost) {
      this.#log.warn('deletion job lost to another replica (lease ran out) or finished elsewhere: stopped');
    } else if (this.#stopping) {
      await store.release(this.#job.id, owner).catch(() => undefined);
      this.#log.info('deletion job given back: this replica is stopping');
    }
  }

  async #submit(ids: number[]): Promise<void> {
    const { service, store, owner, submissionDeadlineMs } = this.#options;
    let result: SubmissionResult;
    try {
      // Never sent after the lease may have run out: by then another replica may have taken the job,
      // checked these SENDING items, found them still there and sent them itself, and a late send of
      // ours would turn its honest answer into a wrong NOT_DELETED (our own settlement is fenced out,
      // so nothing would say we deleted them). A replica paused past its lease (SIGSTOP, a stalled VM)
      // wakes with these IDs expired: unsent, back to PENDING under a lease it no longer holds, which
      // the store ignores. IDs that merely waited long go back to PENDING and are claimed again.
      const outcome = await service.submit(ids, {
        deadline: Math.min(Date.now() + submissionDeadlineMs, this.#leaseSureUntil),
        attribution: { caller: this.#job.caller, callerKind: 'job' },
      });
      result = settleSubmission(ids, outcome);
    } catch (error) {
      this.#log.error({ err: (error as Error).message }, 'a job submission failed: its IDs end UNKNOWN');
      result = settleLostSubmission(ids);
    }
    if (result.requeue.length > 0) this.#pauseUntil = Date.now() + this.#options.pollMs;
    // Written until it is written, or the job is not ours any more; a crash meanwhile leaves the items
    // SENDING, and the next holder makes them UNKNOWN.
    const written = await this.#retrying(() => store.settle(this.#job.id, owner, result.settlements, result.requeue));
    if (written === LOST) this.#lost = true;
    this.#inFlight -= ids.length;
  }

  /**
   * After a takeover: the items the crashed holder left SENDING (kept so by `acquire`), checked in
   * slices and settled (settlement.ts `settleInDoubt`) before anything else is claimed — so an item is
   * sent again only once it is known not deleted. A crash meanwhile leaves them SENDING for the next taker.
   */
  async #reconcileInDoubt(checker: ExistenceChecker): Promise<void> {
    const { store, owner } = this.#options;
    const inDoubt = await this.#retrying(() => store.inDoubt(this.#job.id, owner));
    if (inDoubt === LOST || inDoubt.length === 0) {
      if (inDoubt === LOST) this.#lost = true;
      return;
    }
    let deleted = 0;
    let requeued = 0;
    let unknown = 0;
    for (let start = 0; start < inDoubt.length && !this.#lost; start += IN_DOUBT_SLICE) {
      const ids = inDoubt.slice(start, start + IN_DOUBT_SLICE);
      const answer = await this.#checkInDoubt(checker, ids);
      const result = settleInDoubt(ids, answer);
      const written = await this.#retrying(() => store.settle(this.#job.id, owner, result.settlements, result.requeue));
      if (written === LOST) this.#lost = true;
      if (answer.ok) {
        deleted += result.settlements.length;
        requeued += result.requeue.length;
      } else unknown += ids.length;
    }
    this.#log.info({ inDoubt: inDoubt.length, deleted, requeued, unknown }, 'items left sending by the previous holder checked');
  }

  /**
   * One slice's check, asked again (up to `IN_DOUBT_CHECK_ATTEMPTS` times, a poll apart) when it ran
   * out of time or met a read error worth retrying — the engine's rule for lost answers
   * (decision.ts `afterFailedCheck`): a failed check leaves these IDs UNKNOWN for good, and nothing
   * but the replica's own patience is waiting for them.
   */
  async #checkInDoubt(checker: ExistenceChecker, ids: readonly number[]): Promise<ExistenceAnswer> {
    for (let attempt = 1; ; attempt++) {
      const answer = await checker
        .check(ids, { deadline: Date.now() + (this.#options.checkTimeoutMs ?? 10_000) })
        .catch((error: unknown): ExistenceAnswer => ({ ok: false, failure: failure(GatewayCode.ClientError, String(error)) }));
      if (answer.ok || this.#lost || this.#stopping) return answer;
      if (afterFailedCheck(answer.failure, { timeLeft: attempt < IN_DOUBT_CHECK_ATTEMPTS }) === 'asAnswered') return answer;
      await this.#sleep(this.#options.pollMs);
    }
  }

  /** What a renewal asked at `asked` (this clock) said: the job lost, or the lease held a while longer, perhaps being cancelled. */
  #heard(asked: number, renewed: { cancelRequested: boolean } | typeof LOST): void {
    if (renewed === LOST) {
      this.#lost = true;
      return;
    }
    this.#leaseSureUntil = Math.max(this.#leaseSureUntil, asked + this.#options.leaseMs);
    if (renewed.cancelRequested) this.#cancelRequested = true;
  }

  async #renew(): Promise<void> {
    try {
      const asked = Date.now();
      this.#heard(asked, await this.#options.store.renew(this.#job.id, this.#options.owner, this.#options.leaseMs));
      if (this.#lost || this.#cancelRequested) this.#wake?.();
    } catch (error) {
      this.#log.warn({ err: (error as Error).message }, 'job lease not renewed: store unavailable');
    }
  }

  /**
   * Retries a store operation until it succeeds (the store may be briefly unreachable), or the job is
   * lost — or, for what can wait for the next holder (claims), the replica is stopping.
   */
  async #retrying<T>(operation: () => Promise<T>, { giveUpWhenStopping = false } = {}): Promise<T | typeof LOST> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (this.#lost || (giveUpWhenStopping && this.#stopping)) return LOST;
        if (attempt % 10 === 0) this.#log.warn({ err: (error as Error).message }, 'job store unavailable: retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** Math.min(attempt, 5))));
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
