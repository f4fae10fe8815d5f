/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type BatchDeleteCSRsMutationVariables = Exact<{
  ids: Array<number> | number;
}>;


export type BatchDeleteCSRsMutation = { batchDeleteCSRs:
    | { __typename: 'AuthFailureError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
    | { __typename: 'BatchDeleteCSRsSuccess', deletedIds: Array<number>, notDeletedIds: Array<number>, unknownIds: Array<number>, requestIds: Array<string>, errors: Array<
        | { __typename: 'AuthFailureError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
        | { __typename: 'FailedOperationError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
        | { __typename: 'InvalidCSRIdError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
        | { __typename: 'InvalidParameterError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
        | { __typename: 'RateLimitExceededError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
        | { __typename: 'UpstreamUnavailableError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
      > }
    | { __typename: 'FailedOperationError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
    | { __typename: 'InvalidCSRIdError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
    | { __typename: 'InvalidParameterError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
    | { __typename: 'RateLimitExceededError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, requestId: string | null, csrIds: Array<number> }
   };


export const BatchDeleteCSRsDocument = {"__meta__":{"hash":"5d9f5a673e8e47cb0808de13ba3961995f9da9a759e49f7fe4a34f6498fa8642"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"BatchDeleteCSRs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"batchDeleteCSRs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"BatchDeleteCSRsSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedIds"}},{"kind":"Field","name":{"kind":"Name","value":"notDeletedIds"}},{"kind":"Field","name":{"kind":"Name","value":"unknownIds"}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"csrIds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requestIds"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"TencentCloudError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"csrIds"}}]}}]}}]}}]} as unknown as DocumentNode<BatchDeleteCSRsMutation, BatchDeleteCSRsMutationVariables>;