/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation BatchDeleteCSRs($ids: [Int!]!) {\n  batchDeleteCSRs(ids: $ids) {\n    __typename\n    ... on BatchDeleteCSRsSuccess {\n      deletedIds\n      notDeletedIds\n      unknownIds\n      errors {\n        __typename\n        code\n        message\n        requestId\n        csrIds\n      }\n      requestIds\n    }\n    ... on TencentCloudError {\n      code\n      message\n      requestId\n      csrIds\n    }\n  }\n}": typeof types.BatchDeleteCSRsDocument,
    "fragment CSRDeletionJobProgress on CSRDeletionJob {\n  id\n  status\n  total\n  cancelRequested\n  counts {\n    deleted\n    notDeleted\n    unknown\n    failed\n    pending\n  }\n  createdAt\n  finishedAt\n}\n\nmutation StartCSRDeletion($ids: [Int!]!, $idempotencyKey: String) {\n  startCSRDeletion(ids: $ids, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on CSRDeletionJob {\n      ...CSRDeletionJobProgress\n    }\n    ... on TencentCloudError {\n      code\n      message\n      csrIds\n    }\n    ... on UnknownPlanError {\n      code\n      message\n    }\n    ... on IdempotencyKeyMismatchError {\n      code\n      message\n      jobId\n    }\n  }\n}\n\nsubscription CSRDeletionJobProgressUpdates($id: ID!) {\n  csrDeletionJobProgress(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJob($id: ID!) {\n  csrDeletionJob(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nmutation CancelCSRDeletion($id: ID!) {\n  cancelCSRDeletion(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJobResults($id: ID!, $first: Int!, $after: String, $outcome: CSRDeletionOutcome) {\n  csrDeletionJob(id: $id) {\n    id\n    results(first: $first, after: $after, outcome: $outcome) {\n      nodes {\n        csrId\n        outcome\n        code\n        requestId\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.CSRDeletionJobProgressFragmentDoc,
    "query CSRs($domain: String, $first: Int!, $after: String) {\n  csrs(domain: $domain, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      domain\n      status\n      createdAt\n      encryptAlgo\n      keyParameter\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CSRsDocument,
};
const documents: Documents = {
    "mutation BatchDeleteCSRs($ids: [Int!]!) {\n  batchDeleteCSRs(ids: $ids) {\n    __typename\n    ... on BatchDeleteCSRsSuccess {\n      deletedIds\n      notDeletedIds\n      unknownIds\n      errors {\n        __typename\n        code\n        message\n        requestId\n        csrIds\n      }\n      requestIds\n    }\n    ... on TencentCloudError {\n      code\n      message\n      requestId\n      csrIds\n    }\n  }\n}": types.BatchDeleteCSRsDocument,
    "fragment CSRDeletionJobProgress on CSRDeletionJob {\n  id\n  status\n  total\n  cancelRequested\n  counts {\n    deleted\n    notDeleted\n    unknown\n    failed\n    pending\n  }\n  createdAt\n  finishedAt\n}\n\nmutation StartCSRDeletion($ids: [Int!]!, $idempotencyKey: String) {\n  startCSRDeletion(ids: $ids, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on CSRDeletionJob {\n      ...CSRDeletionJobProgress\n    }\n    ... on TencentCloudError {\n      code\n      message\n      csrIds\n    }\n    ... on UnknownPlanError {\n      code\n      message\n    }\n    ... on IdempotencyKeyMismatchError {\n      code\n      message\n      jobId\n    }\n  }\n}\n\nsubscription CSRDeletionJobProgressUpdates($id: ID!) {\n  csrDeletionJobProgress(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJob($id: ID!) {\n  csrDeletionJob(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nmutation CancelCSRDeletion($id: ID!) {\n  cancelCSRDeletion(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJobResults($id: ID!, $first: Int!, $after: String, $outcome: CSRDeletionOutcome) {\n  csrDeletionJob(id: $id) {\n    id\n    results(first: $first, after: $after, outcome: $outcome) {\n      nodes {\n        csrId\n        outcome\n        code\n        requestId\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.CSRDeletionJobProgressFragmentDoc,
    "query CSRs($domain: String, $first: Int!, $after: String) {\n  csrs(domain: $domain, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      domain\n      status\n      createdAt\n      encryptAlgo\n      keyParameter\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CSRsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation BatchDeleteCSRs($ids: [Int!]!) {\n  batchDeleteCSRs(ids: $ids) {\n    __typename\n    ... on BatchDeleteCSRsSuccess {\n      deletedIds\n      notDeletedIds\n      unknownIds\n      errors {\n        __typename\n        code\n        message\n        requestId\n        csrIds\n      }\n      requestIds\n    }\n    ... on TencentCloudError {\n      code\n      message\n      requestId\n      csrIds\n    }\n  }\n}"): (typeof documents)["mutation BatchDeleteCSRs($ids: [Int!]!) {\n  batchDeleteCSRs(ids: $ids) {\n    __typename\n    ... on BatchDeleteCSRsSuccess {\n      deletedIds\n      notDeletedIds\n      unknownIds\n      errors {\n        __typename\n        code\n        message\n        requestId\n        csrIds\n      }\n      requestIds\n    }\n    ... on TencentCloudError {\n      code\n      message\n      requestId\n      csrIds\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CSRDeletionJobProgress on CSRDeletionJob {\n  id\n  status\n  total\n  cancelRequested\n  counts {\n    deleted\n    notDeleted\n    unknown\n    failed\n    pending\n  }\n  createdAt\n  finishedAt\n}\n\nmutation StartCSRDeletion($ids: [Int!]!, $idempotencyKey: String) {\n  startCSRDeletion(ids: $ids, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on CSRDeletionJob {\n      ...CSRDeletionJobProgress\n    }\n    ... on TencentCloudError {\n      code\n      message\n      csrIds\n    }\n    ... on UnknownPlanError {\n      code\n      message\n    }\n    ... on IdempotencyKeyMismatchError {\n      code\n      message\n      jobId\n    }\n  }\n}\n\nsubscription CSRDeletionJobProgressUpdates($id: ID!) {\n  csrDeletionJobProgress(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJob($id: ID!) {\n  csrDeletionJob(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nmutation CancelCSRDeletion($id: ID!) {\n  cancelCSRDeletion(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJobResults($id: ID!, $first: Int!, $after: String, $outcome: CSRDeletionOutcome) {\n  csrDeletionJob(id: $id) {\n    id\n    results(first: $first, after: $after, outcome: $outcome) {\n      nodes {\n        csrId\n        outcome\n        code\n        requestId\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["fragment CSRDeletionJobProgress on CSRDeletionJob {\n  id\n  status\n  total\n  cancelRequested\n  counts {\n    deleted\n    notDeleted\n    unknown\n    failed\n    pending\n  }\n  createdAt\n  finishedAt\n}\n\nmutation StartCSRDeletion($ids: [Int!]!, $idempotencyKey: String) {\n  startCSRDeletion(ids: $ids, idempotencyKey: $idempotencyKey) {\n    __typename\n    ... on CSRDeletionJob {\n      ...CSRDeletionJobProgress\n    }\n    ... on TencentCloudError {\n      code\n      message\n      csrIds\n    }\n    ... on UnknownPlanError {\n      code\n      message\n    }\n    ... on IdempotencyKeyMismatchError {\n      code\n      message\n      jobId\n    }\n  }\n}\n\nsubscription CSRDeletionJobProgressUpdates($id: ID!) {\n  csrDeletionJobProgress(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJob($id: ID!) {\n  csrDeletionJob(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nmutation CancelCSRDeletion($id: ID!) {\n  cancelCSRDeletion(id: $id) {\n    ...CSRDeletionJobProgress\n  }\n}\n\nquery CSRDeletionJobResults($id: ID!, $first: Int!, $after: String, $outcome: CSRDeletionOutcome) {\n  csrDeletionJob(id: $id) {\n    id\n    results(first: $first, after: $after, outcome: $outcome) {\n      nodes {\n        csrId\n        outcome\n        code\n        requestId\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CSRs($domain: String, $first: Int!, $after: String) {\n  csrs(domain: $domain, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      domain\n      status\n      createdAt\n      encryptAlgo\n      keyParameter\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query CSRs($domain: String, $first: Int!, $after: String) {\n  csrs(domain: $domain, first: $first, after: $after) {\n    totalCount\n    nodes {\n      id\n      domain\n      status\n      createdAt\n      encryptAlgo\n      keyParameter\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;