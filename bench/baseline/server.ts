/**
 * The baseline: what a developer writes without this gateway. A minimal graphql-yoga server whose
 * resolver chunks the caller's IDs to Tencent's 100 per call and sends each chunk with the real
 * Tencent client, through a correct process-wide throttle (the gateway's own in-process limiter,
 * so the comparison is about batching, not about the limiter). Chunks go one after another, the
 * charitable choice: firing a caller's chunks all at once through the throttle would queue every
 * other caller behind the whole job.
 *
 * What it does not do is what the gateway exists for: merge different callers' IDs into one call.
 * Every mutation costs at least one of the 10 calls a second, whatever its size.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import type { RateLimiter } from '../../src/engine/types.js';
import type { BatchDeleteClient } from '../../src/engine/client.js';

/** Tencent's limit on IDs per call. */
const MAX_IDS_PER_CALL = 100;

/**
 * The baseline's schema, and the bare server's: just enough for the bench's documents, with the
 * gateway's type and field names so that the same request gets the same response bytes.
 */
export const BASELINE_TYPE_DEFS = /* GraphQL */ `
  type Query {
    csrDeletionLimits: CSRDeletionLimits!
  }
  type CSRDeletionLimits {
    maxIdsPerMutation: Int!
    maxIdsPerCall: Int!
    callsPerSecond: Int!
    mutationDeadlineMs: Int!
  }
  type Mutation {
    batchDeleteCSRs(ids: [Int!]!): BatchDeleteCSRsSuccess!
  }
  type BatchDeleteCSRsSuccess {
    deletedIds: [Int!]!
    notDeletedIds: [Int!]!
    unknownIds: [Int!]!
    requestIds: [String!]!
  }
`;

/** What both the baseline and the bare server answer to `csrDeletionLimits` (the contract's defaults). */
export const BASELINE_LIMITS = { maxIdsPerMutation: 10_000, maxIdsPerCall: 100, callsPerSecond: 10, mutationDeadlineMs: 30_000 } as const;

export interface DeleteResult {
  readonly deletedIds: number[];
  readonly notDeletedIds: number[];
  readonly unknownIds: number[];
  readonly requestIds: string[];
}

export function createBaselineYoga(client: BatchDeleteClient, limiter: RateLimiter) {
  return createYoga({
    schema: createSchema({
      typeDefs: BASELINE_TYPE_DEFS,
      resolvers: {
        Query: {
          csrDeletionLimits: () => BASELINE_LIMITS,
        },
        Mutation: {
          batchDeleteCSRs: async (_root: unknown, { ids }: { ids: number[] }): Promise<DeleteResult> => {
            const distinct = [...new Set(ids)];
            const deleted: number[] = [];
            const requestIds: string[] = [];
            for (let start = 0; start < distinct.length; start += MAX_IDS_PER_CALL) {
              await limiter.acquire(client.secretId, Infinity);
              const result = await client.batchDeleteCSR(distinct.slice(start, start + MAX_IDS_PER_CALL));
              if (!result.ok) throw new GraphQLError(`${result.failure.code}: ${result.failure.message}`);
              deleted.push(...result.deleted);
              requestIds.push(result.requestId);
            }
            const gone = new Set(deleted);
            return { deletedIds: deleted, notDeletedIds: distinct.filter((id) => !gone.has(id)), unknownIds: [], requestIds };
          },
        },
      },
    }),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false,
    logging: 'warn',
  });
}
