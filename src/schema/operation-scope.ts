/**
 * The schema's part of one operation's context (`GatewayContext` less the edge's part): its deleter,
 * the limits, the audit trail's reader. The edge adds it as the operation begins executing
 * (http/plugins/operation-context.ts), with the operation's attribution.
 */
import type { AuditQuery, AuditRecord } from '../audit/types.js';
import type { Attribution, DeletionService } from '../deletion/service.js';
import type { DeletionLimits, GatewayContext, JobsAccess } from './builder.js';
import type { EdgeContext } from '../operation/context.js';
import { CsrDeleter } from './csr-deleter.js';
import { CsrReader, type CsrReads } from './csr-reader.js';

export interface SchemaParts {
  readonly deletion: DeletionService;
  readonly limits: DeletionLimits;
  /** The audit trail's records; absent when the gateway keeps no trail. */
  readonly auditRecords?: (query: AuditQuery) => Promise<AuditRecord[]>;
  /** Deletion jobs; absent when the gateway has no job store. */
  readonly jobs?: JobsAccess;
  /** The read side (CSR listings and lookups); absent without one. */
  readonly reads?: CsrReads;
}

export type OperationScope = Omit<GatewayContext, keyof EdgeContext>;

/** Makes the schema's part of each operation's context. */
export function operationScope({ deletion, limits, auditRecords, jobs, reads }: SchemaParts): (attribution: () => Attribution) => OperationScope {
  return (attribution) => {
    const deadline = Date.now() + limits.mutationDeadlineMs;
    return {
      csrDeleter: new CsrDeleter(deletion, deadline, attribution),
      ...(reads ? { csrReader: new CsrReader(reads, deadline) } : {}),
      deadline,
      limits,
      ...(auditRecords ? { auditRecords } : {}),
      ...(jobs ? { jobs } : {}),
    };
  };
}
