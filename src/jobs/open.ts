/**
 * Which job store the configuration asks for: PostgreSQL with `DATABASE_URL` (every replica shares
 * it), else the embedded PGlite in `JOBS_DATA_DIR` (one process). Migrated either way.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { PGliteDriver, PostgresDriver, type SqlDriver } from './sql.js';
import { JobStore } from './store.js';

export async function openJobStore(jobs: Config['jobs'], logger: Logger): Promise<JobStore> {
  let driver: SqlDriver;
  if (jobs.databaseUrl) {
    driver = new PostgresDriver(jobs.databaseUrl, (error) => logger.warn({ err: error.message }, 'job store connection lost'));
  } else {
    driver = await PGliteDriver.open(jobs.dataDir);
  }
  try {
    const { store, migrated } = await JobStore.open(driver);
    if (migrated.length > 0) logger.info({ store: driver.description, migrations: migrated }, 'job store migrated');
    return store;
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}

/** Why the store could not be opened, as one start-up line naming the variable and what to do. */
export function jobStoreProblem(error: unknown, jobs: Config['jobs']): string {
  const reason = describeError(error);
  if (jobs.databaseUrl) {
    const url = new URL(jobs.databaseUrl);
    return (
      `DATABASE_URL: the job store's PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname} could not be opened ` +
      `and migrated (${reason}): start it, or fix the URL`
    );
  }
  return `JOBS_DATA_DIR: the embedded job database in "${jobs.dataDir}" could not be opened (${reason}): point JOBS_DATA_DIR at a writable directory, or set DATABASE_URL`;
}

/**
 * A thrown value as words. PGlite throws what Emscripten throws, which is not always an `Error`
 * (an `ExitStatus`, a plain object): `String()` of that reads "[object Object]".
 */
function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error !== 'object' || error === null) return String(error);
  try {
    return JSON.stringify(error).slice(0, 300);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
