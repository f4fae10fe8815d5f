/**
 * Start-up failures an operator can act on: one line each, naming the variable and what to do, on
 * stderr, then exit 1. No stack trace: a trace says where the code was, and the operator needs to
 * know which setting is wrong.
 */

/** Prints each problem on its own line and exits the process with status 1. */
export function refuseToStart(problems: readonly string[]): never {
  for (const problem of problems) process.stderr.write(`Cannot start: ${problem}\n`);
  process.exit(1);
}

/** Why `listen(PORT, HOST)` failed, in the operator's terms; undefined for an error that is not theirs to fix. */
export function listenProblem(error: unknown, where: { port: number; host: string }): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const { port, host } = where;
  switch (code) {
    case 'EADDRINUSE':
      return `PORT=${port} is already in use on HOST=${host}: stop whatever holds it, or set PORT to a free port`;
    case 'EADDRNOTAVAIL':
      return `HOST=${host} is not an address of this machine: set HOST to one of its addresses, or to 0.0.0.0 for all of them`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `HOST=${host} does not resolve to an address: set HOST to an IP address of this machine, or to 0.0.0.0`;
    case 'EACCES':
    case 'EPERM':
      return `PORT=${port} needs privileges this process does not have (ports below 1024 usually do): set PORT to 1024 or above`;
    default:
      return undefined;
  }
}

/** `npm start -- --help`: what the gateway reads, in brief; docs/contract.md §2 is the full list. */
export const USAGE = `Usage: npm start            (node dist/main.js)

A GraphQL gateway for Tencent Cloud's SSL BatchDeleteCSR. Configured only by environment variables
(docs/contract.md §2 lists them all); the ones most runs need:

  NODE_ENV=production        real Tencent credentials and caller authentication required
  PORT=4000  HOST=...        where to listen; HOST defaults to 127.0.0.1 outside production, 0.0.0.0 in it
  TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
                             credentials (else the profile file ~/.tencentcloud/credentials, else the
                             instance role; with none, outside production, a built-in simulator)
  AUTH_JWT_SECRET / AUTH_JWKS_URL / AUTH_API_KEYS
                             caller authentication (required whenever real credentials are in use)
  CORS_ORIGINS               browser origins allowed (default: localhost only outside production, none in it)
  REDIS_URL                  share the rate limit between replicas
  AUDIT_DATABASE_URL         keep the audit trail in PostgreSQL (else a journal in AUDIT_DATA_DIR)

Options:
  -h, --help                 print this and exit
`;
