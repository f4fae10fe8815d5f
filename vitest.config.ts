import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`). Node loads the CJS one for every dependency
    // (Pothos, Apollo); Vite would pick the ESM one for test files, and two copies of graphql refuse
    // to share a schema. Point test files at the same copy Node uses.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Load and process tests share two cores; one file at a time keeps timing-sensitive invariants
    // (calls per sliding second) measured on a machine that is not also running other suites.
    fileParallelism: false,
  },
});
