/**
 * CPU time per request, server by server, under a fixed amount of load — the figure to compare while
 * cutting the gateway's cost on a machine shared with other work, where requests/s is mostly noise.
 * Optionally with V8's CPU profiler on in the server process, summarised by self time.
 *
 *   npx tsx bench/cpu-profile.ts                               every server, mutation, 20,000 requests
 *   npx tsx bench/cpu-profile.ts --servers=journal,bare --requests=10000 --rounds=3
 *   npx tsx bench/cpu-profile.ts --servers=journal --profile   + where the time goes (top self time)
 *   npx tsx bench/cpu-profile.ts --document=query
 *   npx tsx bench/cpu-profile.ts --servers=journal --before=node_modules/.cache/bench-before --rounds=5
 *                                                    each server also from another build (A/B, interleaved)
 *
 *   npx tsx bench/cpu-profile.ts --servers=journal --node-option=--max-semi-space-size=64   a V8 or Node flag
 *
 * For --before: compile the code before a change with `npx tsc -p tsconfig.bench.json --outDir <dir>
 * --tsBuildInfoFile <dir>/.tsbuildinfo` into a directory under node_modules (so that its imports resolve).
 *
 * Each server is a fresh process (bench/targets/main.ts, compiled, NODE_ENV=production), warmed up
 * with as many requests as are then measured; its CPU time (user + system, `process.cpuUsage`) over
 * exactly `--requests` requests sent by autocannon over 32 connections, divided by them. The servers
 * are those of the overhead scenario (bench/scenarios/graphql-overhead.ts), named shortly.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { freshDatabase, type TestDatabase } from '../test/integration/audit/support/postgres.js';
import { otlpReceiver } from './scenarios/observability.js';
import { preflight } from './scenarios/graphql-overhead.js';
import { buildTargets } from './support/build.js';
import { BENCH_API_KEY, DELETE_DOCUMENT } from './support/load.js';
import { BENCH_JWT_SECRET, withSession } from './support/session.js';

const SERVERS = {
  journal: { kind: 'instant-gateway', auth: 'jwt', env: {} },
  'journal-key': { kind: 'instant-gateway', auth: 'key', env: {} },
  postgres: { kind: 'instant-gateway', auth: 'jwt', env: { AUDIT_DATABASE_URL: 'postgres' } },
  'journal-tracing': { kind: 'instant-gateway', auth: 'jwt', env: { OTEL: 'on' } },
  'postgres-tracing': { kind: 'instant-gateway', auth: 'jwt', env: { AUDIT_DATABASE_URL: 'postgres', OTEL: 'on' } },
  'audit-off': { kind: 'instant-gateway', auth: 'jwt', env: { BENCH_AUDIT: 'off' } },
  'audit-off-tracing': { kind: 'instant-gateway', auth: 'jwt', env: { BENCH_AUDIT: 'off', OTEL: 'on' } },
  bare: { kind: 'bare', auth: 'jwt', env: {} },
} as const;
type ServerName = keyof typeof SERVERS;

const { values: args } = parseArgs({
  options: {
    servers: { type: 'string', default: Object.keys(SERVERS).join(',') },
    requests: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
    document: { type: 'string', default: 'mutation' },
    profile: { type: 'boolean', default: false },
    before: { type: 'string' },
    'node-option': { type: 'string', multiple: true },
    top: { type: 'string', default: '30' },
  },
});
const names = (args.servers ?? '').split(',').map((name) => name.trim()) as ServerName[];
for (const name of names) if (!(name in SERVERS)) throw new Error(`unknown server "${name}"; one of ${Object.keys(SERVERS).join(', ')}`);
const beforeEntry = args.before ? resolve(args.before, 'bench/targets/main.js') : undefined;
const builds: readonly (string | undefined)[] = beforeEntry ? [undefined, beforeEntry] : [undefined];
const requests = Number(args.requests);
const connections = Number(args.connections);
const rounds = Number(args.rounds);
const body =
  args.document === 'query'
    ? JSON.stringify({ query: '{ csrDeletionLimits { maxIdsPerMutation maxIdsPerCall callsPerSecond mutationDeadlineMs } }' })
    : JSON.stringify({ query: DELETE_DOCUMENT, variables: { ids: [7] } });

await buildTargets();
const jwt = await new SignJWT({ scope: 'csr:delete' })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject('bench-caller')
  .setIssuedAt()
  .setExpirationTime('1 h')
  .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
const needsPostgres = names.some((name) => 'AUDIT_DATABASE_URL' in SERVERS[name].env);
const database: TestDatabase | undefined = needsPostgres ? await freshDatabase() : undefined;
const receiver = await otlpReceiver();
const results = new Map<string, number[]>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, build] of names.flatMap((name) => builds.map((build) => [name, build] as const))) {
      const label = build ? `${name}@before` : name;
      const server = SERVERS[name];
      const profileDir = args.profile ? await mkdtemp(join(tmpdir(), 'bench-cpu-profile-')) : undefined;
      const env: Record<string, string> = { ...server.env, ...(process.env['BENCH_JOURNAL_DIR'] ? { AUDIT_DATA_DIR: process.env['BENCH_JOURNAL_DIR'] } : {}) };
      if (env['AUDIT_DATABASE_URL']) env['AUDIT_DATABASE_URL'] = (database as TestDatabase).url;
      if (env['OTEL']) {
        delete env['OTEL'];
        Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: 'bench' });
      }
      const micros = await withSession(
        server.kind,
        async (session) => {
          const options = {
            url: session.target.url,
            method: 'POST' as const,
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              authorization: `Bearer ${server.auth === 'key' ? BENCH_API_KEY : jwt}`,
            },
            body,
            connections,
          };
          await preflight(options);
          await autocannon({ ...options, amount: requests });
          await session.target.reset();
          const result = await autocannon({ ...options, amount: requests });
          const stats = await session.target.stats();
          if (result.errors + result.non2xx > 0) throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx`);
          console.log(
            `${label.padEnd(25)} ${stats.cpuMicrosPerRequest.toFixed(0).padStart(6)} µs/request ` +
              `(system ${(stats.cpuSystemMicrosPerRequest ?? 0).toFixed(0)} µs), ${Math.round(result.requests.average)} requests/s`,
          );
          return stats.cpuMicrosPerRequest;
        },
        {
          logLevel: 'info',
          env: { ...env, ...(profileDir ? { BENCH_CPU_PROFILE: join(profileDir, 'measured.cpuprofile') } : {}) },
          ...(build ? { entry: build } : {}),
          ...(args['node-option'] ? { execArgv: args['node-option'] } : {}),
        },
      );
      results.set(label, [...(results.get(label) ?? []), micros]);
      if (profileDir) {
        for (const file of await readdir(profileDir)) summarise(label, JSON.parse(await readFile(join(profileDir, file), 'utf8')) as Profile, requests);
        await rm(profileDir, { recursive: true, force: true });
      }
    }
  }
} finally {
  await receiver.close();
  await database?.drop();
}
if (rounds > 1) {
  console.log(`\nmedian of ${rounds} rounds (min–max):`);
  for (const [name, values] of results) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${name.padEnd(25)} ${String(sorted[Math.floor(sorted.length / 2)]).padStart(6)} µs  (${sorted[0]}–${sorted.at(-1)})`);
  }
}
process.exit(0);

interface Profile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time (main thread, wall clock while sampled) by function and by place (node_modules/<name>, src/…, node:…), per request. */
function summarise(name: string, profile: Profile, requests: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfByFunction = new Map<string, number>();
  const selfByPlace = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!frame) return;
    total += delta;
    const place = placeOf(frame.url);
    const key = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta);
    selfByPlace.set(place, (selfByPlace.get(place) ?? 0) + delta);
  });
  const top = Number(args.top);
  const print = (title: string, map: Map<string, number>): void => {
    console.log(`\n${name}: ${title} (of ${(total / 1000).toFixed(0)} ms sampled; µs per request)`);
    for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${(micros / requests).toFixed(1).padStart(6)}  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  print('self time by place', selfByPlace);
  print('self time by function', selfByFunction);
}

function placeOf(url: string): string {
  if (url === '') return '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] === '.cache' ? url.replace(/.*bench-build\//, '') : (modules[1] as string);
  if (url.startsWith('node:')) return url;
  return url.replace(/.*\/(src|bench)\//, '$1/');
}
