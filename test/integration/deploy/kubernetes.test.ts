/**
 * deploy/kubernetes/: each manifest valid against the Kubernetes API schemas (kubernetes-models ships
 * them, offline), rendered the way `kubectl kustomize` renders it when kubectl is here, and the
 * invariants that make a rollout or a node drain lose no answer: the grace period outlasts a
 * mutation's deadline plus an upstream call, the probes are the contract's paths on the port the
 * gateway serves them on, the pods run restricted, and credentials come from a Secret that is not in
 * the repository.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { loadConfig } from '../../../src/config.js';
import { ROOT } from './production-install.js';

const DIR = join(ROOT, 'deploy/kubernetes');
type Manifest = { kind: string; apiVersion: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown };

const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
const manifests: Manifest[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((document) => document.toJS() as Manifest),
);
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function validate(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const byKind = <T>(kind: string): T => {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0] as T;
};
const deployment = byKind<Deployment & Manifest>('Deployment');
const configMap = byKind<ConfigMap & Manifest>('ConfigMap');
const pod = deployment.spec!.template.spec!;
const container = pod.containers[0]!;

describe('deploy/kubernetes', () => {
  it('is valid against the Kubernetes schemas, file by file and as kustomize renders it', async () => {
    for (const manifest of manifests) expect(() => validate(manifest), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    validate(parse(readFileSync(join(DIR, 'secret.example.yaml'), 'utf8')) as Manifest);

    const kubectl = await promisify(execFile)('kubectl', ['kustomize', DIR]).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined; // no kubectl on this machine: the files above are what it would render
      throw error;
    });
    if (kubectl) {
      const rendered = parseAllDocuments(kubectl.stdout).map((document) => document.toJS() as Manifest);
      expect(rendered.map((manifest) => manifest.kind).sort()).toEqual(manifests.map((manifest) => manifest.kind).sort());
      for (const manifest of rendered) expect(() => validate(manifest)).not.toThrow();
    }
  });

  it('gives a terminating pod longer than a mutation can still take: MUTATION_DEADLINE_MS + UPSTREAM_TIMEOUT_MS', () => {
    const config = loadConfig({ ...configMap.data });
    expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(config.mutationDeadlineMs + config.upstreamTimeoutMs);
  });

  it("configures the gateway with values its one reader accepts, and the ports the container declares", () => {
    const config = loadConfig({ ...configMap.data });
    expect(config.production).toBe(true);
    expect(config.host).toBe('0.0.0.0');
    const ports = Object.fromEntries((container.ports ?? []).map((port) => [port.name, port.containerPort]));
    expect(ports).toEqual({ http: config.port, metrics: config.metricsPort });
  });

  it('probes the contract’s liveness and readiness paths on the operators’ listener', () => {
    const contract = readFileSync(join(ROOT, 'docs/contract.md'), 'utf8');
    for (const [probe, path] of [
      [container.livenessProbe, '/health'],
      [container.startupProbe, '/health'],
      [container.readinessProbe, '/readiness'],
    ] as const) {
      expect(probe?.httpGet?.path).toBe(path);
      expect(probe?.httpGet?.port).toBe('metrics');
      expect(contract).toContain(`| \`GET ${path}\` |`);
    }
    const annotations = deployment.spec!.template.metadata!.annotations!;
    expect(annotations['prometheus.io/port']).toBe(String(loadConfig({ ...configMap.data }).metricsPort));
  });

  it('runs restricted: non-root, read-only root, no capabilities, no escalation, RuntimeDefault seccomp', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
    expect(container.resources?.requests).toBeDefined();
    expect(container.resources?.limits?.memory).toBeDefined();
    // The one writable place is the audit journal's directory (the image's /app/data), and /tmp.
    expect((container.volumeMounts ?? []).map((mount) => mount.mountPath).sort()).toEqual(['/app/data', '/tmp']);
  });

  it('takes credentials from a Secret that the repository does not hold', () => {
    expect(manifests.some((manifest) => manifest.kind === 'Secret')).toBe(false);
    const secretEnv = (container.env ?? []).filter((variable) => variable.valueFrom?.secretKeyRef);
    expect(secretEnv.map((variable) => variable.name)).toEqual(
      expect.arrayContaining(['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'AUTH_API_KEYS']),
    );
    for (const variable of container.env ?? []) expect(variable.value, variable.name).toBeUndefined();
    for (const name of ['TENCENTCLOUD_SECRET_KEY', 'AUTH_API_KEYS', 'AUTH_JWT_SECRET']) expect(configMap.data ?? {}).not.toHaveProperty(name);
  });

  it('selects its pods in the Service and the PodDisruptionBudget, which lets one go at a time', () => {
    const labels = deployment.spec!.template.metadata!.labels!;
    const service = byKind<Service & Manifest>('Service');
    const budget = byKind<PodDisruptionBudget & Manifest>('PodDisruptionBudget');
    expect(labels).toMatchObject(service.spec!.selector!);
    expect(labels).toMatchObject(budget.spec!.selector!.matchLabels!);
    expect(labels).toMatchObject(deployment.spec!.selector.matchLabels!);
    expect(budget.spec!.maxUnavailable).toBe(1);
    expect(deployment.spec!.replicas).toBeGreaterThan(1);
  });
});
