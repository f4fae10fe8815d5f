/**
 * The profile file Tencent's CLI (tccli) and SDKs share: an INI file whose `[default]` section holds
 * `secret_id`, `secret_key` and, for temporary credentials, `token`. Like tencentcloud-sdk-nodejs, the
 * first file that exists is the one read (the user's, else the system's); a file that exists but
 * lacks a key yields nothing, and says why. Parsed with `ini`, the parser that SDK uses, so that
 * quoting and comments mean the same here as there.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'ini';
import type { TencentCredentials } from '../config.js';

/** Where Tencent's SDKs look, in order. */
export function defaultProfileFiles(home = homedir()): string[] {
  return [join(home, '.tencentcloud', 'credentials'), '/etc/tencentcloud/credentials'];
}

export type ProfileReading =
  | { readonly credentials: TencentCredentials; readonly path: string }
  | { readonly credentials?: undefined; readonly reason: string };

export async function readProfileCredentials(paths: readonly string[]): Promise<ProfileReading> {
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) continue;
      return { reason: `${path} cannot be read (${errorCode(error)})` };
    }
    const section: unknown = parse(text)['default'];
    const field = (name: string): string | undefined => {
      const value: unknown = isRecord(section) ? section[name] : undefined;
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const secretId = field('secret_id');
    const secretKey = field('secret_key');
    if (!secretId || !secretKey) return { reason: `${path} has no secret_id and secret_key in its [default] section` };
    const token = field('token');
    return { credentials: { secretId, secretKey, ...(token ? { sessionToken: token } : {}) }, path };
  }
  return { reason: `none of ${paths.join(', ')} exists` };
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'error';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
