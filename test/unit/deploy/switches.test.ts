/**
 * docs/contract.md §3: what `GRAPHIQL` and `METRICS_PORT` change on the public port, and what the
 * operators' listener serves — through `yoga.fetch` and the listener's routes, in memory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logger.js';
import { createGateway, type Gateway } from '../../../src/server.js';
import { TEST_CREDENTIALS } from '../../support/gateway.js';

const gateways: Gateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

function gatewayWith(env: Record<string, string>): Gateway {
  const config = loadConfig({ NODE_ENV: 'test', TENCENTCLOUD_SSL_ENDPOINT: 'http://127.0.0.1:9', ...env });
  const gateway = createGateway({ config, credentials: TEST_CREDENTIALS, logger: createLogger('silent') });
  gateways.push(gateway);
  return gateway;
}

const page = async (gateway: Gateway): Promise<string> =>
  (await gateway.yoga.fetch('http://gateway/graphql', { headers: { accept: 'text/html' } })).text();

describe('GRAPHIQL', () => {
  it('on (the default outside production): a browser gets GraphiQL', async () => {
    expect(await page(gatewayWith({}))).toContain('<html');
  });

  it('off: no page, and its build is not served', async () => {
    const gateway = gatewayWith({ GRAPHIQL: 'false' });
    expect(await page(gateway)).not.toContain('<html');
    const asset = await gateway.yoga.fetch('http://gateway/graphiql/x/graphiql.js');
    expect(asset.status).toBe(404);
  });
});

describe('METRICS_PORT', () => {
  it('unset: /metrics is on the public port', async () => {
    const response = await gatewayWith({}).yoga.fetch('http://gateway/metrics');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('tencent_ssl_pending_ids');
  });

  it('set: /metrics leaves the public port for the operators’ listener, which serves the probes too', async () => {
    const gateway = gatewayWith({ METRICS_PORT: '9464' });
    expect((await gateway.yoga.fetch('http://gateway/metrics')).status).toBe(404);
    expect((await gateway.yoga.fetch('http://gateway/readiness')).status).toBe(200);
    const serve = async (path: string): Promise<Response> => {
      const url = new URL(path, 'http://operator');
      const route = gateway.operatorRoutes(url.pathname);
      if (!route) throw new Error(`no route for ${path}`);
      return (await route.respond(new Request(url), url, { Response }))!;
    };
    expect(await (await serve('/metrics')).text()).toContain('tencent_ssl_pending_ids');
    expect((await serve('/health')).status).toBe(200);
    expect(await (await serve('/readiness')).json()).toMatchObject({ ready: true });
    expect(gateway.operatorRoutes('/graphql')).toBeUndefined();
  });
});
