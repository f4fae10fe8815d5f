/** What GraphiQL opens with: a ready `batchDeleteCSRs` document that asks for every branch of the union. */
export const EXAMPLE_DOCUMENT = /* GraphQL */ `# Delete CSRs by ID. The gateway merges concurrent callers into Tencent calls of
# at most 100 IDs and never exceeds Tencent's 10 calls/s. Press the run button.
mutation DeleteCSRs {
  batchDeleteCSRs(ids: [1, 2, 3]) {
    __typename
    ... on BatchDeleteCSRsSuccess {
      deletedIds
      notDeletedIds
      unknownIds
      errors {
        __typename
        code
        message
        requestId
        csrIds
      }
      requestIds
    }
    ... on TencentCloudError {
      code
      message
      requestId
      csrIds
    }
  }
}
`;
