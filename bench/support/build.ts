/**
 * The measured servers run as compiled JavaScript under plain `node`, as `npm start` runs the
 * gateway: under a TypeScript loader a process carries the transpiler too (≈ 35–80 MB more RSS and a
 * slower start), which would be measured as the server's. The bench compiles src/ and bench/ with
 * the project's own tsc settings into node_modules/.cache (incremental: a second run takes ~1 s).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT_DIR = 'node_modules/.cache/bench-build/';

export async function buildTargets(): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.bench.json'], { cwd: ROOT });
}

/** Where the compiled form of a bench source file (given from the repository root, `.ts`) is. */
export function compiled(source: string): string {
  return `${ROOT}${OUT_DIR}${source.replace(/\.ts$/, '.js')}`;
}
