/**
 * The operation plan (src/http/operation.ts): which root fields an operation will execute, as
 * graphql-js would execute them, and made once per document when the variables cannot change it.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planOperation } from '../../../src/operation/plan.js';
import { schema } from '../../../src/schema/index.js';

const rootFieldsOf = (source: string, variableValues: Record<string, unknown> = {}, operationName?: string): string[] | undefined =>
  planOperation({ schema, document: parse(source), variableValues, operationName })?.rootFields.map(
    (field) => field.alias?.value ?? field.name.value,
  );

describe('the root fields an operation executes', () => {
  it.each([
    ['one field', '{ csrDeletionLimits { callsPerSecond } }', {}, ['csrDeletionLimits']],
    ['aliases, in document order', 'mutation { a: batchDeleteCSRs(ids: [1]) { __typename } b: batchDeleteCSRs(ids: [2]) { __typename } }', {}, ['a', 'b']],
    ['an inline fragment', '{ ... on Query { csrDeletionLimits { callsPerSecond } } }', {}, ['csrDeletionLimits']],
    ['a fragment spread twice, once', 'query { ...F ...F } fragment F on Query { csrDeletionLimits { callsPerSecond } }', {}, ['csrDeletionLimits']],
    ['@skip(if: true)', '{ csrDeletionLimits @skip(if: true) { callsPerSecond } __typename }', {}, ['__typename']],
    ['@include by a variable, true', 'query ($on: Boolean!) { csrDeletionLimits @include(if: $on) { callsPerSecond } }', { on: true }, ['csrDeletionLimits']],
    ['@include by a variable, false', 'query ($on: Boolean!) { csrDeletionLimits @include(if: $on) { callsPerSecond } }', { on: false }, []],
    ['variables that do not coerce: counted', 'query ($on: Boolean!) { csrDeletionLimits @include(if: $on) { callsPerSecond } }', { on: 'x' }, ['csrDeletionLimits']],
  ])('%s', (_case, source, variables, expected) => {
    expect(rootFieldsOf(source, variables)).toEqual(expected);
  });

  it('follows the named operation, and plans nothing for a name the document lacks', () => {
    const source = 'query A { csrDeletionLimits { callsPerSecond } } query B { __typename }';
    expect(rootFieldsOf(source, {}, 'B')).toEqual(['__typename']);
    expect(rootFieldsOf(source, {}, 'C')).toBeUndefined();
  });
});

describe('plans kept with their document', () => {
  it('a document whose plan cannot depend on variables is planned once, per operation name', () => {
    const document = parse('query A { csrDeletionLimits { callsPerSecond } } query B { __typename }');
    const first = planOperation({ schema, document, operationName: 'A' });
    expect(planOperation({ schema, document, operationName: 'A', variableValues: { any: 1 } })).toBe(first);
    expect(planOperation({ schema, document, operationName: 'B' })?.rootFields.map((field) => field.name.value)).toEqual(['__typename']);
  });

  it('a plan that read the variables is made again for each request of the same document', () => {
    const document = parse('query ($on: Boolean!) { csrDeletionLimits @include(if: $on) { callsPerSecond } __typename }');
    const fields = (on: boolean) => planOperation({ schema, document, variableValues: { on } })?.rootFields.map((field) => field.name.value);
    expect(fields(true)).toEqual(['csrDeletionLimits', '__typename']);
    expect(fields(false)).toEqual(['__typename']);
    expect(fields(true)).toEqual(['csrDeletionLimits', '__typename']);
  });
});
