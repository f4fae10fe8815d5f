/**
 * What the HTTP edge adds to the GraphQL context, for the schema and for the edge's own plugins.
 * Yoga builds the context on the request's server context, so these are set on that object by the
 * plugins named below and read by resolvers (`context.caller`) and by the request log.
 */
import type { Caller } from './caller.js';
import type { PlannedOperation } from './plan.js';

export interface EdgeContext {
  /** This request's ID, echoed as `x-request-id` (plugins/request-log.ts). */
  readonly requestId?: string;
  /** The operation about to execute, planned once (plugins/operation-context.ts). */
  readonly operation?: PlannedOperation;
  /** The authenticated caller; undefined when auth is off or the operation is public (plugins/caller-auth.ts). */
  readonly caller?: Caller;
}
