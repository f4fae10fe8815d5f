/**
 * A second subgraph for the federation tests, standing in for another team's service: it owns SSL
 * certificates (an entity, keyed by `id`) and has its own `Query` fields. Plain SDL with
 * `@apollo/subgraph` rather than Pothos, so that it shares no builder (nor Pothos' global type
 * augmentation) with the gateway's schema, as a separately deployed subgraph would not.
 *
 * It records the `Authorization` header of every request it answers, so tests can see what the
 * federation gateway forwarded to it.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { serveOnLoopback } from './loopback.js';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  "An issued SSL certificate, and the CSR it was issued from."
  type Certificate @key(fields: "id") {
    id: ID!
    domain: String!
    "The CSR the certificate was issued from; batchDeleteCSRs may delete it once the certificate is issued."
    csrId: Int!
    "The same CSR as an entity, resolved by the gateway's subgraph (a reference: only its id is known here)."
    csr: CSR!
  }

  type CSR @key(fields: "id", resolvable: false) {
    id: Int!
  }

  type Query {
    "Certificates whose CSR is still stored."
    certificatesWithStoredCSR: [Certificate!]!
  }
`);

interface Certificate {
  readonly id: string;
  readonly domain: string;
  readonly csrId: number;
}

export const CERTIFICATES: readonly Certificate[] = [
  { id: 'cert-1', domain: 'www.example.com', csrId: 11 },
  { id: 'cert-2', domain: 'api.example.com', csrId: 12 },
];

export interface CertificatesSubgraph {
  readonly url: string;
  /** The `Authorization` header of each request answered, in order (`null` when absent). */
  readonly authorizations: (string | null)[];
  close(): Promise<void>;
}

export async function startCertificatesSubgraph(): Promise<CertificatesSubgraph> {
  const authorizations: (string | null)[] = [];
  const byId = new Map(CERTIFICATES.map((certificate) => [certificate.id, certificate]));
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        certificatesWithStoredCSR: (_root: unknown, _args: unknown, context: unknown) => {
          // yoga's context; buildSubgraphSchema's resolver map types every context as unknown.
          authorizations.push((context as YogaInitialContext).request.headers.get('authorization'));
          return CERTIFICATES;
        },
      },
      Certificate: {
        __resolveReference: (reference: { id: string }) => byId.get(reference.id) ?? null,
        csr: (certificate: Certificate) => ({ id: certificate.csrId }),
      },
    },
  });
  const yoga = createYoga({ schema, graphiql: false, landingPage: false, logging: false });
  const server = await serveOnLoopback(yoga, () => yoga.dispose());
  return { url: server.url, authorizations, close: () => server.close() };
}
