/**
 * The gateway's graphql-yoga options besides its plugins (src/http/edge.ts orders those): the
 * endpoints, CORS, error masking and GraphiQL.
 */
import type { YogaServerOptions } from 'graphql-yoga';
import type { Config } from '../config.js';
import { corsOptions, HEALTH_PATH } from '../http/edge.js';
import { documentCaches } from '../http/document-cache.js';
import { maskError, yogaLogger } from '../http/errors.js';
import { EXAMPLE_DOCUMENT } from '../http/graphiql/example.js';
import { renderOfflineGraphiQL } from '../http/graphiql/page.js';
import { GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER } from '../http/plugins/trusted-documents.js';
import type { Logger } from '../logger.js';
import type { GatewayContext } from '../schema/builder.js';
import { schema } from '../schema/index.js';

export type GatewayYogaOptions = YogaServerOptions<Record<string, unknown>, GatewayContext>;

export function yogaOptions(config: Config, logger: Logger, plugins: NonNullable<GatewayYogaOptions['plugins']>): GatewayYogaOptions {
  const onlyTrusted = Boolean(config.persistedDocuments.path && config.persistedDocuments.only);
  return {
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: HEALTH_PATH,
    landingPage: false,
    // useBodyLimit (src/http/plugins/body-limit.ts) bounds bodies by their declared length, more cheaply.
    maxRequestBodySize: false,
    // Bounded by bytes, large documents never cached: yoga's default keeps 1,024 of up to 1 MiB each.
    parserAndValidationCache: documentCaches(),
    cors: corsOptions(config),
    // `{"documentId": …}` is a trusted document's id (src/http/plugins/trusted-documents.ts).
    extraParamNames: ['documentId'],
    maskedErrors: { maskError },
    // `GRAPHIQL`: off by default in production, as Apollo Server's landing page is.
    graphiql: config.graphiql && {
      title: 'Tencent SSL gateway',
      defaultQuery: EXAMPLE_DOCUMENT,
      // In only-mode outside production, GraphiQL may still send documents of its own.
      ...(onlyTrusted && !config.production ? { additionalHeaders: { [GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER]: '1' } } : {}),
    },
    renderGraphiQL: renderOfflineGraphiQL,
    logging: yogaLogger(logger.child({ component: 'yoga' })),
    plugins,
  };
}
