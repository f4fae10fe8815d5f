/**
 * One process per embedded database directory.
 *
 * PGlite is PostgreSQL compiled to WebAssembly, running inside this process: unlike a PostgreSQL
 * server it has no postmaster to refuse a second opener, so two gateways pointed at one
 * `JOBS_DATA_DIR` would both write the same files and corrupt them (or, both initialising an empty
 * directory, fail to start). This is PostgreSQL's own answer, `postmaster.pid`, in a few lines: the
 * directory holds a file naming the process that has it open, created exclusively.
 *
 * Written by hand rather than with a lock library (proper-lockfile and its kin) because those judge a
 * lock stale by its age: a gateway SIGKILLed mid-job would leave a lock that keeps its restart waiting
 * for the lock to age out. A process ID is exact: the owner is alive or it is not. Its one blind spot is
 * a reused ID, which in a container is the common case (the gateway is PID 1 again after a restart),
 * so a lock naming this very process is ours to take over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_FILE = 'gateway.pid';

export class DirectoryInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly ownerPid: number,
  ) {
    super(`"${dir}" is in use by process ${ownerPid} (${LOCK_FILE}); each process needs a directory of its own, or DATABASE_URL`);
  }
}

/** Takes the directory (made if missing) for this process; resolves with its release. */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  await mkdir(dir, { recursive: true });
  for (;;) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(`${process.pid}\n`);
      await file.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw new DirectoryInUseError(dir, owner);
    // The owner is gone (or the file is half written by an owner that died writing it): stale.
    await rm(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
