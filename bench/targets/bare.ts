/**
 * The bare graphql-yoga server the GraphQL-layer overhead is measured against: the gateway's own
 * schema as SDL — the mutation returns the same union of a success type and error types behind an
 * interface, `csrDeletionLimits` the same object — with resolvers that answer at once, so that
 * the same request gets the same response bytes as from the gateway and executes the same abstract
 * type resolution, and any difference is the gateway's own layer. Yoga's own request-body limit is
 * off, as in the gateway (which bounds bodies by their declared length instead): with it on, yoga
 * re-streams every body through a counting TransformStream, and the comparison would measure that
 * setting rather than the gateway.
 */
import { randomUUID } from 'node:crypto';
import { printSchema } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { schema as gatewaySchema } from '../../src/schema/index.js';
import { BASELINE_LIMITS, type DeleteResult } from '../baseline/server.js';

/**
 * The gateway's own schema, as SDL (printed from the code-first schema), served by plain yoga: the
 * same types, fields and descriptions, federation's `_service` included.
 */
const BARE_TYPE_DEFS = printSchema(gatewaySchema);

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
