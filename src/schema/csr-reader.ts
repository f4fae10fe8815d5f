/**
 * One operation's view of the read side, as csr-deleter.ts is of deletion: CSR lookups by ID go
 * through one DataLoader, so that every `Query.csr` and every `_entities` representation of an
 * operation (a router sends them in one request) becomes one batch, looked up the cheaper way — one
 * `DescribeCSR` per ID, or a `DescribeCSRSet` scan (tencent/existence-checker.ts decides, by calls).
 * Listings go straight to `DescribeCSRSet`. Every read shares the operation's deadline.
 *
 * A failed read is a GraphQL error (`readFailure`), not a value: `csrs` and `csr` have the types the
 * contract fixes (a connection, a nullable CSR), and `_entities` has no room for a union either.
 */
import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { TencentFailure } from '../tencent/codes.js';
import type { FindAnswer } from '../tencent/existence-checker.js';
import type { CsrPage, CsrRecord, CsrSetQuery, ReadResult } from '../tencent/read-client.js';

/** What the schema needs of the read side (gateway/read-side.ts gives it). */
export interface CsrReads {
  describeCSRSet(query: CsrSetQuery, options: { readonly deadline: number }): Promise<ReadResult<CsrPage>>;
  find(ids: readonly number[], options: { readonly deadline: number }): Promise<FindAnswer>;
}

/** Made for every operation, so it makes its DataLoader only when a lookup first needs it. */
export class CsrReader {
  readonly #reads: CsrReads;
  readonly #deadline: number;
  #loader: DataLoader<number, CsrRecord | null> | undefined;

  constructor(reads: CsrReads, deadline: number) {
    this.#reads = reads;
    this.#deadline = deadline;
  }

  get #byId(): DataLoader<number, CsrRecord | null> {
    return (this.#loader ??= new DataLoader<number, CsrRecord | null>(async (ids) => {
      const answer = await this.#reads.find(ids, { deadline: this.#deadline });
      if (!answer.ok) {
        const error = readFailure(answer.failure);
        return ids.map(() => error);
      }
      return ids.map((id) => answer.found.get(id) ?? null);
    }));
  }

  /** The CSR, or null when there is none of that ID; throws the read's failure as a GraphQL error. */
  load(id: number): Promise<CsrRecord | null> {
    return this.#byId.load(id);
  }

  async list(query: CsrSetQuery): Promise<CsrPage> {
    const page = await this.#reads.describeCSRSet(query, { deadline: this.#deadline });
    if (!page.ok) throw readFailure(page.failure);
    // Prime the loader: a CSR listed in this operation needs no second call to be resolved by ID.
    for (const item of page.value.items) this.#byId.prime(item.id, item);
    return page.value;
  }
}

/**
 * A read's failure as a GraphQL error: `extensions.code` is the name of the error type the same
 * failure has in `batchDeleteCSRs`' union (`RateLimitExceededError`, `UpstreamUnavailableError`, …:
 * docs/contract.md §4's mapping), `tencentCode` the code verbatim, `requestId` Tencent's.
 */
export function readFailure(failure: TencentFailure): GraphQLError {
  return createGraphQLError(failure.message, {
    extensions: { code: `${failure.category}Error`, tencentCode: failure.code, ...(failure.requestId ? { requestId: failure.requestId } : {}) },
  });
}
