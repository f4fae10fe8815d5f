/**
 * `npm run codegen`: the code-first schema is the source of truth; this writes its artifacts.
 *  - schema/schema.graphql: the subgraph SDL (with the federation @link), committed so that schema
 *    changes show in review; a test fails when it is stale.
 *  - schema/generated/: TypedDocumentNode operations for schema/operations/*.graphql, which the tests
 *    and frontends import.
 */
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
      presetConfig: { fragmentMasking: false },
      config: { namingConvention: 'keep', useTypeImports: true, emitLegacyCommonJSImports: false },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
