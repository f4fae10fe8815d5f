import { randomBytes, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { authorization, canonicalRequest, sha256Hex } from '../../../src/tencent/signing.js';

// Tencent's official Node SDK, used only as the reference the signer is held to.
const require = createRequire(import.meta.url);
interface Sign3Args {
  method: string;
  url: string;
  payload: Buffer;
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
  multipart: boolean;
  boundary: undefined;
  headers: Record<string, string>;
}
const Sign = (require('tencentcloud-sdk-nodejs/tencentcloud/common/sign.js') as { default: { sign3(args: Sign3Args): string } })
  .default;

describe('TC3-HMAC-SHA256 signer', () => {
  it("reproduces the worked example of Tencent's Signature v3 documentation", () => {
    const body = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const input = {
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      timestamp: 1551113065,
      host: 'cvm.tencentcloudapi.com',
      service: 'cvm',
      contentType: 'application/json; charset=utf-8',
      body,
    };
    expect(sha256Hex(body)).toBe('35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064');
    expect(sha256Hex(canonicalRequest(input))).toBe('5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(authorization(input)).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it("reproduces the project's BatchDeleteCSR vector", () => {
    expect(
      authorization({
        secretId: 'AKIDEXAMPLE',
        secretKey: 'SECRETEXAMPLE',
        timestamp: 1700000000,
        host: 'ssl.intl.tencentcloudapi.com',
        service: 'ssl',
        contentType: 'application/json; charset=utf-8',
        body: '{"CSRIds":[11,22,33]}',
      }),
    ).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2023-11-14/ssl/tc3_request, SignedHeaders=content-type;host, ' +
        'Signature=b156ef83e5f3d76881b1390a74af3cf115237b31727ed1cb18e17e9dde2f16a3',
    );
  });

  it("equals the official SDK's Sign.sign3 on 300 random inputs", () => {
    const hosts = ['ssl.intl.tencentcloudapi.com', 'ssl.tencentcloudapi.com', 'ssl.ap-guangzhou.tencentcloudapi.com'];
    const contentTypes = ['application/json; charset=utf-8', 'application/json'];
    for (let i = 0; i < 300; i++) {
      const ids = Array.from({ length: randomInt(1, 101) }, () => randomInt(1, 2 ** 31 - 1));
      const body = JSON.stringify({ CSRIds: ids });
      const input = {
        secretId: `AKID${randomBytes(16).toString('hex')}`,
        secretKey: randomBytes(randomInt(8, 33)).toString('base64url'),
        // Spans decades, including instants just before and after UTC midnight.
        timestamp: randomInt(946_684_800, 4_102_444_800),
        host: hosts[i % hosts.length]!,
        service: 'ssl',
        contentType: contentTypes[i % contentTypes.length]!,
        body,
      };
      const reference = Sign.sign3({
        method: 'POST',
        url: `https://${input.host}/`,
        payload: Buffer.from(body),
        timestamp: input.timestamp,
        service: input.service,
        secretId: input.secretId,
        secretKey: input.secretKey,
        multipart: false,
        boundary: undefined,
        headers: { 'Content-Type': input.contentType },
      });
      expect(authorization(input), `input ${JSON.stringify(input)}`).toBe(reference);
    }
  });
});
