/**
 * Dry runs of deletions (`Mutation.planCSRDeletion`): nothing is deleted. A plan reads what exists —
 * through the engine's existence seam for given IDs, through a domain listing for a domain — and is
 * stored in the job database, so that `startCSRDeletion(planId:)` on any replica deletes exactly its
 * `existingIds`, for its caller, until it expires.
 *
 * Reads go through the read side (the Tencent read client: `DescribeCSR`, `DescribeCSRSet`), paced by
 * its own limiter: planning never takes a delete's rate-limit slot.
 *
 * Time is the planning replica's clock, not the database's: `expiresAt` is what the caller is told,
 * and the starting replica compares it with its own clock. Replicas' clocks (NTP) differ by far less
 * than a plan's 15 minutes, and a test can give the planner a clock.
 */
import { randomUUID } from 'node:crypto';
import type { ExistenceChecker } from '../engine/existence.js';
import type { TencentFailure } from '../tencent/codes.js';
import type { CsrLister } from '../tencent/domain-lister.js';
import type { PlanStore } from './plan-store.js';
import { classify, estimate, PlanCode, planFate, planInput, type PlanFate, type PlanRequest } from './planning.js';
import { isUuid } from './store.js';
import type { PlanRecord } from './types.js';

export interface PlannerOptions {
  readonly plans: PlanStore;
  readonly existence: ExistenceChecker;
  /** The CSRs of a domain (tencent/domain-lister.ts). */
  readonly lister: CsrLister;
  /** `MAX_IDS_PER_JOB`: a plan is for one job. */
  readonly maxIds: number;
  /** `PLAN_TTL_MS`. */
  readonly ttlMs: number;
  /** IDs per `BatchDeleteCSR` call (100). */
  readonly maxIdsPerCall: number;
  /** The deletion limiter's slot spacing (planning.ts' `estimate`). */
  readonly slotMs: number;
  /** Epoch ms; `Date.now` by default. */
  readonly now?: () => number;
}

export type PlanOutcome =
  | { readonly kind: 'planned'; readonly plan: PlanRecord }
  /** The request itself was refused (InvalidParameterError): nothing read, nothing stored. */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  /** The reads failed: nothing planned, nothing stored. `csrIds`: the valid IDs asked about (none for a domain). */
  | { readonly kind: 'unavailable'; readonly failure: TencentFailure; readonly csrIds: readonly number[] };

export interface PlanAsk extends PlanRequest {
  readonly caller: string;
  /** The operation's deadline (epoch ms): the reads give up by then. */
  readonly deadline: number;
}

export class Planner {
  readonly #options: PlannerOptions;
  readonly #now: () => number;

  constructor(options: PlannerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async plan(ask: PlanAsk): Promise<PlanOutcome> {
    const input = planInput(ask, this.#options.maxIds);
    if (input.kind === 'refused') return input;
    if (input.kind === 'domain') {
      const listing = await this.#options.lister.idsOfDomain(input.domain, { deadline: ask.deadline, limit: this.#options.maxIds });
      if (!listing.ok) return unavailable(listing.failure, []);
      if (!listing.complete) {
        return {
          kind: 'refused',
          code: PlanCode.TooManyIds,
          message: `The domain ${input.domain} has more CSRs than the ${this.#options.maxIds} one job may carry; nothing was planned.`,
        };
      }
      const ids = [...new Set(listing.ids)].sort((a, b) => a - b);
      return this.#store(ask.caller, input.domain, { existing: ids, missing: [], invalid: [] }, listing.requestIds);
    }
    let existing: ReadonlySet<number> = new Set();
    let requestIds: readonly string[] = [];
    if (input.valid.length > 0) {
      const answer = await this.#options.existence.check(input.valid, { deadline: ask.deadline });
      if (!answer.ok) return unavailable(answer.failure, input.valid);
      ({ existing, requestIds } = answer);
    }
    const found = classify(input.valid, existing);
    return this.#store(ask.caller, null, { ...found, invalid: input.invalid }, requestIds);
  }

  /** Whether plan `id` may start a job for `caller` now. */
  async resolve(id: string, caller: string): Promise<PlanFate> {
    const plan = isUuid(id) ? await this.#options.plans.get(id) : undefined;
    return planFate(plan, caller, this.#now());
  }

  async #store(
    caller: string,
    domain: string | null,
    lists: { existing: readonly number[]; missing: readonly number[]; invalid: readonly number[] },
    requestIds: readonly string[],
  ): Promise<PlanOutcome> {
    const { calls, seconds } = estimate(lists.existing.length, this.#options.maxIdsPerCall, this.#options.slotMs);
    const now = this.#now();
    const plan: PlanRecord = {
      id: randomUUID(),
      caller,
      domain,
      existingIds: lists.existing,
      missingIds: lists.missing,
      invalidIds: lists.invalid,
      requestIds: [...new Set(requestIds)],
      estimatedCalls: calls,
      estimatedSeconds: seconds,
      createdAt: new Date(now),
      expiresAt: new Date(now + this.#options.ttlMs),
    };
    await this.#options.plans.save(plan);
    return { kind: 'planned', plan };
  }
}

function unavailable(cause: TencentFailure, csrIds: readonly number[]): PlanOutcome {
  return {
    kind: 'unavailable',
    failure: { ...cause, message: `Could not find out which CSRs exist, so nothing was planned: ${cause.message}` },
    csrIds,
  };
}
