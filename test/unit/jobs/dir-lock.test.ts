import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryInUseError, LOCK_FILE, lockDirectory } from '../../../src/jobs/dir-lock.js';

/** Above Linux's largest pid_max (2^22): never a live process. */
const DEAD_PID = 4_194_305;

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'dir-lock-'));
}

describe('lockDirectory: one process per embedded database directory', () => {
  it('writes this process ID, and the release removes it so the next opener gets it', async () => {
    const dir = await freshDir();
    const release = await lockDirectory(dir);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await release();
    await expect(readFile(join(dir, LOCK_FILE), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a directory held by another live process, naming it', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, LOCK_FILE), `${process.ppid}\n`);
    const refused = await lockDirectory(dir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DirectoryInUseError);
    expect(String(refused)).toContain(`process ${process.ppid}`);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.ppid));
  });

  it.each([
    ['a process that has died (SIGKILL leaves its file behind)', `${DEAD_PID}\n`],
    ['this very process ID (a container restarted: PID 1 again)', `${process.pid}\n`],
    ['a half-written file', ''],
  ])('takes over a lock left by %s', async (_case, content) => {
    const dir = await freshDir();
    await writeFile(join(dir, LOCK_FILE), content);
    await lockDirectory(dir);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
  });
});
