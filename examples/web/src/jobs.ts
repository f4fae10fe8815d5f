/**
 * Deletion jobs from the browser (docs/contract.md §4, "Deletion jobs"): start one with an
 * idempotency key, follow it live, cancel it, page through its results.
 *
 * Following: the `csrDeletionJobProgress` subscription over GraphQL over Server-Sent Events, as
 * graphql-yoga serves it (`POST /graphql` with `Accept: text/event-stream`, one stream per
 * subscription: graphql-sse's "distinct connections mode"), through graphql-sse's client. Where the
 * stream cannot be had — a proxy that buffers or drops it, a router without subscriptions — the page
 * polls `csrDeletionJob` once a second instead; either way it sees the same fields.
 */
import { CombinedGraphQLErrors } from '@apollo/client';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-sse';
import {
  CancelCSRDeletionDocument,
  CSRDeletionJobDocument,
  CSRDeletionJobProgressUpdatesDocument,
  CSRDeletionJobResultsDocument,
  StartCSRDeletionDocument,
  type CSRDeletionOutcome,
  type CSRDeletionJobProgressFragment,
} from '../../../schema/generated/graphql.js';
import { callerContext, callerHeaders, client, type Caller } from './client.js';

export type Job = CSRDeletionJobProgressFragment;
export type StartResult = ResultOf<typeof StartCSRDeletionDocument>['startCSRDeletion'];
export type ResultsPage = NonNullable<ResultOf<typeof CSRDeletionJobResultsDocument>['csrDeletionJob']>['results'];
export type Outcome = CSRDeletionOutcome;

/** The header of the IETF draft, which the gateway reads as the `idempotencyKey` argument. */
const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const POLL_INTERVAL_MS = 1_000;

export function isFinished(job: Pick<Job, 'status'>): boolean {
  return job.status === 'COMPLETED' || job.status === 'CANCELLED';
}

/**
 * Starts a job for `ids`. `idempotencyKey` names this intent: sending it again (a double click, a
 * retry after a lost answer) answers the job the first request made instead of making a second.
 */
export async function startJob(ids: readonly number[], idempotencyKey: string, caller: Caller): Promise<StartResult> {
  const { data } = await client.mutate({
    mutation: StartCSRDeletionDocument,
    variables: { ids: [...ids] },
    context: callerContext(caller, { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey }),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.startCSRDeletion;
}

/** The job as it is now; null when there is no such job (or it is not this caller's). */
export async function jobNow(id: string, caller: Caller): Promise<Job | null> {
  const { data } = await client.query({
    query: CSRDeletionJobDocument,
    variables: { id },
    context: callerContext(caller),
    fetchPolicy: 'network-only',
  });
  return data?.csrDeletionJob ?? null;
}

export async function cancelJob(id: string, caller: Caller): Promise<Job | null> {
  const { data } = await client.mutate({ mutation: CancelCSRDeletionDocument, variables: { id }, context: callerContext(caller) });
  return data?.cancelCSRDeletion ?? null;
}

export async function resultsPage(
  variables: VariablesOf<typeof CSRDeletionJobResultsDocument>,
  caller: Caller,
): Promise<ResultsPage> {
  const { data } = await client.query({
    query: CSRDeletionJobResultsDocument,
    variables,
    context: callerContext(caller),
    fetchPolicy: 'network-only',
  });
  const job = data?.csrDeletionJob;
  if (!job) throw new Error(`No job ${variables.id} (or it is not yours).`);
  return job.results;
}

export type Transport = 'live' | 'polling';

export interface JobObserver {
  /** The job as it is now, and how the page heard of it. */
  next(job: Job, transport: Transport): void;
  /** The gateway refused to show the job, or could not be reached: following has stopped. */
  error(error: unknown): void;
}

/**
 * Follows a job until it is finished, live when the gateway's stream gets through and by polling
 * when it does not. Returns a function that stops following (the stream is closed).
 */
export function followJob(id: string, caller: Caller, observer: JobObserver): () => void {
  let stopped = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seen = (job: Job, transport: Transport) => {
    if (stopped) return;
    finished = isFinished(job);
    observer.next(job, transport);
  };

  const poll = () => {
    if (stopped || finished) return;
    jobNow(id, caller).then(
      (job) => {
        if (!job) throw new Error(`No job ${id} (or it is not yours).`);
        seen(job, 'polling');
        if (!finished && !stopped) timer = setTimeout(poll, POLL_INTERVAL_MS);
      },
      (error: unknown) => {
        stopped = true;
        observer.error(error);
      },
    );
  };

  // One stream, no reconnection of its own: when it fails, polling takes over (a stream that failed
  // once behind a buffering proxy fails again; polling works wherever queries do).
  const sse = createClient({ url: caller.url, headers: () => callerHeaders(caller), retryAttempts: 0 });
  type Progress = ResultOf<typeof CSRDeletionJobProgressUpdatesDocument>;
  const unsubscribe = sse.subscribe<Progress>(
    { query: print(CSRDeletionJobProgressUpdatesDocument), variables: { id } },
    {
      next: (result) => {
        if (result.errors?.length) {
          // The gateway answered and refused (no such job, no token): polling would only be refused too.
          stopped = true;
          observer.error(new CombinedGraphQLErrors({ errors: result.errors }));
          return;
        }
        if (result.data) seen(result.data.csrDeletionJobProgress, 'live');
      },
      error: () => poll(),
      // The stream ends after the final event; one that ends sooner (a proxy's timeout) is resumed by polling.
      complete: () => poll(),
    },
  );

  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
    sse.dispose();
  };
}
