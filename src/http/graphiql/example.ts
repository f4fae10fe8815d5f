/** What GraphiQL opens with: a ready `batchDeleteCSRs` document that asks for every branch of the union. */
export const EXAMPLE_DOCUMENT = /* GraphQL */ `# Press the run button (or Ctrl-Enter).
# Docs (the book icon) explain every field.
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
