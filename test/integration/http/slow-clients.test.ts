/**
 * Slow clients, against the Node server the gateway runs in: a client that trickles its headers or
 * body is cut off by the server's timeouts (here shortened; the defaults are checked as configured).
 * What the gateway answers to hostile documents themselves is test/unit/http/hostile-documents.test.ts.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, HTTP_TIMEOUTS, listen } from '../../../src/server.js';
import { startRig, type Rig } from '../../support/gateway.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('slow clients', () => {
  it('the gateway server is created with the documented timeouts', () => {
    const server = createHttpServer(rig.gateway);
    expect(server.headersTimeout).toBe(HTTP_TIMEOUTS.headersTimeoutMs);
    expect(server.requestTimeout).toBe(HTTP_TIMEOUTS.requestTimeoutMs);
    expect(HTTP_TIMEOUTS).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, checkIntervalMs: 1_000 });
  });

  it.each([
    ['headers that never end', 'POST /graphql HTTP/1.1\r\nHost: x\r\nX-Slow: '],
    ['a body that never arrives', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":'],
  ])('%s: answered 408 and cut off', async (_case, partialRequest) => {
    const server = createHttpServer(rig.gateway, { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 100 });
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.write(partialRequest);
      // The server, not the test, ends this: the socket closes once the timeout has passed.
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
