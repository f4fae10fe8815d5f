/**
 * `/health` answers while the process lives; `/readiness` answers 200 only while every check passes
 * (the gateway's own "not shutting down" and any plugged-in dependency), and 503 naming the failing one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRig, type InProcessRig } from '../../support/in-process-gateway.js';

let rig: InProcessRig;
let dependencyUp: boolean | 'throws' = true;

beforeAll(() => {
  rig = createRig({
    readinessChecks: [
      {
        name: 'dependency',
        check: () => {
          if (dependencyUp === 'throws') throw new Error('connection refused to 10.0.0.7:6379');
          return dependencyUp;
        },
      },
    ],
  });
});

afterAll(async () => {
  await rig?.close();
});

const get = (path: string) => rig.fetch(rig.url.replace('/graphql', path));

async function readiness(): Promise<{ status: number; body: unknown }> {
  const response = await get('/readiness');
  return { status: response.status, body: await response.json() };
}

describe('health and readiness', () => {
  it('are both 200 when everything is up', async () => {
    expect((await get('/health')).status).toBe(200);
    expect(await readiness()).toEqual({ status: 200, body: { ready: true, checks: { accepting: 'ok', dependency: 'ok' } } });
  });

  it('readiness is 503 while a plugged-in check fails or throws, without the error’s details', async () => {
    dependencyUp = false;
    expect(await readiness()).toEqual({ status: 503, body: { ready: false, checks: { accepting: 'ok', dependency: 'failing' } } });
    dependencyUp = 'throws';
    const answer = await readiness();
    expect(answer).toEqual({ status: 503, body: { ready: false, checks: { accepting: 'ok', dependency: 'failing' } } });
    dependencyUp = true;
    expect((await readiness()).status).toBe(200);
  });

  it('readiness is 503 once the gateway is shutting down, while health stays 200', async () => {
    await rig.gateway.close();
    expect(await readiness()).toEqual({ status: 503, body: { ready: false, checks: { accepting: 'failing', dependency: 'ok' } } });
    expect((await get('/health')).status).toBe(200);
  });
});
