/**
 * GraphQL Code Generator for a frontend in its own repository that has only the gateway's
 * `schema.graphql` (copied from the gateway's `schema/schema.graphql`, or from your federated graph's
 * router) and its own operations in `src/**\/*.graphql`. It writes, into `src/gql/`:
 *  - `graphql.ts`: each operation as a TypedDocumentNode (`BatchDeleteCSRsDocument`), its variables
 *    and result typed from the schema;
 *  - `persisted-documents.json`: each document under its sha256 hex, for a gateway run with
 *    `PERSISTED_DOCUMENTS` (trusted documents);
 *  - `possible-types.ts`: the union and interface members, for Apollo Client's
 *    `new InMemoryCache({ possibleTypes })`, without which `... on TencentCloudError` matches nothing.
 *
 *   npm install --save-dev @graphql-codegen/cli @graphql-codegen/client-preset @graphql-codegen/fragment-matcher
 *   npx graphql-codegen --config codegen.ts
 *
 * docs/frontends.md; test/integration/examples/codegen-example.test.ts runs it in an empty folder.
 */
import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/**/*.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // Plain sha256 hex: what Apollo Client's persisted-queries link sends, and what the gateway accepts.
        persistedDocuments: { hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex') },
      },
      // Names as the operations spell them: BatchDeleteCSRsDocument, not BatchDeleteCsRsDocument.
      config: { namingConvention: 'keep', useTypeImports: true },
    },
    'src/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
