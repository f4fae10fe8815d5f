/**
 * A measured server, run as a child process of the bench (so that the load generator and the
 * simulator do not share its event loop): `gateway` is the real thing, wired by `createGateway`
 * exactly as `npm start` wires it; `instant-gateway` is the same with an upstream that answers at
 * once; `baseline` is bench/baseline; `bare` is a bare graphql-yoga server. Configuration comes
 * from the environment the bench passes (docs/contract.md §2's variables).
 */
import { createServer } from 'node:http';
import { openAuditStore } from '../../src/audit/open.js';
import { loadConfig } from '../../src/config.js';
import { openJobStore } from '../../src/jobs/open.js';
import { LocalSpacingLimiter } from '../../src/engine/limiter.js';
import { createLogger } from '../../src/logger.js';
import { startTracing } from '../../src/observability/tracing.js';
import { createGateway, createHttpServer, listen } from '../../src/server.js';
import { TencentSslClient } from '../../src/tencent/client.js';
import { createBaselineYoga } from '../baseline/server.js';
import { serveProbe } from '../support/probe.js';
import { TARGET_KINDS, type TargetKind } from '../support/target.js';
import { createBareYoga } from './bare.js';
import { instantUpstream } from './instant-upstream.js';

const kind = process.argv[2] as TargetKind;
const config = loadConfig();
const credentials = config.tencent.credentials;
if (!credentials) throw new Error('bench targets need TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY');
const logger = createLogger(config.logLevel);

switch (kind) {
  case 'gateway':
  case 'instant-gateway': {
    // Tracing and the audit trail as npm start has them: tracing from the OTEL_* variables, the
    // audit store always, from AUDIT_* (the journal in AUDIT_DATA_DIR, or PostgreSQL) — what is
    // deployed. BENCH_AUDIT=off only for the rows labelled as a reference without it.
    const tracing = config.tracing.enabled ? await startTracing(logger) : undefined;
    const auditStore = process.env['BENCH_AUDIT'] === 'off' ? undefined : await openAuditStore(config.audit, logger);
    // Deletion jobs (src/jobs/) only where a scenario asks (BENCH_JOBS=on, with DATABASE_URL): npm start
    // always opens the job store, but without DATABASE_URL that is the embedded PGlite, whose start
    // (initdb in WebAssembly, seconds) and memory every other scenario would then measure.
    const jobStore = process.env['BENCH_JOBS'] === 'on' ? await openJobStore(config.jobs, logger) : undefined;
    const gateway = createGateway({
      config,
      credentials,
      logger,
      ...(tracing ? { tracing } : {}),
      ...(auditStore ? { auditStore } : {}),
      ...(jobStore ? { jobStore } : {}),
      ...(kind === 'instant-gateway' ? { client: instantUpstream(credentials.secretId), limiter: new LocalSpacingLimiter({ callsPerSecond: 100_000 }) } : {}),
    });
    const server = createHttpServer(gateway);
    await start(server, async () => {
      await gateway.close();
      await tracing?.shutdown();
    });
    break;
  }
  case 'baseline': {
    const client = new TencentSslClient({ endpoint: config.tencent.endpoint, credentials, timeoutMs: config.upstreamTimeoutMs });
    const yoga = createBaselineYoga(client, new LocalSpacingLimiter({ callsPerSecond: config.rateLimit, jitterMarginMs: config.rateLimitMarginMs }));
    await start(createServer((req, res) => void yoga(req, res)), () => client.close());
    break;
  }
  case 'bare': {
    const yoga = createBareYoga();
    await start(createServer((req, res) => void yoga(req, res)), () => Promise.resolve());
    break;
  }
  default:
    throw new Error(`unknown bench target "${String(kind)}"; one of ${TARGET_KINDS.join(', ')}`);
}

async function start(server: ReturnType<typeof createServer>, close: () => Promise<void>): Promise<void> {
  // The gateway's own `listen` (its larger accept backlog) for every target alike.
  const port = await listen(server, 0, '127.0.0.1');
  serveProbe(server, port, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close();
  });
}
