/**
 * The schema: domain modules register their types on the builder; this module only imports them and
 * builds an Apollo Federation v2 subgraph (`_service { sdl }` with the `@link`).
 */
import { builder } from './builder.js';
import './errors.js';
import './csr.js';
import './csr-reads.js';
import './limits.js';
import './audit.js';
import './jobs.js';
import './plans.js';

/**
 * Federation 2.9: the first version with the demand control directives (@cost, @listSize) the schema
 * carries; Apollo Router, Hive Gateway and Cosmo all compose it.
 */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.9';

export const schema = builder.toSubGraphSchema({
  linkUrl: FEDERATION_LINK,
  // Pothos' federation plugin imports only the directives it applies itself; @cost and @listSize come
  // from csr.ts, @tag from the fields that carry tags.ts' tags; @key is csr-reads.ts' CSR entity's.
  federationDirectives: ['@key', '@cost', '@listSize', '@tag'],
});
