/** Which scope each root field needs (src/operation/scopes.ts): a table, closed for fields without a row. */
import { describe, expect, it } from 'vitest';
import { DELETE, knownScopes, missingScope, ROOT_FIELD_SCOPES, scopeFor } from '../../../src/operation/scopes.js';
import { apiKeyScopes } from '../../../src/operation/caller.js';

describe('scopes per root field', () => {
  it.each([
    ['batchDeleteCSRs', 'csr:delete', 'csr:delete'],
    ['batchDeleteCSRs', 'ops:purge', 'ops:purge'], // AUTH_REQUIRED_SCOPE renames the delete scope
    ['csrDeletionAudit', 'csr:delete', 'csr:audit'],
    ['aFieldAddedWithoutARow', 'csr:delete', 'csr:delete'], // closed by default
    ['csrs', 'csr:delete', 'csr:read'],
    ['csr', 'csr:delete', 'csr:read'],
    ['_entities', 'csr:delete', 'csr:read'], // CSR entities, the subgraph's only ones
  ])('%s needs (delete scope %s) %s', (field, deleteScope, scope) => {
    expect(scopeFor(field, deleteScope)).toBe(scope);
  });

  it('names the first field whose scope is missing', () => {
    expect(missingScope(['csrDeletionAudit'], new Set(['csr:audit']), 'csr:delete')).toBeUndefined();
    expect(missingScope(['csrDeletionAudit', 'batchDeleteCSRs'], new Set(['csr:audit']), 'csr:delete')).toEqual({
      field: 'batchDeleteCSRs',
      scope: 'csr:delete',
    });
    expect(missingScope(['csrDeletionAudit'], new Set(['csr:delete']), 'csr:delete')).toEqual({ field: 'csrDeletionAudit', scope: 'csr:audit' });
  });

  it('the delete scope implies csr:read (whatever AUTH_REQUIRED_SCOPE names it); csr:read alone neither deletes nor audits', () => {
    expect(missingScope(['csrs', 'csr', '_entities'], new Set(['csr:delete']), 'csr:delete')).toBeUndefined();
    expect(missingScope(['csrs'], new Set(['ops:purge']), 'ops:purge')).toBeUndefined();
    expect(missingScope(['csrs'], new Set(['csr:read']), 'csr:delete')).toBeUndefined();
    expect(missingScope(['csrs', 'batchDeleteCSRs'], new Set(['csr:read']), 'csr:delete')).toEqual({ field: 'batchDeleteCSRs', scope: 'csr:delete' });
    expect(missingScope(['csrs'], new Set(['csr:audit']), 'csr:delete')).toEqual({ field: 'csrs', scope: 'csr:read' });
  });

  it('takes new rows: a later query needing its own scope is one entry', () => {
    const table = new Map([...ROOT_FIELD_SCOPES, ['certificates', 'cert:read']]);
    expect(scopeFor('certificates', 'csr:delete', table)).toBe('cert:read');
    expect([...knownScopes('csr:delete', table)].sort()).toEqual(['cert:read', 'csr:audit', 'csr:delete', 'csr:read']);
    expect(table.get('batchDeleteCSRs')).toBe(DELETE);
  });

  it('grants an API key its configured scopes, or every known scope (its old meaning)', () => {
    expect([...apiKeyScopes('csr:delete')].sort()).toEqual(['csr:audit', 'csr:delete', 'csr:read']);
    expect([...apiKeyScopes('csr:delete', ['csr:audit'])]).toEqual(['csr:audit']);
  });
});
