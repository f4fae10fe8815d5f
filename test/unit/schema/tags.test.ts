/**
 * Federation `@tag`s (docs/contract.md §6, src/schema/tags.ts): what carries `internal` — so that a
 * router's contract variant excluding it serves the graph without what only operators use — is
 * exactly what §6 lists, read from the committed SDL (schema.test.ts keeps it the code's).
 *
 * Deletion jobs are callers' fields, not operators': a caller starts, follows and cancels its own
 * jobs with the delete scope, as it calls `batchDeleteCSRs`. So they carry no tag, and a variant
 * without `internal` keeps them (only `csr:audit`'s view of everyone's jobs is an operator's, and
 * that is the same fields, decided per caller by the resolvers).
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, type DirectiveNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INTERNAL_TAG } from '../../../src/schema/tags.js';

const read = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** `Type.field` (or `Type`) for every definition in the SDL tagged `name`. */
function tagged(sdl: string, name: string): string[] {
  const hasTag = (directives: readonly DirectiveNode[] | undefined): boolean =>
    (directives ?? []).some(
      (directive) =>
        directive.name.value === 'tag' &&
        directive.arguments?.some((argument) => argument.name.value === 'name' && argument.value.kind === Kind.STRING && argument.value.value === name),
    );
  const found: string[] = [];
  for (const definition of parse(sdl).definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition.name.value;
    if ('directives' in definition && hasTag(definition.directives)) found.push(type);
    if ('fields' in definition) for (const field of definition.fields ?? []) if (hasTag(field.directives)) found.push(`${type}.${field.name.value}`);
  }
  return found.sort();
}

const SDL = read('schema/schema.graphql');

describe(`@tag(name: "${INTERNAL_TAG}")`, () => {
  it('is on exactly what contract §6 lists as operators\' fields', () => {
    const contract = read('docs/contract.md');
    const bullet = contract.split('\n- ').find((item) => item.includes(`@tag(name: "${INTERNAL_TAG}")`) && item.includes('contract variants'));
    expect(bullet, 'contract §6 has the internal-tag bullet').toBeDefined();
    const listed = [...bullet!.matchAll(/`([A-Z]\w*\.\w+)`/g)].map((match) => match[1]!).sort();
    expect(listed.length).toBeGreaterThan(0);
    expect(tagged(SDL, INTERNAL_TAG)).toEqual(listed);
  });

  it('is not on deletion jobs: they are callers\' fields, kept by a variant without internal', () => {
    const jobFields = ['Mutation.startCSRDeletion', 'Mutation.cancelCSRDeletion', 'Query.csrDeletionJob', 'Query.csrDeletionJobs', 'Subscription.csrDeletionJobProgress'];
    for (const field of jobFields) expect(SDL).toContain(`${field.split('.')[1]}(`);
    expect(tagged(SDL, INTERNAL_TAG).filter((field) => jobFields.includes(field) || field.startsWith('CSRDeletionJob'))).toEqual([]);
  });
});
