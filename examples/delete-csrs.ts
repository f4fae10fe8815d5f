/**
 * A typed client for `batchDeleteCSRs`, written the way a frontend or a script would: the operation is
 * the generated `BatchDeleteCSRsDocument` (schema/operations/batch-delete-csrs.graphql, compiled by
 * `npm run codegen`), so its variables and its result are typed from the schema, nothing is typed by
 * hand, and a schema change that breaks this client fails `npm run typecheck`.
 *
 * Plain `fetch` and graphql's `print`, so it copies into a browser app or a Node script without a
 * client library; urql and graphql-request take the same TypedDocumentNode as it is, and Apollo
 * Client does given the generated possibleTypes (docs/frontends.md; examples/web/ uses it).
 *
 *   npx tsx examples/delete-csrs.ts 1 2 3
 *   GATEWAY_URL=https://graphql.example.com/graphql GATEWAY_TOKEN=… npx tsx examples/delete-csrs.ts 1 2 3
 */
import { pathToFileURL } from 'node:url';
import type { ResultOf, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { BatchDeleteCSRsDocument } from '../schema/generated/graphql.js';

export type BatchDeleteCSRsResult = ResultOf<typeof BatchDeleteCSRsDocument>['batchDeleteCSRs'];

export interface ClientOptions {
  /** The GraphQL endpoint: the gateway's `/graphql`, or the federated graph's router. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` (a JWT or an API key, as the gateway is configured). */
  readonly token?: string;
  readonly signal?: AbortSignal;
}

interface GraphQLErrorAnswer {
  readonly message: string;
  readonly extensions?: { readonly code?: string } & Record<string, unknown>;
}

/**
 * The request failed as a whole: the caller was not authenticated (`UNAUTHENTICATED`) or not allowed
 * (`FORBIDDEN`), the document did not validate, or the answer was not GraphQL. What happened to
 * individual IDs is never reported this way: that is the result union.
 */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errors: readonly GraphQLErrorAnswer[] = [],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }

  /** The first error's `extensions.code`, e.g. `UNAUTHENTICATED`. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** Sends one operation and returns its typed `data`. */
export async function execute<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: ClientOptions,
): Promise<TResult> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!/json/.test(response.headers.get('content-type') ?? '')) {
    throw new GraphQLRequestError(`HTTP ${response.status} without a GraphQL answer`, response.status);
  }
  const body = (await response.json()) as { data?: TResult | null; errors?: GraphQLErrorAnswer[] };
  if (body.errors?.length || !body.data) {
    const errors = body.errors ?? [];
    throw new GraphQLRequestError(errors.map((error) => error.message).join('; ') || 'no data', response.status, errors);
  }
  return body.data;
}

/** Deletes the CSRs; every ID comes back accounted for in the result (see the schema's docs). */
export async function deleteCSRs(ids: readonly number[], options: ClientOptions): Promise<BatchDeleteCSRsResult> {
  const { batchDeleteCSRs } = await execute(BatchDeleteCSRsDocument, { ids: [...ids] }, options);
  return batchDeleteCSRs;
}

type ErrorResult = Exclude<BatchDeleteCSRsResult, { __typename: 'BatchDeleteCSRsSuccess' }>;

/** What a user can do about each error type (the schema's descriptions, condensed). */
function advice(error: Pick<ErrorResult, '__typename'>): string {
  switch (error.__typename) {
    case 'InvalidCSRIdError':
    case 'InvalidParameterError':
      return 'fix the input; retrying as is will not help';
    case 'FailedOperationError':
      return 'Tencent refused; see the message';
    case 'RateLimitExceededError':
      return 'nothing was deleted: send them again later';
    case 'AuthFailureError':
      return "the gateway's Tencent credentials were refused: tell its operator";
    case 'UpstreamUnavailableError':
      return 'Tencent was unavailable: send them again (deleting twice is harmless)';
    default: {
      // Every member of the union is handled: a new one fails the typecheck here.
      const unhandled: never = error.__typename;
      return unhandled;
    }
  }
}

/** One line per outcome. Narrowing on `__typename` gives each branch its own typed fields. */
export function summarize(result: BatchDeleteCSRsResult): string[] {
  if (result.__typename !== 'BatchDeleteCSRsSuccess') {
    return [`${result.__typename} ${result.code} for ${result.csrIds.join(', ')}: ${advice(result)} (${result.message})`];
  }
  const lines = [
    `deleted: ${result.deletedIds.join(', ') || 'none'}`,
    `not deleted (no such CSR): ${result.notDeletedIds.join(', ') || 'none'}`,
  ];
  if (result.unknownIds.length > 0) lines.push(`unknown (check or delete again): ${result.unknownIds.join(', ')}`);
  for (const error of result.errors) {
    lines.push(`${error.__typename} ${error.code} for ${error.csrIds.join(', ')}: ${advice(error)}`);
  }
  if (result.requestIds.length > 0) lines.push(`Tencent RequestIds: ${result.requestIds.join(', ')}`);
  return lines;
}

async function main(args: readonly string[]): Promise<number> {
  const ids = args.map(Number);
  if (ids.length === 0 || !ids.every(Number.isInteger)) {
    console.error('usage: delete-csrs <csr id>... (env: GATEWAY_URL, GATEWAY_TOKEN)');
    return 2;
  }
  const token = process.env.GATEWAY_TOKEN;
  const result = await deleteCSRs(ids, {
    url: process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql',
    ...(token ? { token } : {}),
  });
  for (const line of summarize(result)) console.log(line);
  const clean = result.__typename === 'BatchDeleteCSRsSuccess' && result.errors.length === 0 && result.unknownIds.length === 0;
  return clean ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
