/**
 * TC3-HMAC-SHA256, Tencent Cloud API 3.0's request signature.
 *
 * Written here rather than borrowed from the official SDK: the SDK's signer re-serialises object
 * payloads and reads `headers["Content-Type"]` case-sensitively (both documented pitfalls), while the
 * gateway must hash the exact bytes it sends. The test suite holds this function equal to the SDK's
 * `Sign.sign3` on random inputs and to the worked example of Tencent's documentation.
 *
 * Signed headers are `content-type;host`, as every official SDK signs them. The simulator verifies
 * requests with this same module.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'TC3-HMAC-SHA256';
export const SIGNED_HEADERS = 'content-type;host';

export interface SigningInput {
  readonly secretId: string;
  readonly secretKey: string;
  /** Unix seconds, the value sent as `X-TC-Timestamp`. */
  readonly timestamp: number;
  /** The `host` header's value: hostname without port, as the SDKs sign it. */
  readonly host: string;
  /** Credential-scope service; `ssl` for the SSL Certificates API, whatever host the endpoint has. */
  readonly service: string;
  /** Exactly the `Content-Type` header sent. */
  readonly contentType: string;
  /** Exactly the body bytes sent. */
  readonly body: string | Uint8Array;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The UTC calendar date of a Unix timestamp; a local date breaks signing every day near midnight. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function canonicalRequest(input: Pick<SigningInput, 'host' | 'contentType' | 'body'>): string {
  const canonicalHeaders = `content-type:${input.contentType.trim().toLowerCase()}\nhost:${input.host.trim().toLowerCase()}\n`;
  return ['POST', '/', '', canonicalHeaders, SIGNED_HEADERS, sha256Hex(input.body)].join('\n');
}

export function stringToSign(input: SigningInput): string {
  const scope = `${utcDate(input.timestamp)}/${input.service}/tc3_request`;
  return [SIGNING_ALGORITHM, String(input.timestamp), scope, sha256Hex(canonicalRequest(input))].join('\n');
}

export function signature(input: SigningInput): string {
  const secretDate = hmac(`TC3${input.secretKey}`, utcDate(input.timestamp));
  const secretService = hmac(secretDate, input.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return createHmac('sha256', secretSigning).update(stringToSign(input), 'utf8').digest('hex');
}

/** The `Authorization` header's value. */
export function authorization(input: SigningInput): string {
  const scope = `${utcDate(input.timestamp)}/${input.service}/tc3_request`;
  return (
    `${SIGNING_ALGORITHM} Credential=${input.secretId}/${scope}, ` +
    `SignedHeaders=${SIGNED_HEADERS}, Signature=${signature(input)}`
  );
}

export interface ParsedAuthorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

/** Reads an `Authorization` header back into its parts; `undefined` when it is not TC3's format. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match =
    /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      header,
    );
  if (!match) return undefined;
  const [, secretId, date, service, signedHeaders, sig] = match as unknown as [string, string, string, string, string, string];
  return { secretId, date, service, signedHeaders, signature: sig };
}
