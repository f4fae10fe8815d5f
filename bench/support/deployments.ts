/**
 * The configurations a gateway row is measured in (issue 22: the bench measures what is deployed):
 * the audit trail in the embedded journal on disk (`npm start`'s default) or in PostgreSQL on the
 * machine, tracing off or on (OTLP/HTTP protobuf to a receiver in the bench process), and, only as a
 * reference labelled so, the audit trail off. Every row names its audit store.
 *
 * `withDeployments` provides what the configurations need for one scenario — a fresh PostgreSQL
 * database and an OTLP receiver — and leaves out the PostgreSQL rows when PostgreSQL does not answer.
 */
import { freshDatabase, type TestDatabase } from '../../test/integration/audit/support/postgres.js';
import { otlpReceiver } from '../scenarios/observability.js';

export type Deployment =
  | 'journal'
  | 'PostgreSQL'
  | 'journal + tracing'
  | 'PostgreSQL + tracing'
  | 'audit off (reference)';

export interface DeploymentResources {
  /** The configurations that can run here (PostgreSQL's only when it answers). */
  readonly available: (wanted: readonly Deployment[]) => Deployment[];
  /** The gateway's environment for one configuration (a session's fresh journal directory is the default store). */
  readonly env: (deployment: Deployment) => Record<string, string>;
}

export async function withDeployments<T>(run: (resources: DeploymentResources) => Promise<T>): Promise<T> {
  const database: TestDatabase | undefined = await freshDatabase().catch(() => undefined);
  const receiver = await otlpReceiver();
  try {
    return await run({
      available: (wanted) => wanted.filter((deployment) => database !== undefined || !deployment.includes('PostgreSQL')),
      env: (deployment) => ({
        ...(deployment === 'audit off (reference)' ? { BENCH_AUDIT: 'off' } : {}),
        ...(deployment.includes('PostgreSQL') && database ? { AUDIT_DATABASE_URL: database.url } : {}),
        ...(deployment.includes('tracing')
          ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_SERVICE_NAME: 'bench' }
          : {}),
      }),
    });
  } finally {
    await receiver.close();
    await database?.drop();
  }
}
