import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import {
  buildSchema,
  findBreakingChanges,
  getOperationAST,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../../../codegen.js';
import * as generated from '../../../schema/generated/graphql.js';
import persistedDocuments from '../../../schema/generated/persisted-documents.json' with { type: 'json' };
import introspection from '../../../schema/generated/possible-types.js';
import { schema } from '../../../src/schema/index.js';

/** docs/contract.md §4, verbatim: what clients rely on. */
const CONTRACT_SDL = /* GraphQL */ `
  type Query { _contractPlaceholder: Boolean }
  type Mutation {
    batchDeleteCSRs(ids: [Int!]!): BatchDeleteCSRsResult!
  }
  union BatchDeleteCSRsResult =
      BatchDeleteCSRsSuccess
    | InvalidCSRIdError
    | InvalidParameterError
    | FailedOperationError
    | RateLimitExceededError
    | AuthFailureError
    | UpstreamUnavailableError
  interface TencentCloudError {
    code: String!
    message: String!
    requestId: String
    csrIds: [Int!]!
  }
  type BatchDeleteCSRsSuccess {
    deletedIds: [Int!]!
    notDeletedIds: [Int!]!
    unknownIds: [Int!]!
    errors: [TencentCloudError!]!
    requestIds: [String!]!
  }
  type InvalidCSRIdError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type InvalidParameterError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type FailedOperationError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type RateLimitExceededError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type AuthFailureError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
  type UpstreamUnavailableError implements TencentCloudError { code: String! message: String! requestId: String csrIds: [Int!]! }
`;

describe('the GraphQL schema', () => {
  it('keeps every part of the contract (nothing removed, renamed or retyped)', () => {
    const contract = buildSchema(CONTRACT_SDL);
    const breaking = findBreakingChanges(contract, schema).filter(
      (change) => !change.description.includes('_contractPlaceholder'),
    );
    expect(breaking).toEqual([]);
    // Union members exactly as listed, nothing more (the subgraph prints them sorted).
    const union = schema.getType('BatchDeleteCSRsResult');
    expect(union && 'getTypes' in union ? union.getTypes().map((type) => type.name).sort() : []).toEqual([
      'BatchDeleteCSRsSuccess',
      'InvalidCSRIdError',
      'InvalidParameterError',
      'FailedOperationError',
      'RateLimitExceededError',
      'AuthFailureError',
      'UpstreamUnavailableError',
    ].sort());
  });

  it('describes every type, field and argument of its own', () => {
    const undocumented: string[] = [];
    const own = (type: GraphQLNamedType): boolean => !type.name.startsWith('_') && !type.name.startsWith('__');
    for (const type of Object.values(schema.getTypeMap()).filter(own)) {
      if (['String', 'Int', 'Boolean', 'Float', 'ID'].includes(type.name)) continue;
      if (!type.description && !['Mutation', 'Query'].includes(type.name)) undocumented.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of field.args) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('has committed artifacts that `npm run codegen` would leave unchanged', async () => {
    const outputs = (await generate({ ...codegenConfig, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.map((output) => output.filename)).toEqual(
      expect.arrayContaining([
        'schema/schema.graphql',
        'schema/generated/graphql.ts',
        'schema/generated/persisted-documents.json',
        'schema/generated/possible-types.ts',
      ]),
    );
    for (const output of outputs) {
      const committed = await readFile(output.filename, 'utf8').catch(() => '(missing)');
      expect(committed, `${output.filename} is stale: run npm run codegen and commit it`).toBe(output.content);
    }
  });
});

describe('the artifacts frontends and gateways load', () => {
  it('persisted-documents.json maps the sha256 hex of each document to its text, one per operation', () => {
    const entries = Object.entries(persistedDocuments as Record<string, string>);
    expect(entries.map(([, text]) => getOperationAST(parse(text))?.name?.value).sort()).toEqual([
      'BatchDeleteCSRs',
      'CSRDeletionJob',
      'CSRDeletionJobProgressUpdates',
      'CSRDeletionJobResults',
      'CSRs',
      'CancelCSRDeletion',
      'PlanCSRDeletion',
      'StartCSRDeletion',
      'StartPlannedCSRDeletion',
    ]);
    for (const [hash, text] of entries) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
      expect(validate(schema, parse(text))).toEqual([]);
    }
    // Each typed operation document carries the same hash: a client sends it in place of the text.
    const hashes = Object.values(generated).flatMap((value) => (value as { __meta__?: { hash?: string } }).__meta__?.hash ?? []);
    expect(hashes.sort()).toEqual(Object.keys(persistedDocuments).sort());
  });

  it("possible-types.ts lists every member of the result union and every TencentCloudError, for Apollo Client's cache", () => {
    const errorTypes = ['AuthFailureError', 'FailedOperationError', 'InvalidCSRIdError', 'InvalidParameterError', 'RateLimitExceededError', 'UpstreamUnavailableError'];
    expect(introspection.possibleTypes).toEqual({
      BatchDeleteCSRsResult: ['BatchDeleteCSRsSuccess', ...errorTypes].sort(),
      TencentCloudError: errorTypes,
      StartCSRDeletionResult: ['CSRDeletionJob', 'ExpiredPlanError', 'IdempotencyKeyMismatchError', 'InvalidCSRIdError', 'InvalidParameterError', 'UnknownPlanError'],
      PlanCSRDeletionResult: ['AuthFailureError', 'CSRDeletionPlan', 'FailedOperationError', 'InvalidParameterError', 'RateLimitExceededError', 'UpstreamUnavailableError'],
    });
  });
});
