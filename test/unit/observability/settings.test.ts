/**
 * The few settings issue 13 adds to config.ts: tracing starts only when OpenTelemetry's own
 * variables ask for an exporter, the audit variables are checked at start-up, and the audit
 * database's password never reaches a log line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { createLogger, secretsOf } from '../../../src/logger.js';

const tracingWith = (env: Record<string, string>): boolean => loadConfig({ NODE_ENV: 'test', ...env }).tracing.enabled;

describe('tracing is on', () => {
  it.each([
    [{}, false],
    [{ OTEL_SERVICE_NAME: 'csr' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, false],
    [{ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }, false],
  ])('with %j: %s', (env, enabled) => {
    expect(tracingWith(env)).toBe(enabled);
  });
});

describe('the audit settings', () => {
  it('default to the journal in data/audit, kept 365 days', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).audit).toEqual({ databaseUrl: undefined, dataDir: 'data/audit', retentionDays: 365 });
  });

  it('refuse a database URL that is not PostgreSQL, and a negative retention', () => {
    expect(() => loadConfig({ AUDIT_DATABASE_URL: 'mysql://db/audit' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUDIT_RETENTION_DAYS: '-1' })).toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it("keep the database's password out of every log line", () => {
    const config = loadConfig({ NODE_ENV: 'test', AUDIT_DATABASE_URL: 'postgres://gateway:s3cr%40t-audit-pw@db:5432/audit' });
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }), {
      secrets: secretsOf(config),
    });
    logger.error({ err: 'password authentication failed: s3cr@t-audit-pw' }, 'audit store write failed');
    expect(lines.join('')).not.toContain('s3cr@t-audit-pw');
  });
});
