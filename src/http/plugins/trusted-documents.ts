/**
 * Trusted documents (persisted operations): with `PERSISTED_DOCUMENTS`, a client may send
 * `{"documentId": "<sha256>"}` (also `sha256:<hash>`) or Apollo's
 * `extensions.persistedQuery.sha256Hash` instead of the document; with `PERSISTED_DOCUMENTS_ONLY`,
 * it must, and any other document is refused before it is parsed — nothing is executed or sent.
 *
 * The work is yoga's maintained plugin; what is decided here is the manifest (GraphQL Code
 * Generator's client preset `persistedDocuments: true` output, an object mapping each document's
 * sha256 hex hash to its text), the two id forms, and the exception for GraphiQL outside
 * production: its page sends `x-graphiql-arbitrary-documents`, which only-mode honours there and
 * nowhere else, so a developer can still explore the schema (introspection is not in any manifest).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/** The header GraphiQL's page sends so that only-mode lets it through outside production. */
export const GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER = 'x-graphiql-arbitrary-documents';

const SHA256_PREFIX = 'sha256:';
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The documents a manifest lists, by hash. */
export type PersistedDocuments = ReadonlyMap<string, string>;

/**
 * Reads a `persisted-documents.json` manifest. Each hash must be the sha256 of its document, as
 * codegen writes it: a manifest that does not hold what it names stops start-up.
 */
/** The manifest cannot be used: the message names the variable and what to do (a start-up line). */
export class PersistedDocumentsError extends Error {
  override readonly name = 'PersistedDocumentsError';
}

export function readPersistedDocuments(path: string): PersistedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'not JSON';
    throw new PersistedDocumentsError(
      `PERSISTED_DOCUMENTS: cannot read ${path} as JSON (${code}): point it at the manifest codegen writes (persisted-documents.json), or unset it`,
      { cause: error },
    );
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new PersistedDocumentsError(`PERSISTED_DOCUMENTS: ${path} must hold an object mapping sha256 hashes to documents`);
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(manifest)) {
    if (!SHA256_HEX.test(hash) || typeof document !== 'string' || sha256(document) !== hash) {
      throw new PersistedDocumentsError(`PERSISTED_DOCUMENTS: in ${path}, "${hash.slice(0, 80)}" is not the sha256 hex hash of its document`);
    }
    documents.set(hash, document);
  }
  return documents;
}

export interface TrustedDocumentsOptions {
  readonly documents: PersistedDocuments;
  /** Refuse every document that is not in `documents`. */
  readonly only: boolean;
  /** Whether only-mode lets GraphiQL's requests through (outside production). */
  readonly graphiqlExempt: boolean;
}

export function useTrustedDocuments({ documents, only, graphiqlExempt }: TrustedDocumentsOptions): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => documents.get(id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id) ?? null,
    extractPersistedOperationId: (params, request, context) => {
      const { documentId } = params as { documentId?: unknown };
      return typeof documentId === 'string' ? documentId : defaultExtractPersistedOperationId(params, request, context);
    },
    allowArbitraryOperations: only
      ? graphiqlExempt
        ? (request) => request.headers.get(GRAPHIQL_ARBITRARY_DOCUMENTS_HEADER) === '1'
        : false
      : true,
    customErrors: {
      persistedQueryOnly: {
        message:
          'This gateway accepts only trusted documents (PERSISTED_DOCUMENTS_ONLY): send {"documentId": "<sha256 hash>"} ' +
          'of a document in its manifest instead of the document itself.',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
      },
      keyNotFound: {
        message: 'Send a document ("query") or the id of a trusted one ("documentId").',
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      },
    },
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
