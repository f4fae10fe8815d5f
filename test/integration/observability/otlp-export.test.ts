/**
 * Tracing configured by nothing but the standard OTEL_* variables, on the real process: the spans of
 * a traced mutation reach an OTLP/HTTP receiver on loopback, as JSON or as protobuf per
 * `OTEL_EXPORTER_OTLP_PROTOCOL`, under `OTEL_SERVICE_NAME`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCSRs } from '../../support/gateway.js';
import { startGatewayProcess } from '../../support/gateway-process.js';

interface Export {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** An OTLP/HTTP receiver: keeps every export, and tells whoever waits for one that matches. */
class Receiver {
  readonly exports: Export[] = [];
  readonly #waiters: { match: (received: Export) => boolean; resolve: (received: Export) => void }[] = [];
  readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received = { path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) };
      this.exports.push(received);
      for (const waiter of [...this.#waiters]) {
        if (!waiter.match(received)) continue;
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(received);
      }
      const json = received.contentType.includes('json');
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
    });
  });

  received(match: (received: Export) => boolean): Promise<Export> {
    const seen = this.exports.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }
}

const receiver = new Receiver();
let endpoint: string;
let dataDir: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  dataDir = await mkdtemp(join(tmpdir(), 'otlp-audit-'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  await rm(dataDir, { recursive: true, force: true });
});

async function tracedMutation(protocol: string, traceId: string): Promise<void> {
  const gateway = await startGatewayProcess({
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_SERVICE_NAME: 'csr-gateway-under-test',
    // Export within 50 ms of a span's end rather than the default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '50',
    AUDIT_DATA_DIR: dataDir,
  });
  try {
    const result = await deleteCSRs(gateway.graphqlUrl, [42], { traceparent: `00-${traceId}-aaaaaaaaaaaaaaaa-01` });
    expect(result.deletedIds).toEqual([42]);
  } finally {
    await gateway.stop();
  }
}

describe('OTLP export', () => {
  it('sends the spans as OTLP/HTTP JSON to the endpoint, under the service name', async () => {
    const traceId = '5b8efff798038103d269b633813fc60c';
    await tracedMutation('http/json', traceId);
    const received = await receiver.received((candidate) => candidate.contentType.includes('json') && candidate.body.includes(traceId));
    expect(received.path).toBe('/v1/traces');
    const body = JSON.parse(received.body.toString('utf8')) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
    };
    const [resource] = body.resourceSpans;
    expect(resource?.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'csr-gateway-under-test' } });
    const spans = body.resourceSpans.flatMap((entry) => entry.scopeSpans.flatMap((scope) => scope.spans));
    expect(spans.filter((span) => span.traceId === traceId).map((span) => span.name).sort()).toEqual(['csr_deletion.wait', 'mutation.Delete']);
  });

  it('sends them as OTLP/HTTP protobuf when that is the protocol', async () => {
    const traceId = '6c9f000809149214e37ac744924ad71d';
    await tracedMutation('http/protobuf', traceId);
    // Protobuf carries the trace ID as its 16 raw bytes, and names as UTF-8.
    const received = await receiver.received(
      (candidate) => candidate.contentType === 'application/x-protobuf' && candidate.body.includes(Buffer.from(traceId, 'hex')),
    );
    expect(received.path).toBe('/v1/traces');
    expect(received.body.includes(Buffer.from('csr-gateway-under-test'))).toBe(true);
    expect(received.body.includes(Buffer.from('BatchDeleteCSR'))).toBe(true);
  });
});
