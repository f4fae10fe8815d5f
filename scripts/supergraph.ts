/**
 * `npm run supergraph`: composes a supergraph of this gateway's subgraph, from npm packages alone
 * (The Guild's @theguild/federation-composition, what Hive's registry and Hive Gateway use; no rover
 * binary), and writes it for a router: `hive-gateway supergraph supergraph.graphql`, or Apollo
 * Router's `--supergraph`.
 *
 *   npm run supergraph -- [--url http://localhost:4000/graphql] [--sdl schema/schema.graphql]
 *                         [--name csr-deletion] [--out supergraph.graphql | -]
 *
 * `--url` is where the router reaches the gateway; `--sdl` the subgraph's SDL (the committed one, which
 * equals the running gateway's `_service { sdl }`). More subgraphs are your platform's composition's
 * business (Hive's registry, GraphOS, Cosmo): this command covers trying the gateway behind a router.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

export const DEFAULTS = {
  name: 'csr-deletion',
  url: 'http://localhost:4000/graphql',
  sdl: 'schema/schema.graphql',
  out: 'supergraph.graphql',
} as const;

/** The supergraph SDL of one subgraph; throws with every composition error, one a line. */
export function composeSupergraph(subgraph: { name: string; url: string; sdl: string }): string {
  const composition = composeServices([{ name: subgraph.name, url: subgraph.url, typeDefs: parse(subgraph.sdl) }]);
  if (composition.errors) throw new Error(`composition failed:\n${composition.errors.map((error) => `- ${error.message}`).join('\n')}`);
  return composition.supergraphSdl;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      name: { type: 'string', default: DEFAULTS.name },
      url: { type: 'string', default: DEFAULTS.url },
      sdl: { type: 'string', default: DEFAULTS.sdl },
      out: { type: 'string', default: DEFAULTS.out },
    },
  });
  const supergraph = composeSupergraph({ name: values.name, url: values.url, sdl: readFileSync(values.sdl, 'utf8') });
  if (values.out === '-') process.stdout.write(supergraph);
  else {
    writeFileSync(values.out, supergraph);
    console.error(`wrote ${values.out}: subgraph ${values.name} at ${values.url}`);
  }
}
