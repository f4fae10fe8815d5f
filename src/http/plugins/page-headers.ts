/**
 * Headers for the HTML the gateway serves (GraphiQL): a page that can delete CSRs on a click must not
 * be framed by another site (clickjacking), nor load code from anywhere but the gateway itself.
 *
 * GraphiQL's page has small inline scripts (its options) and its bundle uses eval-like code paths and
 * blob workers, hence those allowances; everything it loads comes from the gateway's own routes.
 * GraphQL answers (JSON) carry none of this: browsers do not render them.
 */
import type { Plugin } from 'graphql-yoga';

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'none'",
].join('; ');

export function usePageHeaders(): Plugin {
  return {
    onResponse({ response }) {
      if (!response.headers.get('content-type')?.startsWith('text/html')) return;
      response.headers.set('content-security-policy', PAGE_CSP);
      response.headers.set('x-frame-options', 'DENY');
      response.headers.set('x-content-type-options', 'nosniff');
      response.headers.set('referrer-policy', 'no-referrer');
    },
  };
}
