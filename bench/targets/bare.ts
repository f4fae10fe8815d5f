/**
 * The bare graphql-yoga server the GraphQL-layer overhead is measured against: the baseline's schema
 * (the gateway's type and field names) with resolvers that answer at once, so that the same request
 * gets the same response bytes as from the gateway, and any difference is the gateway's layer. Yoga's
 * own request-body limit is off, as in the gateway (which bounds bodies by their declared length
 * instead): with it on, yoga re-streams every body through a counting TransformStream, and the
 * comparison would measure that setting rather than the gateway.
 */
import { randomUUID } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { BASELINE_LIMITS, BASELINE_TYPE_DEFS, type DeleteResult } from '../baseline/server.js';

export function createBareYoga() {
  return createYoga({
    schema: createSchema({
      typeDefs: BASELINE_TYPE_DEFS,
      resolvers: {
        Query: {
          csrDeletionLimits: () => BASELINE_LIMITS,
        },
        Mutation: {
          batchDeleteCSRs: (_root: unknown, { ids }: { ids: number[] }): DeleteResult => ({
            deletedIds: [...new Set(ids)],
            notDeletedIds: [],
            unknownIds: [],
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
