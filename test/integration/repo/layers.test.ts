/**
 * The layer check (`depcruise` with .dependency-cruiser.cjs, part of `npm run lint`) fails when it
 * should: run on tiny trees shaped like src/, it refuses an import that runs back up a layer, an
 * import cycle, and a module outside every layer, and passes a tree that follows the layers. (The
 * real src/ is checked by `npm run lint` itself.) A process per run, so an integration test.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');
const DEPCRUISE = join(REPO, 'node_modules/.bin/depcruise');
const CONFIG = join(REPO, '.dependency-cruiser.cjs');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Writes `files` (path → source) into a fresh directory and runs the check there; its exit code and output. */
async function check(files: Record<string, string>): Promise<{ code: number; output: string }> {
  dir = await mkdtemp(join(tmpdir(), 'layers-'));
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [path, source] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), source);
  }
  try {
    const { stdout } = await promisify(execFile)(DEPCRUISE, ['src', '--config', CONFIG], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

// One run (a depcruise start costs seconds on a busy machine): a tree whose only faults are the three below.
it('fails on an upward import, on a cycle (types only, within one layer) and on a module outside every layer, and on nothing else', async () => {
  const result = await check({
    // Down the layers: fine.
    'src/tencent/codes.ts': 'export const failure = 1;\n',
    'src/engine/outcome.ts': "import { failure } from '../tencent/codes.js';\nexport const outcome = failure;\n",
    'src/http/edge.ts': "import { outcome } from '../engine/outcome.js';\nexport const edge = outcome;\n",
    // Back up: the engine imports the edge.
    'src/engine/engine.ts': "import { edge } from '../http/edge.js';\nexport const engine = edge;\n",
    // A cycle of type-only imports.
    'src/tencent/credentials.ts': "import type { Role } from './role-credentials.js';\nexport type Provider = { role?: Role };\n",
    'src/tencent/role-credentials.ts': "import type { Provider } from './credentials.js';\nexport type Role = { provider?: Provider };\n",
    // A folder no layer names.
    'src/newfolder/thing.ts': "import { failure } from '../tencent/codes.js';\nexport const thing = failure;\n",
  });
  expect(result.code).not.toBe(0);
  const violations = result.output.split('\n').filter((line) => /^\s*error /.test(line)).map((line) => line.trim());
  expect(violations).toEqual(
    expect.arrayContaining([
      'error no-upward-engine-to-http: src/engine/engine.ts → src/http/edge.ts',
      expect.stringMatching(/^error no-circular: src\/tencent\/(role-)?credentials\.ts →/),
      'error no-unlayered: src/newfolder/thing.ts → src/tencent/codes.ts',
    ]),
  );
  expect(violations.filter((line) => !line.startsWith('error no-circular'))).toHaveLength(2);
  expect(result.output).not.toContain('src/http/edge.ts → src/engine/outcome.ts');
}, 120_000);
