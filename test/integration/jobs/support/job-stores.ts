/**
 * The job store on each of its drivers, for `describe.each(JOB_STORE_DRIVERS)`: the machine's
 * PostgreSQL (a fresh database, dropped afterwards) and the embedded PGlite (in memory). One
 * implementation, one dialect (src/jobs/sql.ts), so every store test runs the same assertions on both.
 */
import { expect } from 'vitest';
import { PGliteDriver, PostgresDriver, type SqlDriver } from '../../../../src/jobs/sql.js';
import { JobStore } from '../../../../src/jobs/store.js';
import { freshDatabase } from '../../audit/support/postgres.js';

/** A migrated store and what puts it away: the store, then its database. */
export interface OpenedJobStore {
  readonly store: JobStore;
  readonly close: () => Promise<void>;
}

type OpenJobStore = () => Promise<OpenedJobStore>;

/**
 * Opens the store on the driver, migrated, and checks that migrating again applies nothing:
 * replicas start side by side, each migrating the database they share.
 */
async function migrated(driver: SqlDriver, cleanup: () => Promise<void>): Promise<OpenedJobStore> {
  const { store } = await JobStore.open(driver);
  expect((await JobStore.open(driver)).migrated).toEqual([]);
  return {
    store,
    close: async () => {
      await store.close();
      await cleanup();
    },
  };
}

export const JOB_STORE_DRIVERS: Array<[string, OpenJobStore]> = [
  [
    'PostgreSQL',
    async () => {
      const database = await freshDatabase();
      return migrated(new PostgresDriver(database.url, () => undefined), () => database.drop());
    },
  ],
  ['PGlite', async () => migrated(await PGliteDriver.open(undefined), () => Promise.resolve())],
];
