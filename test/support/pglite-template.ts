/**
 * A ready embedded job database for gateway processes to start from.
 *
 * Every gateway process a test starts without `DATABASE_URL` needs a job database directory of its
 * own (one process per directory: src/jobs/dir-lock.ts). Initialising an empty one is PostgreSQL's
 * initdb in WebAssembly, 3-5 s on a quiet machine and 20-40 s on a loaded one; copying an initialised
 * one takes 50 ms and opening it 0.4 s. So the integration project's global setup initialises one
 * template per PGlite version, once, and `spawnGateway` copies it for each process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Its package.json is not among the package's exports: read from the installed tree.
const pgliteManifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
const pgliteVersion = (JSON.parse(readFileSync(pgliteManifest, 'utf8')) as { version: string }).version;

/** Where the template is (or will be): shared by every test run of this PGlite version on the machine. */
export const PGLITE_TEMPLATE = join(tmpdir(), `tencent-ssl-gateway-pglite-template-${pgliteVersion}`);

/** vitest global setup: makes the template if no earlier run has. */
export default async function setup(): Promise<void> {
  if (existsSync(PGLITE_TEMPLATE)) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const building = await mkdtemp(join(tmpdir(), 'pglite-template-building-'));
  const db = await PGlite.create(building);
  await db.close();
  // Renamed into place whole, so a concurrent run (another checkout) never copies a half-made one.
  await rename(building, PGLITE_TEMPLATE).catch(() => rm(building, { recursive: true, force: true }));
}
