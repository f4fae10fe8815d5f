/**
 * A stand-in for Tencent's instance metadata service, on loopback: `cam/security-credentials/` names
 * the instance's role, `cam/security-credentials/<role>` issues temporary credentials for it, as a CVM
 * instance with a bound CAM role sees them. Each credentials request issues a new set (a new
 * TmpSecretId, TmpSecretKey and Token), valid for `lifetimeMs` from the stand-in's clock (`Date.now`,
 * so that tests' fake timers move it too).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IssuedCredentials {
  readonly TmpSecretId: string;
  readonly TmpSecretKey: string;
  readonly Token: string;
  /** Unix seconds. */
  readonly ExpiredTime: number;
  readonly Expiration: string;
  readonly Code: 'Success';
}

export class MetadataService {
  /** The bound role; `undefined` answers the role list with 404, as an instance without a role does. */
  roleName: string | undefined = 'csr-gateway-role';
  lifetimeMs = 60 * 60_000;
  /** When set, credentials requests get this HTTP status instead of credentials. */
  failWith: number | undefined;
  /** Paths requested, in order. */
  readonly requests: string[] = [];
  readonly issued: IssuedCredentials[] = [];
  /** Told about each set of credentials as it is issued (e.g. to open the account in a simulator). */
  onIssue: ((credentials: IssuedCredentials) => void) | undefined;
  #held: (() => void)[] | undefined;
  readonly #server: Server;

  constructor() {
    this.#server = createServer((req, res) => {
      const path = req.url ?? '';
      this.requests.push(path);
      const answer = (): void => {
        const roleList = '/latest/meta-data/cam/security-credentials/';
        if (path === roleList) {
          if (this.roleName === undefined) res.writeHead(404).end('Not Found');
          else res.writeHead(200, { 'content-type': 'text/plain' }).end(this.roleName);
          return;
        }
        if (this.roleName === undefined || path !== `${roleList}${this.roleName}`) {
          res.writeHead(404).end('Not Found');
          return;
        }
        if (this.failWith !== undefined) {
          res.writeHead(this.failWith).end('metadata service trouble');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.issue()));
      };
      if (this.#held) this.#held.push(answer);
      else answer();
    });
  }

  /** Credentials requests wait, unanswered, until the function returned is called. */
  hold(): () => void {
    this.#held = [];
    return () => {
      const held = this.#held ?? [];
      this.#held = undefined;
      for (const answer of held) answer();
    };
  }

  /** How many credentials requests (not role-name requests) arrived. */
  get credentialRequests(): number {
    return this.requests.filter((path) => !path.endsWith('/security-credentials/')).length;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/latest/meta-data/`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  private issue(): IssuedCredentials {
    const n = this.issued.length + 1;
    const expiresAt = Date.now() + this.lifetimeMs;
    const credentials: IssuedCredentials = {
      TmpSecretId: `AKIDROLE${String(n).padStart(4, '0')}TEMPORARYSECRETID00000`,
      TmpSecretKey: `role-temporary-secret-key-${n}-0123456789abcdef`,
      Token: `role-session-token-${n}-0123456789abcdef0123456789abcdef`,
      ExpiredTime: Math.floor(expiresAt / 1000),
      Expiration: new Date(expiresAt).toISOString(),
      Code: 'Success',
    };
    this.issued.push(credentials);
    this.onIssue?.(credentials);
    return credentials;
  }
}
