/**
 * Deletion jobs (docs/contract.md §4, "Deletion jobs"): `startCSRDeletion` stores a job and answers
 * at once; replicas' runners carry it out (src/jobs/runner.ts); `csrDeletionJob(s)` read it,
 * `cancelCSRDeletion` stops it, `csrDeletionJobProgress` streams it over SSE.
 *
 * Who sees a job: its caller, and callers with `csr:audit` (everyone's). Anyone else is told it does
 * not exist, as for an ID that never was — a job's existence is not leaked. With auth off there is
 * one caller, `anonymous`, and no scope to check.
 */
import { createGraphQLError } from 'graphql-yoga';
import { ANONYMOUS_CALLER } from '../deletion/service.js';
import { isFinished, progressOf } from '../jobs/progress.js';
import { isUuid } from '../jobs/store.js';
import type { JOB_STATUSES} from '../jobs/types.js';
import { type CreateResult, type JobItem, type JobRecord } from '../jobs/types.js';
import { AUDIT_SCOPE, ConfirmationRef, OutcomeRef } from './audit.js';
import { builder, type GatewayContext, type JobsAccess } from './builder.js';
import { errorTypeRefs, InvalidCSRIdError, InvalidParameterError } from './errors.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;
/** The IETF draft's header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

export const GatewayJobCode = {
  EmptyIdList: 'Gateway.EmptyIdList',
  TooManyIds: 'Gateway.TooManyIds',
  InvalidCSRId: 'Gateway.InvalidCSRId',
  IdsOrPlan: 'Gateway.IdsOrPlan',
  InvalidIdempotencyKey: 'Gateway.InvalidIdempotencyKey',
  UnknownPlan: 'Gateway.UnknownPlan',
  PlanExpired: 'Gateway.PlanExpired',
  IdempotencyKeyMismatch: 'Gateway.IdempotencyKeyMismatch',
} as const;

/**
 * The errors only a start can meet. They do not implement `TencentCloudError` (whose members are
 * the errors of batchDeleteCSRs, concerning IDs: adding to it would widen every client's handling of
 * that mutation's `errors`); each carries a `code` and a `message` all the same.
 */
export class UnknownPlanError {
  readonly code = GatewayJobCode.UnknownPlan;
  constructor(readonly message: string) {}
}

export class ExpiredPlanError {
  readonly code = GatewayJobCode.PlanExpired;
  constructor(
    readonly message: string,
    readonly expiredAt: Date,
  ) {}
}

export class IdempotencyKeyMismatchError {
  readonly code = GatewayJobCode.IdempotencyKeyMismatch;
  constructor(
    readonly message: string,
    readonly jobId: string,
  ) {}
}

const codeDescription = 'Stable: match on it, not on message.';

const UnknownPlanRef = builder.objectType(UnknownPlanError, {
  name: 'UnknownPlanError',
  description:
    "planId names no plan of this caller's (code Gateway.UnknownPlan): none was made, it is another caller's, or it " +
    'expired more than an hour ago and was deleted. No job was made: plan the deletion again (Mutation.planCSRDeletion) ' +
    'and start the new plan.',
  isTypeOf: (value) => value instanceof UnknownPlanError,
  fields: (t) => ({
    code: t.exposeString('code', { description: `Gateway.UnknownPlan. ${codeDescription}` }),
    message: t.exposeString('message', { description: 'What went wrong, for a developer.' }),
  }),
});

const ExpiredPlanRef = builder.objectType(ExpiredPlanError, {
  name: 'ExpiredPlanError',
  description:
    'The plan has expired (code Gateway.PlanExpired): what exists may have changed since it was made. No job was made: ' +
    'plan the deletion again (Mutation.planCSRDeletion) and start the new plan.',
  isTypeOf: (value) => value instanceof ExpiredPlanError,
  fields: (t) => ({
    code: t.exposeString('code', { description: `Gateway.PlanExpired. ${codeDescription}` }),
    message: t.exposeString('message', { description: 'What went wrong, for a developer.' }),
    expiredAt: t.string({ description: "The plan's expiresAt (ISO 8601).", resolve: (error) => error.expiredAt.toISOString() }),
  }),
});

const MismatchRef = builder.objectType(IdempotencyKeyMismatchError, {
  name: 'IdempotencyKeyMismatchError',
  description:
    'The idempotency key (the idempotencyKey argument or the Idempotency-Key header) was used before by this caller to ' +
    'start a job for other IDs (code Gateway.IdempotencyKeyMismatch). No job was made. Use a new key for a new job; ' +
    'jobId is the job the key belongs to.',
  isTypeOf: (value) => value instanceof IdempotencyKeyMismatchError,
  fields: (t) => ({
    code: t.exposeString('code', { description: `Gateway.IdempotencyKeyMismatch. ${codeDescription}` }),
    message: t.exposeString('message', { description: 'What went wrong, for a developer.' }),
    jobId: t.exposeID('jobId', { description: 'The job this key started.' }),
  }),
});

const StatusRef = builder.enumType('CSRDeletionJobStatus', {
  description: "Where a deletion job is: QUEUED → RUNNING → COMPLETED, or CANCELLED once cancelled.",
  values: {
    QUEUED: { description: 'Stored, not yet taken by a replica.' },
    RUNNING: { description: 'A replica is sending its IDs (or, after a cancel, waiting for the ones in flight).' },
    COMPLETED: { description: 'Every ID has its outcome.' },
    CANCELLED: { description: 'Cancelled: IDs not sent by then are FAILED with Gateway.Cancelled; the others have their outcome.' },
  } satisfies Record<(typeof JOB_STATUSES)[number], { description: string }>,
});

const CountsRef = builder.objectRef<JobRecord['counts']>('CSRDeletionCounts').implement({
  description: "A job's IDs by outcome; they add up to total.",
  fields: (t) => ({
    deleted: t.exposeInt('deleted', { description: 'Tencent reported them deleted.' }),
    notDeleted: t.exposeInt('notDeleted', { description: 'Tencent answered for them but did not delete them (e.g. no such CSR).' }),
    unknown: t.exposeInt('unknown', {
      description:
        'A call that may have deleted them lost its answer, or the replica sending them died before recording it: they ' +
        'were never sent again (see CSRDeletionJobResult.outcome).',
    }),
    failed: t.exposeInt('failed', { description: 'Not deleted by this job, with an error code (Gateway.Cancelled after a cancel).' }),
    pending: t.exposeInt('pending', { description: 'Not yet settled: waiting, or in flight.' }),
  }),
});


const ResultRef = builder.objectRef<JobItem>('CSRDeletionJobResult').implement({
  description: 'What came of one ID of a job, as batchDeleteCSRs would report it.',
  fields: (t) => ({
    csrId: t.exposeInt('csrId', { description: 'The CSR ID.' }),
    outcome: t.field({
      type: OutcomeRef,
      nullable: true,
      description:
        'DELETED, NOT_DELETED, UNKNOWN or FAILED; null while pending. UNKNOWN means a call carrying the ID may have ' +
        'deleted it but its answer was lost, or the replica sending it died first, and no existence check could tell: ' +
        'the job never sends such an ID again ' +
        '(deleting is idempotent: send it again yourself to settle it; an already-deleted ID comes back NOT_DELETED).',
      resolve: (item) => (item.state === 'PENDING' || item.state === 'SENDING' ? null : item.state),
    }),
    code: t.exposeString('code', { nullable: true, description: 'The error code when FAILED: a Tencent code or a Gateway.* code.' }),
    confirmedBy: t.field({
      type: ConfirmationRef,
      nullable: true,
      description:
        '(extension) CHECK when an existence check, not an answer, established the outcome: a DELETED whose call lost its answer, ' +
        'or an item a replica left in flight when it died that the taker found gone. Null when an answer did, or while pending.',
      resolve: (item) => item.confirmedBy,
    }),
    requestId: t.string({
      nullable: true,
      description: 'The RequestId of the last Tencent call that carried this ID (the one whose answer settled it).',
      resolve: (item) => item.requestIds.at(-1) ?? null,
    }),
    requestIds: t.stringList({
      description: 'RequestIds of every Tencent call that carried this ID, oldest first.',
      resolve: (item) => [...item.requestIds],
    }),
    settledAt: t.string({ nullable: true, description: 'When the outcome was recorded (ISO 8601).', resolve: (item) => item.settledAt?.toISOString() ?? null }),
  }),
});

interface Page<Node> {
  readonly nodes: readonly Node[];
  readonly hasNextPage: boolean;
  readonly cursorOf: (node: Node) => string;
}

const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('CSRDeletionPageInfo').implement({
  description: 'Where a page ends: pass endCursor as `after` for the next one.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More follow this page.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: "The last entry's cursor; null on an empty page." }),
  }),
});

// Relay-style connections, written out twice: Pothos' refs do not generalise over node types cheaply.
const ResultEdgeRef = builder.objectRef<{ node: JobItem; cursor: string }>('CSRDeletionJobResultEdge').implement({
  description: 'One result and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` for the results that follow this one.' }),
    node: t.field({ type: ResultRef, description: 'The result.', resolve: (edge) => edge.node }),
  }),
});

const ResultConnection = builder.objectRef<Page<JobItem>>('CSRDeletionJobResultConnection').implement({
  description: "A page of a job's per-ID results, by CSR ID.",
  fields: (t) => ({
    edges: t.field({ type: [ResultEdgeRef], description: 'The page, with cursors.', resolve: (page) => page.nodes.map((node) => ({ node, cursor: page.cursorOf(node) })) }),
    nodes: t.field({ type: [ResultRef], description: 'The page, without cursors.', resolve: (page) => [...page.nodes] }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Whether more follow, and where to resume.', resolve: pageInfo }),
  }),
});

function pageInfo<Node>(page: Page<Node>): { hasNextPage: boolean; endCursor: string | null } {
  const last = page.nodes.at(-1);
  return { hasNextPage: page.hasNextPage, endCursor: last === undefined ? null : page.cursorOf(last) };
}

export const JobRef = builder.objectRef<JobRecord>('CSRDeletionJob');
JobRef.implement({
  description:
    'A deletion job: IDs deleted in the background, durably (it survives restarts and the loss of the replica running ' +
    'it), sharing the rate limit fairly with interactive mutations, with an exact outcome per ID. An ID is never lost ' +
    'and never sent again unknowingly: one that was in flight when its replica died ends UNKNOWN.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The job\'s ID (a UUID), for csrDeletionJob, cancelCSRDeletion and csrDeletionJobProgress.' }),
    status: t.field({ type: StatusRef, description: 'QUEUED, RUNNING, COMPLETED or CANCELLED.', resolve: (job) => job.status }),
    caller: t.exposeString('caller', { description: "Who started it: the JWT's sub or the API key's name; anonymous with auth off." }),
    total: t.exposeInt('total', { description: 'Distinct IDs in the job.' }),
    counts: t.field({ type: CountsRef, description: 'Its IDs by outcome so far (pending: not yet settled).', resolve: (job) => job.counts }),
    planId: t.exposeID('planId', {
      nullable: true,
      description: '(extension) The plan it was started from (Mutation.planCSRDeletion); null for a job of given ids.',
    }),
    cancelRequested: t.exposeBoolean('cancelRequested', {
      description: '(extension) Cancelling was asked; the job is CANCELLED once the IDs in flight are answered.',
    }),
    createdAt: t.string({ resolve: (job) => job.createdAt.toISOString(), description: 'ISO 8601.' }),
    startedAt: t.string({ nullable: true, resolve: (job) => job.startedAt?.toISOString() ?? null, description: 'When a replica first took it.' }),
    finishedAt: t.string({ nullable: true, description: 'When it became COMPLETED or CANCELLED (ISO 8601).', resolve: (job) => job.finishedAt?.toISOString() ?? null }),
    results: t.field({
      type: ResultConnection,
      description: `Per-ID results in CSR ID order (pending IDs included unless outcome is given); first 1–${MAX_PAGE}, default ${DEFAULT_PAGE}.`,
      args: {
        first: t.arg.int({ description: `Results per page, 1–${MAX_PAGE} (default ${DEFAULT_PAGE}).` }),
        after: t.arg.string({ description: 'The endCursor of the previous page.' }),
        outcome: t.arg({ type: OutcomeRef, description: 'Only IDs with this outcome.' }),
      },
      resolve: async (job, args, context) => {
        const jobs = jobsOf(context);
        const first = pageSize(args.first);
        const afterCsrId = args.after ? decodeResultCursor(args.after) : undefined;
        const items = await jobs.store.results(job.id, {
          limit: first + 1,
          ...(afterCsrId !== undefined ? { afterCsrId } : {}),
          ...(args.outcome ? { outcome: args.outcome } : {}),
        });
        return { nodes: items.slice(0, first), hasNextPage: items.length > first, cursorOf: (item: JobItem) => String(item.csrId) };
      },
    }),
  }),
});

const JobEdgeRef = builder.objectRef<{ node: JobRecord; cursor: string }>('CSRDeletionJobEdge').implement({
  description: 'One job and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` for the jobs that follow this one.' }),
    node: t.field({ type: JobRef, description: 'The job.', resolve: (edge) => edge.node }),
  }),
});

const JobConnection = builder.objectRef<Page<JobRecord>>('CSRDeletionJobConnection').implement({
  description: 'A page of deletion jobs, newest first.',
  fields: (t) => ({
    edges: t.field({ type: [JobEdgeRef], description: 'The page, with cursors.', resolve: (page) => page.nodes.map((node) => ({ node, cursor: page.cursorOf(node) })) }),
    nodes: t.field({ type: [JobRef], description: 'The page, without cursors.', resolve: (page) => [...page.nodes] }),
    pageInfo: t.field({ type: PageInfoRef, description: 'Whether more follow, and where to resume.', resolve: pageInfo }),
  }),
});

const StartResult = builder.unionType('StartCSRDeletionResult', {
  description:
    'The job (stored before this answer), or why none was made: InvalidParameterError (neither or both of ids and planId, ' +
    'an empty list, more than MAX_IDS_PER_JOB IDs, a malformed idempotency key, a plan that found nothing to delete), ' +
    'InvalidCSRIdError (IDs ≤ 0, in csrIds), UnknownPlanError, ExpiredPlanError, IdempotencyKeyMismatchError.',
  types: [
    JobRef,
    ...errorTypeRefs.filter((ref) => ref.name === 'InvalidParameterError' || ref.name === 'InvalidCSRIdError'),
    UnknownPlanRef,
    ExpiredPlanRef,
    MismatchRef,
  ],
  resolveType: (value) => {
    if (value instanceof InvalidParameterError) return 'InvalidParameterError';
    if (value instanceof InvalidCSRIdError) return 'InvalidCSRIdError';
    if (value instanceof UnknownPlanError) return 'UnknownPlanError';
    if (value instanceof ExpiredPlanError) return 'ExpiredPlanError';
    if (value instanceof IdempotencyKeyMismatchError) return 'IdempotencyKeyMismatchError';
    return 'CSRDeletionJob';
  },
});

builder.mutationFields((t) => ({
  startCSRDeletion: t.field({
    type: StartResult,
    description:
      'Starts deleting CSRs in the background, as a job: give ids (up to MAX_IDS_PER_JOB, 1,000,000 by default; send large ' +
      'lists as a variable) or the planId of a planned deletion, not both. Answers at once with the job, stored durably ' +
      'before this answer; follow it with csrDeletionJobProgress (SSE) or by polling csrDeletionJob. With an ' +
      'idempotencyKey (or an Idempotency-Key header), starting again with the same key and IDs answers the same job, as it ' +
      'is now; the same key with other IDs answers IdempotencyKeyMismatchError. A plan starts one job, of exactly its ' +
      'existingIds: starting it again (with or without a key) answers that job, as it is now.',
    args: {
      ids: t.arg.intList({ required: false, description: 'The CSR IDs to delete (duplicates count once).' }),
      planId: t.arg.id({ required: false, description: 'A plan made by planCSRDeletion.' }),
      idempotencyKey: t.arg.string({
        required: false,
        description: 'Up to 255 visible ASCII characters, unique per job for this caller; the Idempotency-Key header is the same.',
      }),
    },
    resolve: async (_root, args, context) => {
      const jobs = jobsOf(context);
      const header = (context as { request?: Request }).request?.headers.get(IDEMPOTENCY_KEY_HEADER) ?? undefined;
      const key = args.idempotencyKey ?? header;
      if (args.idempotencyKey != null && header !== undefined && header !== args.idempotencyKey) {
        return invalid(GatewayJobCode.InvalidIdempotencyKey, 'The idempotencyKey argument and the Idempotency-Key header differ; send one.');
      }
      if (key !== undefined && !KEY_FORMAT.test(key)) {
        return invalid(GatewayJobCode.InvalidIdempotencyKey, 'An idempotency key is 1–255 visible ASCII characters.');
      }
      if ((args.ids == null) === (args.planId == null)) {
        return invalid(GatewayJobCode.IdsOrPlan, 'Give exactly one of ids and planId; no job was made.');
      }
      const caller = context.caller?.id ?? ANONYMOUS_CALLER;
      const traceId = (context as { traceId?: string }).traceId;
      if (args.planId != null) return startFromPlan(jobs, { caller, planId: String(args.planId), key, traceId });
      const ids = [...new Set(args.ids ?? [])];
      if (ids.length === 0) return invalid(GatewayJobCode.EmptyIdList, 'ids must contain at least one CSR ID; no job was made.');
      if (ids.length > jobs.maxIdsPerJob) {
        return invalid(
          GatewayJobCode.TooManyIds,
          `ids holds ${ids.length} distinct IDs, more than the ${jobs.maxIdsPerJob} one job may carry; no job was made. Split the list.`,
        );
      }
      const malformed = ids.filter((id) => id <= 0);
      if (malformed.length > 0) {
        return new InvalidCSRIdError(
          { code: GatewayJobCode.InvalidCSRId, message: 'CSR IDs are positive integers; no job was made. Remove these and start again.' },
          malformed,
        );
      }
      const created = await jobs.store.create({ caller, ids, ...(key !== undefined ? { idempotencyKey: key } : {}), ...(traceId ? { traceId } : {}) });
      return answerOf(jobs, created);
    },
  }),
  cancelCSRDeletion: t.field({
    type: JobRef,
    nullable: true,
    description:
      'Cancels a job: its IDs not yet sent are never sent (they end FAILED, Gateway.Cancelled); IDs in flight settle ' +
      'with their real outcome, after which the job is CANCELLED. A finished job is answered as it is. Null: no such job ' +
      '(or not yours).',
    args: { id: t.arg.id({ required: true, description: 'The job to cancel.' }) },
    resolve: async (_root, { id }, context) => {
      const jobs = jobsOf(context);
      const job = await visibleJob(jobs, context, String(id));
      if (!job) return null;
      return (await jobs.store.cancel(job.id)) ?? null;
    },
  }),
}));

builder.queryFields((t) => ({
  csrDeletionJob: t.field({
    type: JobRef,
    nullable: true,
    description: 'A deletion job, as it is now; null when there is no such job, or it is not yours (without csr:audit).',
    args: { id: t.arg.id({ required: true, description: "The job's ID." }) },
    resolve: (_root, { id }, context) => visibleJob(jobsOf(context), context, String(id)).then((job) => job ?? null),
  }),
  csrDeletionJobs: t.field({
    type: JobConnection,
    description: `Your deletion jobs (everyone's with csr:audit), newest first; first 1–${MAX_PAGE}, default ${DEFAULT_PAGE}.`,
    args: {
      first: t.arg.int({ description: `Jobs per page, 1–${MAX_PAGE} (default ${DEFAULT_PAGE}).` }),
      after: t.arg.string({ description: 'The endCursor of the previous page.' }),
      status: t.arg({ type: StatusRef, description: 'Only jobs with this status.' }),
    },
    resolve: async (_root, args, context) => {
      const jobs = jobsOf(context);
      const first = pageSize(args.first);
      const after = args.after ? decodeJobCursor(args.after) : undefined;
      const caller = seesAll(context) ? undefined : (context.caller?.id ?? ANONYMOUS_CALLER);
      const found = await jobs.store.list({
        limit: first + 1,
        ...(caller !== undefined ? { caller } : {}),
        ...(args.status ? { status: args.status } : {}),
        ...(after ? { after } : {}),
      });
      return { nodes: found.slice(0, first), hasNextPage: found.length > first, cursorOf: encodeJobCursor };
    },
  }),
}));

builder.subscriptionType({
  description: 'Live updates, over GraphQL over Server-Sent Events (POST /graphql with Accept: text/event-stream).',
  fields: (t) => ({
    csrDeletionJobProgress: t.field({
      type: JobRef,
      description:
        'A job as it progresses, over GraphQL over Server-Sent Events (POST /graphql with Accept: text/event-stream): the ' +
        'job at once, then whenever its counts change (at most 4 events a second) and at least once a second while it ' +
        'runs; the last event has its final status (COMPLETED or CANCELLED), then the stream completes. Served by any ' +
        'replica. Routers without subscriptions poll csrDeletionJob instead.',
      args: { id: t.arg.id({ required: true, description: 'The job to follow.' }) },
      subscribe: async function* (_root, { id }, context) {
        const jobs = jobsOf(context);
        const job = await visibleJob(jobs, context, String(id));
        if (!job) throw createGraphQLError(`No deletion job ${String(id)}.`, { extensions: { code: 'NOT_FOUND' } });
        const signal = (context as { request?: Request }).request?.signal;
        yield* progressOf(jobs.store, jobs.changes, job, signal);
      },
      resolve: (job: JobRecord) => job,
    }),
  }),
});

/**
 * A start from a plan. An earlier start decides first (the same key; or this plan, which starts one
 * job), so that a retry finds its job even after the plan has expired; then the plan must be the
 * caller's and unexpired, and the job is exactly its existingIds.
 */
async function startFromPlan(
  jobs: JobsAccess,
  start: { caller: string; planId: string; key: string | undefined; traceId: string | undefined },
): Promise<JobRecord | InvalidParameterError | UnknownPlanError | ExpiredPlanError | IdempotencyKeyMismatchError> {
  const { caller, planId, key, traceId } = start;
  const asked = { caller, planId, ids: [], ...(key !== undefined ? { idempotencyKey: key } : {}) };
  const earlier = await jobs.store.earlier(asked);
  if (earlier) return answerOf(jobs, earlier);
  const fate = await jobs.planner.resolve(planId, caller);
  if (fate.kind === 'unknown') return new UnknownPlanError(`You have no plan ${planId}; no job was made. Plan the deletion (planCSRDeletion) first.`);
  if (fate.kind === 'expired') {
    return new ExpiredPlanError(
      `Plan ${planId} expired at ${fate.expiresAt.toISOString()}; no job was made. Plan the deletion again and start the new plan.`,
      fate.expiresAt,
    );
  }
  if (fate.plan.existingIds.length === 0) {
    return invalid(GatewayJobCode.EmptyIdList, `Plan ${planId} found none of its CSRs to exist: there is nothing to delete, and no job was made.`);
  }
  const created = await jobs.store.create({ ...asked, ids: fate.plan.existingIds, ...(traceId ? { traceId } : {}) });
  return answerOf(jobs, created);
}

function answerOf(jobs: JobsAccess, created: CreateResult): JobRecord | IdempotencyKeyMismatchError {
  if (created.kind === 'mismatch') {
    return new IdempotencyKeyMismatchError(
      `The idempotency key was used for job ${created.job.id}, which was started for other IDs (or another plan); no job was made. Use a new key.`,
      created.job.id,
    );
  }
  if (created.kind === 'created') jobs.started();
  return created.job;
}

export function jobsOf(context: GatewayContext): JobsAccess {
  if (!context.jobs) throw createGraphQLError('This gateway keeps no deletion jobs.', { extensions: { code: 'JOBS_UNAVAILABLE' } });
  return context.jobs;
}

/** Auth off (no caller): everything; otherwise one's own, or everyone's with csr:audit. */
function seesAll(context: GatewayContext): boolean {
  return !context.caller || context.caller.scopes.has(AUDIT_SCOPE);
}

async function visibleJob(jobs: JobsAccess, context: GatewayContext, id: string): Promise<JobRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const job = await jobs.store.get(id);
  if (!job) return undefined;
  return seesAll(context) || job.caller === context.caller?.id ? job : undefined;
}

function invalid(code: string, message: string): InvalidParameterError {
  return new InvalidParameterError({ code, message }, []);
}

function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE;
  if (size < 1 || size > MAX_PAGE) throw createGraphQLError(`first must be between 1 and ${MAX_PAGE}.`, { extensions: { code: 'BAD_USER_INPUT' } });
  return size;
}

function decodeResultCursor(cursor: string): number {
  const value = Number(cursor);
  if (!Number.isSafeInteger(value) || value < 0) throw createGraphQLError('after is not a cursor this field gave out.', { extensions: { code: 'BAD_USER_INPUT' } });
  return value;
}

function encodeJobCursor(job: JobRecord): string {
  return Buffer.from(JSON.stringify([job.createdAt.toISOString(), job.id])).toString('base64url');
}

function decodeJobCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && isUuid(id) && !Number.isNaN(Date.parse(at))) return { createdAt: new Date(at), id };
  } catch {
    // Reported below.
  }
  throw createGraphQLError('after is not a cursor this field gave out.', { extensions: { code: 'BAD_USER_INPUT' } });
}

export { isFinished };
