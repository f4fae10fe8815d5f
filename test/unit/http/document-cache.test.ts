/**
 * Yoga's parse caches bounded by bytes (src/http/document-cache.ts), through yoga itself: many
 * distinct large documents, valid and invalid, leave the caches within their budget, and small
 * documents are still cached (the cache still does its job).
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { BYTES_PER_CHAR, documentCaches } from '../../../src/http/document-cache.js';

const LIMITS = { maxBytes: 4 * 1024 * 1024, maxDocumentChars: 16 * 1024, ttlMs: 60_000 };

function server() {
  const caches = documentCaches(LIMITS);
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }),
    parserAndValidationCache: caches,
    logging: false,
  });
  const post = (query: string) =>
    yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    });
  return { caches, post };
}

describe('the parse caches', () => {
  it('stay within their byte budget under many distinct large documents, valid and invalid', async () => {
    const { caches, post } = server();
    for (let n = 0; n < 20; n += 1) {
      // A comment costs no tokens: 200 KB of text for a one-field query.
      const padding = `# ${String(n).padStart(6, '0')} ${'x'.repeat(200_000)}\n`;
      expect((await post(`${padding}{ hello }`)).status).toBe(200);
      await post(`${padding}{ hello `); // a syntax error, with the whole text in its source
    }
    expect(caches.documentCache.size).toBe(0);
    expect(caches.errorCache.size).toBe(0);
    // Mid-sized ones are cached up to the budget, then the oldest go.
    for (let n = 0; n < 300; n += 1) {
      await post(`# ${n} ${'y'.repeat(5_000)}\n{ hello }`);
      await post(`# ${n} ${'y'.repeat(5_000)}\n{ hello `);
    }
    expect(caches.documentCache.calculatedSize).toBeLessThanOrEqual(LIMITS.maxBytes);
    expect(caches.errorCache.calculatedSize).toBeLessThanOrEqual(LIMITS.maxBytes);
    expect(caches.documentCache.size).toBeLessThan(LIMITS.maxBytes / (5_000 * BYTES_PER_CHAR) + 1);
    expect(caches.documentCache.size).toBeGreaterThan(0);
  });

  it('still cache small documents: the same text parses once', async () => {
    const { caches, post } = server();
    await post('{ hello }');
    const first = caches.documentCache.get('{ hello }');
    expect(first).toBeDefined();
    expect(await (await post('{ hello }')).json()).toEqual({ data: { hello: 'world' } });
    expect(caches.documentCache.get('{ hello }')).toBe(first);
  });
});
