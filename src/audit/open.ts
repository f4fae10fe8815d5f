/**
 * Which audit store the configuration asks for: PostgreSQL with `AUDIT_DATABASE_URL` (migrated at
 * start-up), else the embedded journal in `AUDIT_DATA_DIR`. Either way the gateway has an audit trail,
 * and mutations are refused (fail closed) whenever it cannot record them.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { JournalAuditStore } from './journal-store.js';
import { PostgresAuditStore } from './postgres-store.js';
import type { AuditStore } from './types.js';

export async function openAuditStore(audit: Config['audit'], logger: Logger): Promise<AuditStore> {
  return audit.databaseUrl ? PostgresAuditStore.open(audit.databaseUrl, logger) : JournalAuditStore.open(audit.dataDir);
}

/** Why the store could not be opened, as one start-up line naming the variable and what to do. */
export function auditStoreProblem(error: unknown, audit: Config['audit']): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (audit.databaseUrl) {
    // Where, never who: the URL's user name and password stay out of the line.
    const where = URL.canParse(audit.databaseUrl) ? databaseLocation(new URL(audit.databaseUrl)) : 'the configured URL';
    return (
      `AUDIT_DATABASE_URL: the audit trail's PostgreSQL at ${where} could not be ` +
      `opened and migrated (${reason}): start it, or fix the URL (the gateway refuses to delete CSRs it cannot audit)`
    );
  }
  return (
    `AUDIT_DATA_DIR: the audit journal's directory "${audit.dataDir}" is not a writable directory (${reason}): ` +
    'create it or point AUDIT_DATA_DIR elsewhere, or set AUDIT_DATABASE_URL'
  );
}

/** `host:port/database` of a PostgreSQL URL: what a log line may say of it. */
export function databaseLocation(url: URL): string {
  return `${url.hostname}:${url.port || 5432}${url.pathname}`;
}
