import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Unit tests, by path: `test/unit/**`. In memory (recording clients, fake timers, `yoga.fetch`): no
 * sockets, no processes, no Redis, PostgreSQL or browser: exact logic, run in parallel, seconds in
 * all. `npx vitest run --project unit` while working. Target: <= 30 s on the 2-core machine; it takes
 * 11 s of CPU (user), and measured 41 s of wall time with the machine at load 13-19 from other work.
 */
const UNIT = ['test/unit/**/*.test.ts'];

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
        // Files share their worker's loaded modules (isolate: false): the schema, graphql and yoga are
        // loaded once per worker instead of once per file, which is most of the project's time. So a
        // unit test leaves nothing global behind (real timers restored, no module mocks).
        extends: true,
        test: { name: 'unit', include: UNIT, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        // Everything else (`test/integration/**`, and any test file outside the two folders, which is
        // run here rather than silently skipped): HTTP on loopback, gateway and simulator processes,
        // Redis, PostgreSQL, the browser, the chaos test. One file at a time, after the unit tests, so
        // that each has the machine's cores to itself (they assert invariants, not speeds, but a file
        // that starts three gateway processes beside another that starts three more only makes both
        // slower).
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // An initialised embedded job database that each gateway process copies (test/support/process.ts).
          globalSetup: ['test/support/pglite-template.ts'],
        },
      },
    ],
  },
});
