/**
 * The one Pothos builder: plugins and the context type, no type definitions (those live in the
 * domain modules next to it). Non-null by default, since every field of the contract is.
 */
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import type { EdgeContext } from '../operation/context.js';
import type { AuditQuery, AuditRecord } from '../audit/types.js';
import type { Planner } from '../jobs/planner.js';
import type { JobChanges } from '../jobs/progress.js';
import type { JobStore } from '../jobs/store.js';
import type { CsrDeleter } from './csr-deleter.js';
import type { CsrReader } from './csr-reader.js';

/** Deletion jobs as the schema reaches them (src/jobs/); absent when the gateway has no job store. */
export interface JobsAccess {
  readonly store: JobStore;
  readonly changes: JobChanges;
  /** `MAX_IDS_PER_JOB`. */
  readonly maxIdsPerJob: number;
  /** Tells this replica's runner a job was just stored, so that it need not wait for its next poll. */
  readonly started: () => void;
  /** Deletion plans (planCSRDeletion), kept in the same store. */
  readonly planner: Planner;
}

/** The limits a frontend may want to check input against, as configured. */
export interface DeletionLimits {
  /** Largest distinct-ID count one mutation may carry (`MAX_IDS_PER_MUTATION`). */
  readonly maxIdsPerMutation: number;
  readonly maxIdsPerCall: number;
  /** `TENCENTCLOUD_RATE_LIMIT`. */
  readonly callsPerSecond: number;
  /** `MUTATION_DEADLINE_MS`. */
  readonly mutationDeadlineMs: number;
}

/** The edge's part (requestId, operation, caller: src/http/context.ts) and the schema's own. */
export interface GatewayContext extends EdgeContext {
  /** This operation's view of the batching engine (de-duplicates IDs across its fields). */
  readonly csrDeleter: CsrDeleter;
  /** Epoch ms: when the operation began executing plus `MUTATION_DEADLINE_MS`; its deletions and reads end by then. */
  readonly deadline: number;
  readonly limits: DeletionLimits;
  /** The audit trail's records (src/schema/audit.ts); absent when the gateway keeps no trail. */
  readonly auditRecords?: (query: AuditQuery) => Promise<AuditRecord[]>;
  readonly jobs?: JobsAccess;
  /** This operation's view of the read side (CSR lookups, batched; listings); absent when the gateway has none. */
  readonly csrReader?: CsrReader;
}

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  /**
   * Federation 2.9's demand control hints (the IBM cost spec's @cost and @listSize), for routers that
   * price operations before running them; index.ts imports them in the subgraph's @link.
   */
  Directives: {
    cost: { locations: 'ARGUMENT_DEFINITION' | 'FIELD_DEFINITION'; args: { weight: number } };
    listSize: {
      locations: 'FIELD_DEFINITION';
      args: { assumedSize?: number; slicingArguments?: string[]; sizedFields?: string[]; requireOneSlicingArgument?: boolean };
    };
  };
}>({
  defaultFieldNullability: false,
  // Errors first so that it wraps the others' resolvers; federation last (its README).
  plugins: [ErrorsPlugin, DirectivesPlugin, FederationPlugin],
  errors: { defaultTypes: [] },
});
