/** `npm start` with an endpoint host that does not resolve warns at start-up (issue 24), naming the variable. */
import { expect, it } from 'vitest';
import { startGatewayProcess } from '../../support/gateway-process.js';

it('warns at start-up when the Tencent endpoint host does not resolve', async () => {
  const gateway = await startGatewayProcess({
    HOME: '/nonexistent-home',
    TENCENTCLOUD_METADATA_ENDPOINT: 'http://127.0.0.1:9/latest/meta-data/',
    TENCENTCLOUD_SECRET_ID: 'AKIDWARNTEST00000000000000000000000',
    TENCENTCLOUD_SECRET_KEY: 'warn-test-secret-key-000000000000',
    TENCENTCLOUD_SSL_ENDPOINT: 'https://ssl.gateway-typo.invalid',
    AUTH_API_KEYS: 'ops:warn-test-api-key-0123456789',
  });
  try {
    const line = await gateway.process.waitForLine((entry) => String(entry.msg).includes('does not resolve'), 30_000);
    expect(line['level']).toBe(40);
    expect(line.msg).toBe('TENCENTCLOUD_SSL_ENDPOINT: the host ssl.gateway-typo.invalid does not resolve; deletions will fail until it does');
    expect(JSON.stringify(gateway.process.lines)).not.toContain('warn-test-secret-key');
  } finally {
    await gateway.stop();
  }
});
