/**
 * The image's runtime stage, laid out on this machine without a container engine: what the Dockerfile
 * says (its final stage's ENV, USER, WORKDIR, CMD, HEALTHCHECK), and the folder it builds (`npm ci
 * --omit=dev` beside package.json and the lockfile, the compiled `dist/` copied in).
 *
 * `npm ci --omit=dev` takes the registry and a minute on a busy machine, so the installed folder is
 * kept in the system's temporary directory, named by a hash of the lockfile, package.json and Node's
 * major version: a later run with the same inputs reuses it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface RuntimeStage {
  readonly env: Readonly<Record<string, string>>;
  readonly user?: string;
  readonly workdir?: string;
  /** The exec form's argv. */
  readonly cmd: readonly string[];
  readonly healthcheck?: readonly string[];
  readonly expose: readonly number[];
}

/** The last stage of a Dockerfile (one instruction a line, exec-form CMD and HEALTHCHECK). */
export function runtimeStage(dockerfile: string): RuntimeStage {
  const lines = dockerfile.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const last = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage: { env: Record<string, string>; user?: string; workdir?: string; cmd?: string[]; healthcheck?: string[]; expose: number[] } = {
    env: {},
    expose: [],
  };
  for (const line of lines.slice(last + 1)) {
    const [, instruction = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const [, key = '', value = ''] of rest.matchAll(/(\w+)=("[^"]*"|\S*)/g)) stage.env[key] = value.replace(/^"|"$/g, '');
        break;
      case 'USER':
        stage.user = rest;
        break;
      case 'WORKDIR':
        stage.workdir = rest;
        break;
      case 'EXPOSE':
        stage.expose.push(...rest.split(/\s+/).map((port) => Number.parseInt(port, 10)));
        break;
      case 'CMD':
        stage.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK': {
        const exec = /\bCMD\s+(\[.*\])$/.exec(rest);
        if (exec?.[1]) stage.healthcheck = JSON.parse(exec[1]) as string[];
        break;
      }
    }
  }
  if (!stage.cmd) throw new Error('the Dockerfile has no exec-form CMD in its last stage');
  return { ...stage, cmd: stage.cmd };
}

export async function readRuntimeStage(): Promise<RuntimeStage> {
  return runtimeStage(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
}

/** The folder the runtime stage holds: production dependencies, `dist/`, an empty `data/`. World-readable, for an unprivileged user. */
export async function productionInstall(): Promise<{ dir: string; npmOutput: string }> {
  const packageJson = await readFile(join(ROOT, 'package.json'));
  const lockfile = await readFile(join(ROOT, 'package-lock.json'));
  const key = createHash('sha256').update(packageJson).update(lockfile).update(process.versions.node.split('.')[0] ?? '').digest('hex').slice(0, 16);
  const base = join(tmpdir(), 'tencent-ssl-gateway-production-install');
  const dir = join(base, key);
  await mkdir(base, { recursive: true, mode: 0o755 });
  await chmod(base, 0o755);
  let npmOutput = '';
  if (!(await exists(join(dir, 'node_modules')))) {
    const staging = `${dir}.${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { mode: 0o755 });
    await cp(join(ROOT, 'package.json'), join(staging, 'package.json'));
    await cp(join(ROOT, 'package-lock.json'), join(staging, 'package-lock.json'));
    // As the Dockerfile runs it; the npm of the Node running this test (the image's npm is its Node's).
    const npm = await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: staging,
      env: { ...process.env, npm_config_loglevel: 'warn' },
      maxBuffer: 16 * 1024 * 1024,
    });
    npmOutput = npm.stdout + npm.stderr;
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  }
  // The compiled gateway, fresh each run, as the build stage's `npm run build` makes it.
  const dist = join(dir, 'dist');
  await rm(dist, { recursive: true, force: true });
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist, '--incremental', 'false', '--tsBuildInfoFile', 'null'], {
    cwd: ROOT,
  });
  await run('chmod', ['-R', 'a+rX', dir]);
  return { dir, npmOutput };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
