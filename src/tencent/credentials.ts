/**
 * Where the gateway's Tencent Cloud credentials come from, in the order Tencent's official SDKs look
 * (tencentcloud-sdk-go's DefaultProviderChain, tencentcloud-sdk-nodejs's DefaultCredentialProvider):
 *
 *   1. the environment: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_SESSION_TOKEN;
 *   2. the profile file: ~/.tencentcloud/credentials, else /etc/tencentcloud/credentials;
 *   3. the CVM/TKE instance's role, through the instance metadata service.
 *
 * The first source that has credentials wins. The client reads them through a `CredentialProvider`
 * on every call, so a role's temporary credentials can be replaced underneath it without a pause.
 */
import type { TencentCredentials } from '../config.js';
import type { Logger } from '../logger.js';
import { fixedCredentials, type CredentialProvider } from './credential-provider.js';
import { readProfileCredentials } from './profile-credentials.js';
import { startRoleCredentials } from './role-credentials.js';

export interface CredentialSources {
  /** What the configuration read from the environment, if anything. */
  readonly environment?: TencentCredentials;
  /** Profile files in the order to look; the first that exists is the one read. */
  readonly profileFiles: readonly string[];
  /** The metadata service's base URL (…/latest/meta-data/). */
  readonly metadataEndpoint: URL;
  readonly logger: Logger;
}

export interface CredentialResolution {
  /** Absent when no source had credentials. */
  readonly provider?: CredentialProvider;
  /** One line per source looked at, in order: what it gave or why it gave nothing (never a secret). */
  readonly tried: readonly string[];
}

export async function resolveCredentials(sources: CredentialSources): Promise<CredentialResolution> {
  const tried: string[] = [];
  if (sources.environment) {
    return { provider: fixedCredentials(sources.environment, 'environment'), tried: ['environment: found'] };
  }
  tried.push('environment: TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set');

  const profile = await readProfileCredentials(sources.profileFiles);
  if (profile.credentials) {
    return {
      provider: fixedCredentials(profile.credentials, `profile file ${profile.path}`),
      tried: [...tried, `profile file ${profile.path}: found`],
    };
  }
  tried.push(`profile file: ${profile.reason}`);

  const role = await startRoleCredentials({ endpoint: sources.metadataEndpoint, logger: sources.logger });
  if (role.provider) return { provider: role.provider, tried: [...tried, `${role.provider.source}: found`] };
  tried.push(`CVM/TKE role: ${role.reason}`);
  return { tried };
}
