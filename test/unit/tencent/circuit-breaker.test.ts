/** The Tencent endpoint's circuit breaker (src/tencent/circuit-breaker.ts): its state machine as a table, then the client with a fake clock. */
import { describe, expect, it } from 'vitest';
import type { BatchDeleteClient, BatchDeleteResult } from '../../../src/engine/client.js';
import { CircuitBreakerClient, CLOSED, next, type BreakerEvent, type BreakerState } from '../../../src/tencent/circuit-breaker.js';
import { failure, GatewayCode } from '../../../src/tencent/codes.js';

const S = { threshold: 3, openMs: 1_000, maxOpenMs: 4_000 };
const admit = (now: number): BreakerEvent => ({ kind: 'admit', now });
const failed = (now: number, probe = false): BreakerEvent => ({ kind: 'result', connectFailed: true, now, probe });
const connected = (now: number, probe = false): BreakerEvent => ({ kind: 'result', connectFailed: false, now, probe });

describe('the breaker state machine', () => {
  it.each<[string, BreakerState, BreakerEvent, BreakerState, ('call' | 'probe' | 'refuse')?]>([
    ['closed lets calls through', CLOSED, admit(0), CLOSED, 'call'],
    ['a connect failure is counted', CLOSED, failed(0), { kind: 'closed', failures: 1 }],
    ['a connection resets the count', { kind: 'closed', failures: 2 }, connected(0), CLOSED],
    ['the threshold-th failure in a row opens it', { kind: 'closed', failures: 2 }, failed(10), { kind: 'open', until: 1_010, openMs: 1_000 }],
    ['open refuses at once', { kind: 'open', until: 1_010, openMs: 1_000 }, admit(500), { kind: 'open', until: 1_010, openMs: 1_000 }, 'refuse'],
    ['open past its time lets one probe through', { kind: 'open', until: 1_010, openMs: 1_000 }, admit(1_010), { kind: 'halfOpen', openMs: 1_000 }, 'probe'],
    ['half-open refuses the others while the probe is out', { kind: 'halfOpen', openMs: 1_000 }, admit(1_020), { kind: 'halfOpen', openMs: 1_000 }, 'refuse'],
    ['a probe that connects closes it', { kind: 'halfOpen', openMs: 1_000 }, connected(1_100, true), CLOSED],
    ['a probe that fails opens it for twice as long', { kind: 'halfOpen', openMs: 1_000 }, failed(1_100, true), { kind: 'open', until: 3_100, openMs: 2_000 }],
    ['…at most maxOpenMs', { kind: 'halfOpen', openMs: 4_000 }, failed(0, true), { kind: 'open', until: 4_000, openMs: 4_000 }],
    ['a late result of a call sent while closed changes nothing once open', { kind: 'open', until: 1_010, openMs: 1_000 }, connected(20), { kind: 'open', until: 1_010, openMs: 1_000 }],
  ])('%s', (_name, state, event, after, decision) => {
    const step = next(state, event, S);
    expect(step.state).toEqual(after);
    expect(step.decision).toBe(decision);
  });
});

class ScriptedClient implements BatchDeleteClient {
  readonly secretId = 'AKID';
  calls = 0;
  reachable = false;
  batchDeleteCSR(ids: readonly number[]): Promise<BatchDeleteResult> {
    this.calls += 1;
    return Promise.resolve(
      this.reachable
        ? { ok: true, deleted: [...ids], requestId: 'r' }
        : { ok: false, failure: failure(GatewayCode.UpstreamConnectFailed, 'ECONNREFUSED') },
    );
  }
  close = () => Promise.resolve();
}

describe('the client behind the breaker', () => {
  it('answers at once with Gateway.UpstreamCircuitOpen while open, probes after openMs, closes when the probe connects, and says so', async () => {
    let now = 0;
    const upstream = new ScriptedClient();
    const transitions: string[] = [];
    const client = new CircuitBreakerClient(upstream, { now: () => now, settings: S, observe: (from, to) => transitions.push(`${from.kind}→${to.kind}`) });
    for (let n = 0; n < 3; n += 1) expect((await client.batchDeleteCSR([1])).ok).toBe(false);
    expect(client.state.kind).toBe('open');
    const refused = await client.batchDeleteCSR([1]);
    expect(refused).toMatchObject({ ok: false, failure: { code: 'Gateway.UpstreamCircuitOpen', category: 'UpstreamUnavailable', retryable: false, delivery: 'rejected' } });
    expect(upstream.calls).toBe(3);
    now = 1_000;
    upstream.reachable = true;
    expect(await client.batchDeleteCSR([7])).toEqual({ ok: true, deleted: [7], requestId: 'r' });
    expect(client.state).toEqual(CLOSED);
    expect(transitions).toEqual(['closed→open', 'open→halfOpen', 'halfOpen→closed']);
  });
});
