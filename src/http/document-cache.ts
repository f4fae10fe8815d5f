/**
 * Yoga's parse and validation caches, bounded by bytes instead of by count.
 *
 * Yoga keeps up to 1,024 parsed documents and 1,024 parse errors, keyed by the document's text: with
 * a body limit of 1 MiB (a comment costs no tokens, so the token limit does not bound the text) that
 * is up to 2 GiB for anyone to fill, no token needed — each distinct large request pinned its text and
 * its syntax tree (or its error, which holds the text) for an hour. Validation results are kept per
 * syntax tree (a WeakMap), so they live exactly as long as a cached document.
 *
 * Real documents are small (the schema's operations are a few hundred bytes) and repeat, which is
 * what the cache is for; a large one is almost always a one-off. So: a document whose text is longer
 * than `maxDocumentChars` is not cached at all, and all that is cached is bounded by `maxBytes`,
 * least recently used first out. Its cost is estimated from the text's length — the text (up to two
 * bytes a character) and a syntax tree of at most a few node objects per token — rather than measured,
 * which would cost more than the parse it saves.
 */
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Bytes a cached entry is counted for, per character of its document's text (text plus syntax tree). */
export const BYTES_PER_CHAR = 16;

export interface DocumentCacheLimits {
  /** What the parse cache and the parse-error cache may hold, together at most twice this. */
  readonly maxBytes: number;
  /** Longer documents are parsed every time, never cached. */
  readonly maxDocumentChars: number;
  /** Entries also expire, as in yoga's own cache. */
  readonly ttlMs: number;
}

export const DOCUMENT_CACHE_LIMITS: DocumentCacheLimits = { maxBytes: 16 * 1024 * 1024, maxDocumentChars: 64 * 1024, ttlMs: 3_600_000 };

export interface DocumentCaches {
  readonly documentCache: LRUCache<string, DocumentNode>;
  readonly errorCache: LRUCache<string, object>;
  readonly validationCache: true;
}

/** The two caches, for yoga's `parserAndValidationCache` option (validation stays yoga's, keyed by tree). */
export function documentCaches(limits: DocumentCacheLimits = DOCUMENT_CACHE_LIMITS): DocumentCaches {
  const options = {
    maxSize: limits.maxBytes,
    maxEntrySize: limits.maxDocumentChars * BYTES_PER_CHAR,
    sizeCalculation: (_value: unknown, text: string) => Math.max(1, text.length * BYTES_PER_CHAR),
    ttl: limits.ttlMs,
  };
  return { documentCache: new LRUCache<string, DocumentNode>(options), errorCache: new LRUCache<string, object>(options), validationCache: true };
}
