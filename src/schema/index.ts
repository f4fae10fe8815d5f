/**
 * The schema: domain modules register their types on the builder; this module only imports them and
 * builds an Apollo Federation v2 subgraph (`_service { sdl }` with the `@link`).
 */
import { builder } from './builder.js';
import './errors.js';
import './csr.js';
import './limits.js';
import './audit.js';

/** Federation 2.6: the newest spec the supported routers (and @apollo/composition 2.14) all know. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

export const schema = builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK });
