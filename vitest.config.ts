import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests: in memory (fake clients, fake timers), no sockets, no processes: exact logic, run in
 * parallel, seconds in all. `npx vitest run --project unit` while working.
 */
const UNIT = [
  'test/config.test.ts',
  'test/schema/schema.test.ts',
  'test/schema/operation-outcome.test.ts',
  'test/audit/audited-engine.test.ts',
  'test/tencent/signing.test.ts',
  // The docs' ties to the code: Markdown read in memory.
  'test/docs/**/*.test.ts',
  // The engine's tests, except those that talk to a real Redis.
  'test/engine/**/!(redis-*).test.ts',
];

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`). Node loads the CJS one for every dependency
    // (Pothos, Apollo); Vite would pick the ESM one for test files, and two copies of graphql refuse
    // to share a schema. Point test files at the same copy Node uses.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT, sequence: { groupOrder: 0 } },
      },
      {
        // Everything else: HTTP on loopback, gateway and simulator processes, Redis, the browser,
        // the chaos test. One file at a time, after the unit tests, so that each has the machine's
        // cores to itself (they assert invariants, not speeds, but a file that starts three gateway
        // processes beside another that starts three more only makes both slower).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
