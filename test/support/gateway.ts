/**
 * A whole gateway around a fresh simulator, over real HTTP on loopback: the rig of the integration
 * tests, for what needs the Node server or the network (the unit tests' rig is in-process-gateway.ts).
 * Requests go through undici's fetch to the gateway's /graphql; the gateway's undici client talks to
 * the simulator. Nothing is mocked.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { fetch, type Dispatcher } from 'undici';
import { loadConfig, type Config, type TencentCredentials } from '../../src/config.js';
import type { EngineObserver, RateLimiter } from '../../src/engine/types.js';
import type { ReadinessCheck } from '../../src/http/routes/readiness.js';
import { createLogger, secretsOf } from '../../src/logger.js';
import { createGateway, createHttpServer, listen, type Gateway, type GatewayParts } from '../../src/server.js';
import { TencentSslSimulator, type SimulatorOptions } from '../../src/simulator/simulator.js';
import { isCredentialProvider, type CredentialProvider } from '../../src/tencent/credential-provider.js';

export const TEST_CREDENTIALS: TencentCredentials = {
  secretId: 'AKIDTEST00000000000000000000000000',
  secretKey: 'test-secret-key-0000000000000000',
};

export interface Rig {
  readonly simulator: TencentSslSimulator;
  readonly gateway: Gateway;
  readonly url: string;
  readonly config: Config;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly env?: Record<string, string>;
  readonly simulator?: Partial<SimulatorOptions>;
  readonly limiter?: RateLimiter;
  readonly observer?: EngineObserver;
  /** The gateway's (a provider is read on every call); the simulator's account is always TEST_CREDENTIALS. */
  readonly credentials?: TencentCredentials | CredentialProvider;
  /** Sees each HTTP request as it arrives, before the gateway does (e.g. which headers a federation gateway forwarded). */
  readonly onRequest?: (request: IncomingMessage) => void;
  /** Where the gateway's log lines go (with `env.LOG_LEVEL` set, since the rig's default is silent). */
  readonly logDestination?: DestinationStream;
  readonly readinessChecks?: readonly ReadinessCheck[];
  /** OpenTelemetry and the audit trail, as main.ts hands them to the gateway. */
  readonly gateway?: Pick<GatewayParts, 'tracing' | 'auditStore' | 'jobStore' | 'jobRunner' | 'readSide'>;
}

/**
 * The gateway a rig runs, over a socket (`startRig`) or in process (in-process-gateway.ts): the
 * rig's options as gateway parts, a logger scrubbed of the credentials in use, and `client` when the
 * rig brings its own.
 */
export function rigGateway(
  config: Config,
  credentials: TencentCredentials | CredentialProvider,
  options: RigOptions,
  client?: GatewayParts['client'],
): Gateway {
  return createGateway({
    config,
    credentials,
    ...(client ? { client } : {}),
    logger: createLogger(config.logLevel, options.logDestination, {
      secrets: isCredentialProvider(credentials) ? () => secretsOf(config, credentials.current()) : secretsOf(config, credentials),
    }),
    ...(options.limiter ? { limiter: options.limiter } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.readinessChecks ? { readinessChecks: options.readinessChecks } : {}),
    ...options.gateway,
  });
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 20_000 },
    ...options.simulator,
  });
  const simulatorUrl = await simulator.listen();
  const config = loadConfig({
    NODE_ENV: 'test',
    TENCENTCLOUD_SSL_ENDPOINT: simulatorUrl,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const gateway = rigGateway(config, credentials, options);
  const server: Server = createHttpServer(gateway);
  if (options.onRequest) server.prependListener('request', options.onRequest);
  const port = await listen(server, 0, '127.0.0.1');
  return {
    simulator,
    gateway,
    url: `http://127.0.0.1:${port}/graphql`,
    config,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await simulator.close();
    },
  };
}

export const RESULT_FIELDS = /* GraphQL */ `
  __typename
  ... on BatchDeleteCSRsSuccess {
    deletedIds
    notDeletedIds
    unknownIds
    errors { __typename code message requestId csrIds }
    requestIds
  }
  ... on TencentCloudError { code message requestId csrIds }
`;

export interface ErrorShape {
  __typename: string;
  code: string;
  message: string;
  requestId: string | null;
  csrIds: number[];
}

export interface ResultShape extends Partial<ErrorShape> {
  __typename: string;
  deletedIds?: number[];
  notDeletedIds?: number[];
  unknownIds?: number[];
  errors?: ErrorShape[];
  requestIds?: string[];
}

/**
 * Where a test's requests go: a URL fetched over HTTP (undici), or a rig that answers in process
 * (`in-process-gateway.ts`: its own `fetch` is the gateway's `yoga.fetch`).
 */
export type Target = string | { readonly url: string; fetch(url: string, init?: RequestInit): Promise<Response> };

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function graphql<T>(
  target: Target,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  dispatcher?: Dispatcher,
): Promise<GraphQLResponse<T>> {
  const init = {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  };
  const response =
    typeof target === 'string' ? await fetch(target, { ...(dispatcher ? { dispatcher } : {}), ...init }) : await target.fetch(target.url, init);
  return (await response.json()) as GraphQLResponse<T>;
}

const MUTATION = `mutation Delete($ids: [Int!]!) { batchDeleteCSRs(ids: $ids) { ${RESULT_FIELDS} } }`;

/** Sends one `batchDeleteCSRs` mutation and returns its result (throws on GraphQL errors). */
export async function deleteCSRs(
  target: Target,
  ids: readonly number[],
  headers: Record<string, string> = {},
  dispatcher?: Dispatcher,
): Promise<ResultShape> {
  const response = await graphql<{ batchDeleteCSRs: ResultShape }>(target, MUTATION, { ids }, headers, dispatcher);
  if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data.batchDeleteCSRs;
}

/** Every ID the caller sent, as the result accounts for it (docs/contract.md §4's partition). */
export function accountedIds(result: ResultShape): number[] {
  if (result.__typename !== 'BatchDeleteCSRsSuccess') return [...(result.csrIds ?? [])];
  return [
    ...(result.deletedIds ?? []),
    ...(result.notDeletedIds ?? []),
    ...(result.unknownIds ?? []),
    ...(result.errors ?? []).flatMap((error) => error.csrIds),
  ];
}

/** Asserts the partition invariant: the distinct IDs sent, each exactly once, nothing else. */
export function expectPartition(result: ResultShape, sent: readonly number[]): void {
  const accounted = accountedIds(result);
  const distinct = [...new Set(sent)];
  if (accounted.length !== new Set(accounted).size) throw new Error(`an ID is reported twice: ${JSON.stringify(result)}`);
  const sortedAccounted = [...accounted].sort((a, b) => a - b);
  const sortedSent = [...distinct].sort((a, b) => a - b);
  if (JSON.stringify(sortedAccounted) !== JSON.stringify(sortedSent)) {
    throw new Error(`partition broken: sent ${sortedSent.length} distinct IDs, accounted ${sortedAccounted.length}`);
  }
}
