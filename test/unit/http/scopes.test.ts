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

  it('takes new rows: a later query needing csr:read is one entry', () => {
    const table = new Map([...ROOT_FIELD_SCOPES, ['csrs', 'csr:read']]);
    expect(scopeFor('csrs', 'csr:delete', table)).toBe('csr:read');
    expect([...knownScopes('csr:delete', table)].sort()).toEqual(['csr:audit', 'csr:delete', 'csr:read']);
    expect(table.get('batchDeleteCSRs')).toBe(DELETE);
  });

  it('grants an API key its configured scopes, or every known scope (its old meaning)', () => {
    expect([...apiKeyScopes('csr:delete')].sort()).toEqual(['csr:audit', 'csr:delete']);
    expect([...apiKeyScopes('csr:delete', ['csr:audit'])]).toEqual(['csr:audit']);
  });
});
