/**
 * Which scope each root field needs: one table, so that a new query or mutation is one row.
 *
 * `DELETE` stands for the configured delete scope (`AUTH_REQUIRED_SCOPE`, default `csr:delete`); other
 * rows name their scope. A root field with no row needs the delete scope, the strongest this gateway
 * knows: a field added without a row is closed, not open. Public fields (introspection, the subgraph
 * SDL, the limits) need no caller at all and are not in this table (http/plugins/caller-auth.ts).
 * docs/contract.md §4 lists these scopes.
 */

/** The configured delete scope, whatever `AUTH_REQUIRED_SCOPE` names it. */
export const DELETE = Symbol('AUTH_REQUIRED_SCOPE');

/** Reading the audit trail. */
export const AUDIT_SCOPE = 'csr:audit';

/**
 * Reading the account's CSRs (`csrs`, `csr`, and CSR entities through `_entities`). The delete scope
 * implies it: a caller trusted to delete CSRs by ID may see which exist (and `batchDeleteCSRs`'
 * `notDeletedIds` tell it anyway).
 */
export const READ_SCOPE = 'csr:read';

export type ScopeRule = typeof DELETE | string;

export const ROOT_FIELD_SCOPES: ReadonlyMap<string, ScopeRule> = new Map<string, ScopeRule>([
  ['batchDeleteCSRs', DELETE],
  ['csrDeletionAudit', AUDIT_SCOPE],
  // Deletion jobs: starting and cancelling delete; reading a job (its caller's own, or any with
  // csr:audit, checked by the resolver) and its progress need the delete scope too.
  ['startCSRDeletion', DELETE],
  ['cancelCSRDeletion', DELETE],
  ['csrDeletionJob', DELETE],
  ['csrDeletionJobs', DELETE],
  ['csrDeletionJobProgress', DELETE],
  // The read side. `_entities` resolves only CSRs (the one entity of this subgraph): reading them.
  ['csrs', READ_SCOPE],
  ['csr', READ_SCOPE],
  ['_entities', READ_SCOPE],
  // A plan previews a deletion (and is what startCSRDeletion(planId:) deletes): the delete scope.
  ['planCSRDeletion', DELETE],
]);

/** Every scope a rule of the table can name: what an API key without `AUTH_API_KEY_SCOPES` is granted. */
export function knownScopes(deleteScope: string, table: ReadonlyMap<string, ScopeRule> = ROOT_FIELD_SCOPES): ReadonlySet<string> {
  return new Set([...table.values()].map((rule) => (rule === DELETE ? deleteScope : rule)).concat(deleteScope));
}

/** The scope a root field needs. */
export function scopeFor(field: string, deleteScope: string, table: ReadonlyMap<string, ScopeRule> = ROOT_FIELD_SCOPES): string {
  const rule = table.get(field) ?? DELETE;
  return rule === DELETE ? deleteScope : rule;
}

/** Whether `granted` holds `scope`, directly or by implication (the delete scope implies `READ_SCOPE`). */
export function grants(granted: ReadonlySet<string>, scope: string, deleteScope: string): boolean {
  return granted.has(scope) || (scope === READ_SCOPE && granted.has(deleteScope));
}

/** The first root field whose scope the caller lacks, with that scope; undefined when it has them all. */
export function missingScope(
  fields: readonly string[],
  granted: ReadonlySet<string>,
  deleteScope: string,
  table: ReadonlyMap<string, ScopeRule> = ROOT_FIELD_SCOPES,
): { readonly field: string; readonly scope: string } | undefined {
  for (const field of fields) {
    const scope = scopeFor(field, deleteScope, table);
    if (!grants(granted, scope, deleteScope)) return { field, scope };
  }
  return undefined;
}
