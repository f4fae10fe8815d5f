/**
 * `npm run codegen`: the code-first schema is the source of truth; this writes its artifacts, all
 * committed so that changes show in review (test/unit/schema/schema.test.ts fails when one is stale).
 *  - schema/schema.graphql: the subgraph SDL (with the federation @link).
 *  - schema/generated/: TypedDocumentNode operations for schema/operations/*.graphql, which the tests
 *    and frontends import, each carrying its sha256 hash (`__meta__.hash`).
 *  - schema/generated/persisted-documents.json: those documents by hash (sha256 hex → document
 *    text), the manifest a gateway loads to accept persisted document IDs (trusted documents).
 *  - schema/generated/possible-types.ts: which object types each union and interface may be, for
 *    Apollo Client's `InMemoryCache({ possibleTypes })`, without which the cache cannot match
 *    `... on TencentCloudError` and silently drops the error fields.
 */
import { createHash } from 'node:crypto';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { schema } from './src/schema/index.js';

const config: CodegenConfig = {
  schema: printSubgraphSchema(schema),
  documents: ['schema/operations/*.graphql'],
  generates: {
    'schema/schema.graphql': { plugins: ['schema-ast'], config: { includeDirectives: true } },
    'schema/generated/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // Plain sha256 hex, the form Apollo Client's persisted-queries link sends as `sha256Hash`; the
        // gateway takes it in `documentId` with or without the `sha256:` prefix (docs/contract.md §4).
        persistedDocuments: { hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex') },
      },
      config: { namingConvention: 'keep', useTypeImports: true, emitLegacyCommonJSImports: false },
    },
    'schema/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
