/**
 * The GraphQL client: Apollo Client with the generated document and the generated `possibleTypes`.
 * Its cache must know which types implement `TencentCloudError`, or it drops every error's `code`,
 * `message`, `requestId` and `csrIds` (see docs/frontends.md).
 */
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { BatchDeleteCSRsDocument } from '../../../schema/generated/graphql.js';
import introspection from '../../../schema/generated/possible-types.js';
import type { BatchDeleteCSRsResult } from './outcomes.js';

export const client = new ApolloClient({
  // The gateway's URL and the caller's token come with each request (the form's fields).
  link: new HttpLink(),
  cache: new InMemoryCache({ possibleTypes: introspection.possibleTypes }),
});

export interface Caller {
  /** The gateway's `/graphql`, or the federated graph's router. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` when not empty. */
  readonly token: string;
}

/** The caller's headers: its token, when it has one. */
export function callerHeaders({ token }: Caller): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** Apollo Client's per-request context: where to send it, with which headers. */
export function callerContext(caller: Caller, headers: Record<string, string> = {}): { uri: string; headers: Record<string, string> } {
  return { uri: caller.url, headers: { ...callerHeaders(caller), ...headers } };
}

export async function deleteCSRs(ids: readonly number[], caller: Caller): Promise<BatchDeleteCSRsResult> {
  const { data } = await client.mutate({
    mutation: BatchDeleteCSRsDocument,
    variables: { ids: [...ids] },
    context: callerContext(caller),
  });
  if (!data) throw new Error('The gateway answered without data.');
  return data.batchDeleteCSRs;
}

/**
 * Why a request failed as a whole, for a person: the gateway refused it (`UNAUTHENTICATED`,
 * `FORBIDDEN`, a limit) with a code and a message, or it never got an answer (a wrong URL, the
 * gateway down, or its CORS not allowing this page's origin).
 */
export function describeFailure(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const reasons = error.errors.map(({ message, extensions }) => [extensions?.code, message].filter(Boolean).join(': '));
    return `The gateway refused: ${reasons.join('; ')}`;
  }
  return `No answer from the gateway (${error instanceof Error ? error.message : String(error)}).`;
}
