/**
 * The read side from the browser (docs/contract.md §4): the account's CSRs a page at a time
 * (`Query.csrs`, DescribeCSRSet); plans are in plans.ts.
 *
 * A gateway older than the read side has no `Query.csrs` (or no `planCSRDeletion`): its validation
 * error says so, and the page hides what it cannot do rather than fail at every click.
 */
import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { CSRsDocument } from '../../../schema/generated/graphql.js';
import { callerContext, client, type Caller } from './client.js';

export type CSRPage = ResultOf<typeof CSRsDocument>['csrs'];
export type CSR = CSRPage['nodes'][number];

export async function listCSRs(variables: VariablesOf<typeof CSRsDocument>, caller: Caller): Promise<CSRPage> {
  const { data } = await client.query({ query: CSRsDocument, variables, context: callerContext(caller), fetchPolicy: 'network-only' });
  if (!data) throw new Error('The gateway answered without data.');
  return data.csrs;
}

/** Whether `error` is the gateway's validation error for a field its schema does not have. */
export function lacksField(error: unknown, field: string): boolean {
  const says = (text: string | undefined) => text?.includes(`Cannot query field "${field}"`) ?? false;
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((entry) => says(entry.message));
  if (ServerError.is(error)) return says(error.bodyText);
  return false;
}
