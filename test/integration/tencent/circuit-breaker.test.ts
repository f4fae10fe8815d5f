/**
 * A Tencent endpoint that refuses connections (a typo'd host or port), through the whole gateway
 * over HTTP: after a few connect failures the circuit opens, new callers are answered at once with
 * `Gateway.UpstreamCircuitOpen` (not after retrying until their deadline), and `/readiness` says so.
 */
import { fetch } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteCSRs, startRig, type Rig } from '../../support/gateway.js';

let rig: Rig;

beforeAll(async () => {
  // Port 9 (discard) on loopback: nothing listens, every connection is refused at once.
  rig = await startRig({ env: { TENCENTCLOUD_SSL_ENDPOINT: 'http://127.0.0.1:9', MUTATION_DEADLINE_MS: '20000' } });
});
afterAll(async () => {
  await rig?.close();
});

it('opens after repeated connect failures: later callers are answered at once, and readiness fails', async () => {
  const first = await deleteCSRs(rig.url, [1]);
  expect(first).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'Gateway.UpstreamCircuitOpen', csrIds: [1] });

  const started = performance.now();
  const second = await deleteCSRs(rig.url, [2]);
  expect(second).toMatchObject({ __typename: 'UpstreamUnavailableError', code: 'Gateway.UpstreamCircuitOpen' });
  // At once, not after 20 s of retries (a generous bound for a loaded machine).
  expect(performance.now() - started).toBeLessThan(5_000);

  const readiness = await fetch(rig.url.replace(/\/graphql$/, '/readiness'));
  expect(readiness.status).toBe(503);
  expect(((await readiness.json()) as { checks: Record<string, string> }).checks['tencentEndpoint']).toBe('failing');
});
