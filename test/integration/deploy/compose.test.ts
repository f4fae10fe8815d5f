/**
 * compose.yaml, checked without a container engine: valid against the Compose Specification's schema
 * (deploy/compose/schema/), every file it mounts or builds from present, and the stack wired as
 * docs/deploy.md says — two gateway replicas configured with values the gateway's one reader accepts,
 * behind Hive Gateway serving the committed supergraph (which `npm run supergraph` reproduces), the
 * simulator standing in for Tencent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeSupergraph, DEFAULTS } from '../../../scripts/supergraph.js';
import { loadConfig, withoutCredentials } from '../../../src/config.js';
import { ROOT } from './production-install.js';

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  deploy?: { replicas?: number };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const gatewayConfig = (): ReturnType<typeof loadConfig> => loadConfig(services['gateway']!.environment);

describe('compose.yaml', () => {
  it('is valid against the Compose Specification', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'deploy/compose/schema/compose-spec.json'), 'utf8')) as object;
    // The schema names draft-07's meta-schema by its https URL, which Ajv does not bundle under that name.
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false }).compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema refuses what Compose refuses: an unknown key, ports that are not a list.
    expect(validate({ services: { gateway: { image: 'x', replicas: 2 } } })).toBe(false);
    expect(validate({ services: { gateway: { image: 'x', ports: 4000 } } })).toBe(false);
  });

  it('builds from and mounts only files that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        const context = typeof service.build === 'string' ? service.build : service.build.context;
        expect(existsSync(join(ROOT, context, 'Dockerfile')), `${name}'s build context`).toBe(true);
      }
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(existsSync(join(ROOT, source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  it('runs two gateway replicas that share Redis and PostgreSQL, talk to the simulator, and drain on stop', () => {
    const gateway = services['gateway']!;
    expect(gateway.deploy?.replicas).toBe(2);
    const config = gatewayConfig();
    expect(config.host).toBe('0.0.0.0');
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.audit.databaseUrl).toMatch(/@postgres:5432\//);
    expect(config.jobs.databaseUrl).toBe(config.audit.databaseUrl);
    expect(config.tencent.endpoint.host).toBe('simulator:4010');
    // No credentials given: the simulator's published development credentials (docs/contract.md §2).
    expect(withoutCredentials(config.tencent).kind).toBe('development-credentials');
    expect(Number.parseInt(gateway.stop_grace_period ?? '0', 10) * 1000).toBeGreaterThan(config.mutationDeadlineMs + config.upstreamTimeoutMs);
    for (const dependency of ['redis', 'postgres', 'simulator']) expect(gateway.depends_on).toHaveProperty(dependency);
    expect(services['redis']?.image).toMatch(/^redis:/);
    expect(services['postgres']?.image).toMatch(/^postgres:/);
  });

  it('runs the simulator from the same image, listening where the gateways look for it', () => {
    const simulator = services['simulator']!;
    expect(simulator.image).toBe(services['gateway']!.image);
    expect(simulator.command?.slice(0, 2)).toEqual(['node', 'dist/simulator/main.js']);
    expect(existsSync(join(ROOT, 'src/simulator/main.ts'))).toBe(true);
    expect(simulator.command).toEqual(expect.arrayContaining(['--host', '0.0.0.0', '--port', String(gatewayConfig().tencent.endpoint.port)]));
  });

  it("puts Hive Gateway in front on a port other than the gateway's, serving the supergraph npm run supergraph composes", async () => {
    const router = services['router']!;
    expect(router.image).toMatch(/^ghcr\.io\/graphql-hive\/gateway:/);
    expect(router.ports?.map((port) => port.split(':').at(-1))).not.toContain(String(gatewayConfig().port));
    const committed = readFileSync(join(ROOT, 'deploy/compose/supergraph.graphql'), 'utf8');
    const url = `http://gateway:${gatewayConfig().port}/graphql`;
    expect(committed).toBe(composeSupergraph({ name: DEFAULTS.name, url, sdl: readFileSync(join(ROOT, DEFAULTS.sdl), 'utf8') }));

    // Its configuration forwards the caller's Authorization to this subgraph and waits long enough.
    const { gatewayConfig: hive } = (await import(pathToFileURL(join(ROOT, 'deploy/compose/gateway.config.mjs')).href)) as {
      gatewayConfig: {
        propagateHeaders: { fromClientToSubgraphs(input: { request: Request; subgraphName: string }): Record<string, string | null> };
        upstreamTimeout: number;
      };
    };
    const request = new Request('http://router/graphql', { headers: { authorization: 'Bearer x' } });
    expect(hive.propagateHeaders.fromClientToSubgraphs({ request, subgraphName: DEFAULTS.name })).toEqual({ authorization: 'Bearer x' });
    expect(hive.upstreamTimeout).toBeGreaterThan(gatewayConfig().mutationDeadlineMs + gatewayConfig().upstreamTimeoutMs);
  });
});
