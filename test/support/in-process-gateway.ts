/**
 * A whole gateway answering in process, the way graphql-yoga tests itself: requests go through
 * `yoga.fetch` (every plugin of the edge, the schema, the engine), and the engine's real Tencent
 * client reaches a fresh simulator through an in-process dispatcher (src/simulator/in-process.ts):
 * signed, checked, rate-limited and recorded as over HTTP, without a socket on either side.
 *
 * For what the edge and the schema decide. What needs a socket stays with `startRig`
 * (./gateway.ts) and the integration project: admission, the Node server's timeouts, graceful
 * close, replicas, Redis, PostgreSQL, processes, browsers.
 */
import { loadConfig, type Config } from '../../src/config.js';
import type { Gateway } from '../../src/server.js';
import { InProcessSimulatorDispatcher } from '../../src/simulator/in-process.js';
import { TencentSslSimulator } from '../../src/simulator/simulator.js';
import { TencentSslClient } from '../../src/tencent/client.js';
import { rigGateway, TEST_CREDENTIALS, type RigOptions } from './gateway.js';

/** The gateway's URL in these tests: any URL would do, nothing resolves it. */
export const IN_PROCESS_URL = 'http://gateway.test/graphql';

export interface InProcessRig {
  readonly simulator: TencentSslSimulator;
  readonly gateway: Gateway;
  readonly config: Config;
  /** `IN_PROCESS_URL`; other paths of the gateway are `rig.url.replace('/graphql', path)`, as over HTTP. */
  readonly url: string;
  /** The gateway's `yoga.fetch`: a request in, the gateway's response out. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** As `startRig`'s options, but nothing sees the request before the gateway (there is no Node request). */
export type InProcessRigOptions = Omit<RigOptions, 'onRequest'>;

export function createRig(options: InProcessRigOptions = {}): InProcessRig {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const simulator = new TencentSslSimulator({
    accounts: { [TEST_CREDENTIALS.secretId]: { secretKey: TEST_CREDENTIALS.secretKey } },
    seed: { from: 1, to: 20_000 },
    ...options.simulator,
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    // Never resolved: the client's dispatcher hands every call to the simulator above.
    TENCENTCLOUD_SSL_ENDPOINT: 'http://ssl.simulator.localhost',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const client = new TencentSslClient({
    endpoint: config.tencent.endpoint,
    credentials,
    ...(config.tencent.region ? { region: config.tencent.region } : {}),
    timeoutMs: config.upstreamTimeoutMs,
    dispatcher: new InProcessSimulatorDispatcher(simulator, config.tencent.endpoint),
  });
  // The read side's calls reach the same simulator the same way (unless the test hands it parts of its own).
  const readSide = { dispatcher: new InProcessSimulatorDispatcher(simulator, config.tencent.endpoint), ...options.gateway?.readSide };
  const gateway = rigGateway(config, credentials, { ...options, gateway: { ...options.gateway, readSide } }, client);
  return {
    simulator,
    gateway,
    config,
    url: IN_PROCESS_URL,
    fetch: (url, init) => Promise.resolve(init ? gateway.yoga.fetch(url, init) : gateway.yoga.fetch(url)),
    close: () => gateway.close(),
  };
}
