/**
 * The layers of src/, lowest first (docs/architecture.md draws them). A module imports from its own
 * layer and the layers below it, never from one above; and no import cycle, anywhere. `npm run lint`
 * runs this check (CI runs lint); test/integration/repo/layers.test.ts shows it failing on a cycle
 * and on an upward import.
 *
 *   wiring       server.ts, main.ts, gateway/, simulator/   puts the rest together
 *   http         http/                                      the edge: yoga plugins, routes, auth
 *   schema       schema/                                    Pothos types and resolvers
 *   jobs         jobs/                                      durable deletion jobs, through the deletion service
 *   deletion     deletion/                                  the one way into the engine
 *   around       audit/, observability/                     the audit trail, metrics, spans
 *   tencent      tencent/ (but codes)                       the client, signing, credentials
 *   engine       engine/                                    batching, rate limit; owns the client interface
 *   vocabulary   tencent/codes.ts, tencent/code-catalogue.ts  error codes and failures
 *   foundation   config.ts, logger.ts, retention.ts, startup-errors.ts, operation/ (GraphQL operation planning),
 *                migrations/ (the schema migrations runner the job database and the audit trail share)
 */
const VOCABULARY = '^src/tencent/(codes|code-catalogue)\\.ts$';

/** Lowest first. `pathNot` keeps a layer from claiming a lower layer's files inside its folder. */
const LAYERS = [
  { name: 'foundation', path: '^src/(config|logger|retention|startup-errors)\\.ts$|^src/(operation|migrations)/' },
  { name: 'vocabulary', path: VOCABULARY },
  { name: 'engine', path: '^src/engine/' },
  { name: 'tencent', path: '^src/tencent/', pathNot: VOCABULARY },
  { name: 'around', path: '^src/(audit|observability)/' },
  { name: 'deletion', path: '^src/deletion/' },
  { name: 'jobs', path: '^src/jobs/' },
  { name: 'schema', path: '^src/schema/' },
  { name: 'http', path: '^src/http/' },
  { name: 'wiring', path: '^src/(gateway/|simulator/|server\\.ts$|main\\.ts$)' },
];

const upward = LAYERS.flatMap((lower, index) =>
  LAYERS.slice(index + 1).map((higher) => ({
    name: `no-upward-${lower.name}-to-${higher.name}`,
    comment: `${lower.name} is below ${higher.name}: it may not import from it (.dependency-cruiser.cjs lists the layers)`,
    severity: 'error',
    from: { path: lower.path, ...(lower.pathNot ? { pathNot: lower.pathNot } : {}) },
    to: { path: higher.path, ...(higher.pathNot ? { pathNot: higher.pathNot } : {}) },
  })),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: the modules in it cannot be read, tested or layered one without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unlayered',
      comment: 'Every module of src/ belongs to a layer: add its folder to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((layer) => `(${layer.path})`).join('|') },
      to: {},
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type imported from a layer above is still an arrow running back up.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
