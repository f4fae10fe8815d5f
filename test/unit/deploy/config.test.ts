/**
 * docs/contract.md §2, the deployment switches: METRICS_PORT, GRAPHIQL, what an endpoint without
 * credentials means, and when logs are pretty. Pure decisions, in memory.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withoutCredentials } from '../../../src/config.js';
import { Writable } from 'node:stream';
import { createLogger, prettyLogs } from '../../../src/logger.js';

describe('METRICS_PORT', () => {
  it('is unset by default: /metrics stays on the public port', () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '' }).metricsPort).toBeUndefined();
  });

  it('names a port of its own, which must differ from PORT', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' })).toThrow(/METRICS_PORT must differ from PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(ConfigError);
  });
});

describe('GRAPHIQL', () => {
  it.each([
    [{}, true],
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'production', GRAPHIQL: 'true' }, true],
    [{ GRAPHIQL: 'false' }, false],
  ])('%j → %s', (env, expected) => {
    expect(loadConfig(env).graphiql).toBe(expected);
  });

  it('is true or false, nothing else', () => {
    expect(() => loadConfig({ GRAPHIQL: 'yes' })).toThrow(/GRAPHIQL/);
  });
});

describe('an endpoint without credentials (outside production)', () => {
  const plan = (env: Record<string, string>) => withoutCredentials(loadConfig(env).tencent);

  it.each([
    [{}, 'embedded-simulator'],
    [{ TENCENTCLOUD_SSL_ENDPOINT: 'http://127.0.0.1:4010' }, 'development-credentials'],
    [{ TENCENTCLOUD_SSL_ENDPOINT: 'http://simulator:4010' }, 'development-credentials'],
    [{ TENCENTCLOUD_SSL_ENDPOINT: 'https://ssl.intl.tencentcloudapi.com' }, 'refuse'],
    [{ TENCENTCLOUD_SSL_ENDPOINT: 'https://ssl.tencentcloudapi.com' }, 'refuse'],
  ])('%j → %s', (env, kind) => {
    expect(plan(env).kind).toBe(kind);
  });

  it("refuses Tencent's own API naming what to set", () => {
    const decision = plan({ TENCENTCLOUD_SSL_ENDPOINT: 'https://ssl.tencentcloudapi.com' });
    expect(decision.kind === 'refuse' && decision.problem).toMatch(/TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/);
  });
});

describe('pretty logs', () => {
  it.each([
    [true, false, true],
    [true, true, false],
    [false, false, false],
    [undefined, false, false],
  ])('a terminal: %s, production: %s → %s', (isTTY, production, expected) => {
    expect(prettyLogs({ isTTY, production })).toBe(expected);
  });
});

describe('pretty lines', () => {
  it('are human-readable, and scrubbed of secrets like JSON lines', () => {
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const secret = 'pretty-secret-value-0123456789';
    const logger = createLogger('info', sink, { pretty: true, secrets: [secret] });
    logger.info({ leaked: `key=${secret}`, secretKey: 'x' }, 'gateway ready');
    logger.flush();
    expect(text).toContain('INFO');
    expect(text).toContain('gateway ready');
    expect(text.trimStart().startsWith('{')).toBe(false);
    expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});
