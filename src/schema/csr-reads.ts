/**
 * The read side of the CSR domain (docs/contract.md §4): the `CSR` type — a federation entity keyed by
 * `id`, so that any subgraph may return CSRs by ID and the router resolves them here, batched — and
 * `Query.csrs` (a Relay-style page of `DescribeCSRSet`) and `Query.csr` (one CSR, or null).
 *
 * Only descriptive fields: `CsrRecord` (tencent/read-client.ts) has no place for a CSR's private key
 * or its password, and neither has this type.
 */
import { createGraphQLError } from 'graphql-yoga';
import { MAX_CSR_PAGE, type CsrRecord } from '../tencent/read-client.js';
import { builder, type GatewayContext } from './builder.js';
import type { CsrReader } from './csr-reader.js';

export const DEFAULT_CSR_PAGE = 20;

export const CSRRef = builder.objectRef<CsrRecord>('CSR').implement({
  description:
    'A certificate signing request in the Tencent Cloud account, as DescribeCSRSet and DescribeCSR describe it: its ' +
    'descriptive fields only. Its private key and key password are never served. Fields Tencent may leave empty are ' +
    'nullable.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: "The CSR's ID: what batchDeleteCSRs takes." }),
    domain: t.exposeString('domain', { nullable: true, description: 'The domain it is for.' }),
    status: t.exposeInt('status', { nullable: true, description: "Tencent's status code, as given (Tencent does not document its values)." }),
    createdAt: t.exposeString('createTime', {
      nullable: true,
      description: "When it was created, as Tencent gives it: `YYYY-MM-DD hh:mm:ss`, in Tencent's time zone (not stated; Beijing time, most likely).",
    }),
    encryptAlgo: t.exposeString('encryptAlgo', { nullable: true, description: 'The key algorithm: RSA or ECC.' }),
    keyParameter: t.exposeString('keyParameter', { nullable: true, description: 'The algorithm parameter: 2048 or 4096 (RSA), prime256v1 (ECC).' }),
    ownerUin: t.exposeString('ownerUin', { nullable: true, description: 'The account that owns it.' }),
    organization: t.exposeString('organization', { nullable: true, description: 'The subject organisation.' }),
    department: t.exposeString('department', { nullable: true, description: 'The subject department.' }),
    email: t.exposeString('email', { nullable: true, description: 'The contact email address.' }),
    province: t.exposeString('province', { nullable: true, description: 'The subject province or state.' }),
    city: t.exposeString('city', { nullable: true, description: 'The subject city.' }),
    country: t.exposeString('country', { nullable: true, description: 'The subject country or region (ISO 3166, e.g. CN).' }),
    remarks: t.exposeString('remarks', { nullable: true, description: 'Remarks given when it was created.' }),
  }),
});

builder.asEntity(CSRRef, {
  key: builder.selection<{ id: number }>('id'),
  // Every representation of a router's request goes through the operation's loader: one batch.
  resolveReference: ({ id }, context) => readerOf(context).load(Number(id)),
});

interface CsrPageShape {
  readonly items: readonly CsrRecord[];
  readonly offset: number;
  readonly total: number;
}

const EdgeRef = builder.objectRef<{ node: CsrRecord; cursor: string }>('CSREdge').implement({
  description: 'One CSR and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` for the CSRs that follow this one.' }),
    node: t.field({ type: CSRRef, description: 'The CSR.', resolve: (edge) => edge.node }),
  }),
});

const PageInfoRef = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('CSRPageInfo').implement({
  description: 'Where a page of CSRs ends: pass endCursor as `after` for the next one.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More CSRs follow this page.' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: "The last CSR's cursor; null on an empty page." }),
  }),
});

const ConnectionRef = builder.objectRef<CsrPageShape>('CSRConnection').implement({
  description: 'A page of the CSRs, newest first (as Tencent lists them).',
  fields: (t) => ({
    edges: t.field({
      type: [EdgeRef],
      description: 'The page, with cursors.',
      resolve: (page) => page.items.map((node, index) => ({ node, cursor: encodeCursor(page.offset + index + 1) })),
    }),
    nodes: t.field({ type: [CSRRef], description: 'The page, without cursors.', resolve: (page) => [...page.items] }),
    pageInfo: t.field({
      type: PageInfoRef,
      description: 'Whether more follow, and where to resume.',
      resolve: (page) => ({
        hasNextPage: page.offset + page.items.length < page.total,
        endCursor: page.items.length === 0 ? null : encodeCursor(page.offset + page.items.length),
      }),
    }),
    totalCount: t.exposeInt('total', { description: 'How many CSRs match the filter, on every page (Tencent\'s Total).' }),
  }),
});

builder.queryFields((t) => ({
  csrs: t.field({
    type: ConnectionRef,
    // Demand control: a page holds `first` CSRs (in edges and nodes), the default page when it is not given.
    directives: { listSize: { assumedSize: DEFAULT_CSR_PAGE, slicingArguments: ['first'], sizedFields: ['edges', 'nodes'], requireOneSlicingArgument: false } },
    description:
      `The account's CSRs, newest first, a page at a time (DescribeCSRSet); first 1–${MAX_CSR_PAGE}, default ` +
      `${DEFAULT_CSR_PAGE}. Needs the scope csr:read (csr:delete implies it). Pages are by position: a CSR created or ` +
      'deleted between two pages shifts the ones after it. A failed read is a GraphQL error whose extensions.code is ' +
      "the error type batchDeleteCSRs would give (e.g. RateLimitExceededError) and tencentCode Tencent's code.",
    args: {
      domain: t.arg.string({ description: 'Only the CSRs for this domain.' }),
      first: t.arg.int({ description: `CSRs per page, 1–${MAX_CSR_PAGE} (default ${DEFAULT_CSR_PAGE}).` }),
      after: t.arg.string({ description: 'The endCursor (or an edge cursor) of the previous page.' }),
    },
    resolve: async (_root, args, context) => {
      const first = args.first ?? DEFAULT_CSR_PAGE;
      if (!Number.isInteger(first) || first < 1 || first > MAX_CSR_PAGE) throw badInput(`first must be between 1 and ${MAX_CSR_PAGE}.`);
      const offset = args.after ? decodeCursor(args.after) : 0;
      const page = await readerOf(context).list({ limit: first, offset, ...(args.domain ? { domain: args.domain } : {}) });
      return { items: page.items, offset, total: page.total };
    },
  }),
  csr: t.field({
    type: CSRRef,
    nullable: true,
    description: 'One CSR by ID (DescribeCSR, batched with the other lookups of the operation); null when the account has none of that ID. Needs the scope csr:read (csr:delete implies it).',
    args: { id: t.arg.int({ required: true, description: "The CSR's ID." }) },
    resolve: (_root, { id }, context) => readerOf(context).load(id),
  }),
}));

function readerOf(context: GatewayContext): CsrReader {
  if (!context.csrReader) throw createGraphQLError('This gateway has no read side.', { extensions: { code: 'READS_UNAVAILABLE' } });
  return context.csrReader;
}

/** Opaque to clients: the position after the CSR, base64url of `o:<offset>`. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const offset = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(offset)) throw badInput('after is not a cursor this field gave out.');
  return offset;
}

function badInput(message: string): Error {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}
