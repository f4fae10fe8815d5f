/**
 * The load generator: callers sending `batchDeleteCSRs` over HTTP, as a burst (all at once) or
 * open-loop (at a fixed rate, whatever the answers do), timing each mutation from when it was due
 * to be sent, so that a slow server cannot hide its queue by slowing the sender (coordinated
 * omission).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/** Valid on the gateway, the baseline and the bare server alike (their types share names). */
export const DELETE_DOCUMENT = /* GraphQL */ `
  mutation Delete($ids: [Int!]!) {
    batchDeleteCSRs(ids: $ids) {
      __typename
      ... on BatchDeleteCSRsSuccess { deletedIds notDeletedIds unknownIds requestIds }
    }
  }
`;

/**
 * Sent with every request: ignored while auth is off, accepted once AUTH_API_KEYS is honoured. Random
 * and 32 characters, as production requires of a key (config.ts refuses keys under 16 characters, and
 * the bench runs its targets with NODE_ENV=production).
 */
export const BENCH_API_KEY = `bench-${randomBytes(16).toString('hex')}`;

/** Unlimited sockets: a burst of 1,000 callers is 1,000 connections, as it would be in life. */
const agent = new Agent({ connections: null, keepAliveTimeout: 30_000, pipelining: 1 });

export interface MutationOutcome {
  /** From when it was due to when its answer arrived; `Infinity` when it never was. */
  readonly latencyMs: number;
  readonly deleted: number;
  /** IDs the answer did not report deleted, not deleted or unknown (i.e. failed), or `ids.length` on no answer. */
  readonly failed: number;
}

export async function sendDelete(url: string, ids: readonly number[], dueAt = performance.now(), signal?: AbortSignal): Promise<MutationOutcome> {
  try {
    const response = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${BENCH_API_KEY}` },
      body: JSON.stringify({ query: DELETE_DOCUMENT, variables: { ids } }),
      ...(signal ? { signal } : {}),
    });
    const body = (await response.body.json()) as {
      data?: { batchDeleteCSRs?: { __typename: string; deletedIds?: number[]; notDeletedIds?: number[]; unknownIds?: number[] } };
    };
    const latencyMs = performance.now() - dueAt;
    const result = body.data?.batchDeleteCSRs;
    if (response.statusCode !== 200 || result?.__typename !== 'BatchDeleteCSRsSuccess') {
      return { latencyMs, deleted: 0, failed: ids.length };
    }
    const deleted = result.deletedIds?.length ?? 0;
    const accounted = deleted + (result.notDeletedIds?.length ?? 0) + (result.unknownIds?.length ?? 0);
    return { latencyMs, deleted, failed: new Set(ids).size - accounted };
  } catch {
    // Cut off by the bench (aborted), or the connection failed: either way, never answered.
    return { latencyMs: Infinity, deleted: 0, failed: ids.length };
  }
}

export interface OpenLoopOptions {
  readonly perSecond: number;
  readonly durationMs: number;
  /** Called for the n-th mutation at (or just after) its due time. */
  readonly send: (index: number, dueAt: number) => Promise<MutationOutcome>;
}

/**
 * Sends `perSecond × duration` mutations, each at its due time `start + n/perSecond` (catching up
 * at once if a timer fires late); resolves with every outcome once all have been answered.
 */
export async function openLoop({ perSecond, durationMs, send }: OpenLoopOptions): Promise<MutationOutcome[]> {
  const total = Math.round((perSecond * durationMs) / 1_000);
  const interval = 1_000 / perSecond;
  const start = performance.now();
  const pending: Promise<MutationOutcome>[] = [];
  while (pending.length < total) {
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    while (pending.length < due) pending.push(send(pending.length, start + pending.length * interval));
    const nextDue = start + pending.length * interval;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDue - performance.now())));
  }
  return Promise.all(pending);
}

export async function closeLoadAgent(): Promise<void> {
  await agent.close();
}
