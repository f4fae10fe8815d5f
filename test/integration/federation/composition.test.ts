/**
 * The gateway is an Apollo Federation v2 subgraph that composes: its SDL, read over HTTP the way a
 * router or `rover subgraph introspect` reads it, composes with another team's subgraph (its own
 * `Query` fields and an entity), and the composed API schema offers clients exactly the gateway's
 * own types. Apollo's composition unless a test says otherwise; The Guild's and Cosmo's compose it too.
 */
import { readFile } from 'node:fs/promises';
import {
  isIntrospectionType,
  isSpecifiedScalarType,
  lexicographicSortSchema,
  parse,
  printType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEDERATION_LINK, schema as subgraphSchema } from '../../../src/schema/index.js';
import { startRig, type Rig } from '../../support/gateway.js';
import { startCertificatesSubgraph, type CertificatesSubgraph } from './certificates-subgraph.js';
import {
  composeSupergraph,
  composeSupergraphWithCosmo,
  composeSupergraphWithGuild,
  fetchSubgraphSdl,
  introspectSubgraph,
  type ServiceDefinition,
} from './supergraph.js';

let rig: Rig;
let certificates: CertificatesSubgraph;
let services: ServiceDefinition[];

beforeAll(async () => {
  [rig, certificates] = await Promise.all([startRig(), startCertificatesSubgraph()]);
  services = await Promise.all([
    introspectSubgraph({ name: 'csr-deletion', url: rig.url }),
    introspectSubgraph({ name: 'certificates', url: certificates.url }),
  ]);
});

afterAll(async () => {
  await Promise.all([rig?.close(), certificates?.close()]);
});

/** The gateway's own named types: what it contributes to the supergraph's API schema. */
function ownTypeNames(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => !isIntrospectionType(type) && !isSpecifiedScalarType(type) && !type.name.startsWith('_'))
    .filter((type) => !['Query', 'Mutation'].includes(type.name))
    .map((type) => type.name)
    .sort();
}

describe('federation composition', () => {
  it('serves a Federation v2 SDL with its @link over HTTP', async () => {
    const sdl = await fetchSubgraphSdl(rig.url);
    expect(sdl).toContain(`@link(url: "${FEDERATION_LINK}"`);
    expect(sdl).toContain('batchDeleteCSRs(');
    // The SDL is the subgraph's own, not the supergraph-facing one with _service/_entities in it.
    expect(sdl).not.toContain('_service');
  });

  it('composes with another subgraph that has its own Query fields and an entity', () => {
    const composition = composeSupergraph(services);
    const api = composition.schema.toAPISchema().toGraphQLJSSchema();

    expect(Object.keys(api.getQueryType()?.getFields() ?? {}).sort()).toEqual(['certificatesWithStoredCSR', 'csr', 'csrDeletionAudit', 'csrDeletionJob', 'csrDeletionJobs', 'csrDeletionLimits', 'csrs']);
    expect(Object.keys(api.getMutationType()?.getFields() ?? {})).toEqual(['batchDeleteCSRs', 'startCSRDeletion', 'cancelCSRDeletion', 'planCSRDeletion']);
    expect(api.getType('Certificate')).toBeDefined();
    // Both subgraphs joined, each with its URL, so a router knows where to send each field.
    expect(composition.supergraphSdl).toMatch(/CSR_DELETION @join__graph\(name: "csr-deletion", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
    expect(composition.supergraphSdl).toMatch(/CERTIFICATES @join__graph\(name: "certificates", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
  });

  it("keeps every one of the gateway's types exactly as the subgraph defines it, descriptions included", () => {
    // Field order is not part of a type: the subgraph SDL comes out sorted.
    const api = lexicographicSortSchema(composeSupergraph(services).schema.toAPISchema().toGraphQLJSSchema());
    const own = lexicographicSortSchema(subgraphSchema);
    const mutationField = (schema: GraphQLSchema) => schema.getMutationType()?.getFields().batchDeleteCSRs;

    for (const name of ownTypeNames(own)) {
      const composed = api.getType(name);
      expect(composed, `${name} is missing from the supergraph`).toBeDefined();
      expect(printType(composed!), name).toBe(printType(own.getType(name)!));
    }
    expect(mutationField(api)?.description).toBe(mutationField(own)?.description);
    expect(String(mutationField(api)?.type)).toBe('BatchDeleteCSRsResult!');
  });

  it('carries its demand control hints into the supergraph, with either composition', () => {
    // What Apollo Router (composed by rover or GraphOS) and Hive Gateway price operations from.
    for (const supergraphSdl of [composeSupergraph(services).supergraphSdl, composeSupergraphWithGuild(services)]) {
      expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/cost/v0.1"');
      expect(supergraphSdl).toContain('ids: [Int!]! @cost(weight: 1)');
      expect(supergraphSdl).toContain('errors: [TencentCloudError!]! @listSize(assumedSize: 10)');
    }
  });

  it("composes with Cosmo's composition too, which reads the hints into Cosmo Router's cost config", () => {
    const federation = composeSupergraphWithCosmo(services);
    const api = federation.federatedGraphClientSchema;
    expect(Object.keys(api.getMutationType()?.getFields() ?? {})).toEqual(['batchDeleteCSRs', 'startCSRDeletion', 'cancelCSRDeletion', 'planCSRDeletion']);
    const costs = federation.subgraphConfigBySubgraphName.get('csr-deletion')?.costs;
    expect(costs?.fieldWeights.get('Mutation.batchDeleteCSRs')?.argumentWeights.get('ids')).toBe(1);
    expect(costs?.listSizes.get('BatchDeleteCSRsSuccess.errors')?.assumedSize).toBe(10);
  });

  it('composes from the committed schema/schema.graphql too, as docs/federation.md tells rover users', async () => {
    const committed = await readFile(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8');
    const fromFile = { name: 'csr-deletion', url: rig.url, typeDefs: parse(committed) };
    const api = composeSupergraph([fromFile, services[1]!]).schema.toAPISchema().toGraphQLJSSchema();
    expect(api.getMutationType()?.getFields().batchDeleteCSRs).toBeDefined();
  });

  it('fails naming every conflict when another subgraph reuses one of its type names differently', () => {
    // Type names are global in a supergraph: generic error names are where teams collide.
    const rival: ServiceDefinition = {
      name: 'rival',
      url: 'http://127.0.0.1:1/graphql',
      typeDefs: parse(/* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
        type Query { rivalStatus: InvalidParameterError }
        type InvalidParameterError { code: Int! message: String! }
      `),
    };
    const failure = (() => {
      try {
        composeSupergraph([...services, rival]);
      } catch (error) {
        return (error as Error).message.split('\n');
      }
      return [];
    })();
    expect(failure[0]).toBe('composition failed:');
    expect(failure.slice(1)).toEqual([
      expect.stringMatching(/^- Type of field "InvalidParameterError.code" is incompatible across subgraphs/),
      expect.stringMatching(/^- Non-shareable field "InvalidParameterError.code" is resolved from multiple subgraphs/),
      expect.stringMatching(/^- Non-shareable field "InvalidParameterError.message" is resolved from multiple subgraphs/),
    ]);
  });
});
