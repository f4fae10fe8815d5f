/**
 * The bare graphql-yoga server the GraphQL-layer overhead is measured against: a schema of the
 * gateway's shape — the mutation returns the same union of a success type and error types behind
 * an interface, `csrDeletionLimits` the same object — with resolvers that answer at once, so that
 * the same request gets the same response bytes as from the gateway and executes the same abstract
 * type resolution, and any difference is the gateway's own layer. Yoga's
 * own request-body limit is off, as in the gateway (which bounds bodies by their declared length
 * instead): with it on, yoga re-streams every body through a counting TransformStream, and the
 * comparison would measure that setting rather than the gateway.
 */
import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { BASELINE_LIMITS, type DeleteResult } from '../baseline/server.js';

/** docs/contract.md §4's shape, as far as the bench's documents reach (a resolver never returns an error type here). */
const BARE_TYPE_DEFS = /* GraphQL */ `
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
    batchDeleteCSRs(ids: [Int!]!): BatchDeleteCSRsResult!
  }
  union BatchDeleteCSRsResult =
      BatchDeleteCSRsSuccess
    | InvalidCSRIdError
    | InvalidParameterError
    | FailedOperationError
    | RateLimitExceededError
    | AuthFailureError
    | UpstreamUnavailableError
  interface TencentCloudError {
    code: String!
    message: String!
    requestId: String
    csrIds: [Int!]!
  }
  type BatchDeleteCSRsSuccess {
    deletedIds: [Int!]!
    notDeletedIds: [Int!]!
    unknownIds: [Int!]!
    errors: [TencentCloudError!]!
    requestIds: [String!]!
  }
  type InvalidCSRIdError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type InvalidParameterError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type FailedOperationError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type RateLimitExceededError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type AuthFailureError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type UpstreamUnavailableError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
`;

export function createBareYoga() {
  return createYoga({
    schema: createSchema({
      typeDefs: BARE_TYPE_DEFS,
      resolvers: {
        BatchDeleteCSRsResult: { __resolveType: () => 'BatchDeleteCSRsSuccess' },
        TencentCloudError: { __resolveType: () => 'FailedOperationError' },
        Query: {
          csrDeletionLimits: () => BASELINE_LIMITS,
        },
        Mutation: {
          batchDeleteCSRs: (_root: unknown, { ids }: { ids: number[] }): DeleteResult & { errors: [] } => ({
            deletedIds: [...new Set(ids)],
            notDeletedIds: [],
            unknownIds: [],
            errors: [],
            requestIds: [randomUUID()],
          }),
        },
      },
    }),
    graphqlEndpoint: '/graphql',
    maxRequestBodySize: false,
    landingPage: false,
    graphiql: false,
    logging: 'warn',
  });
}
