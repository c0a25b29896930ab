// The layer boundaries of docs/ARCHITECTURE.md ("Boundaries"), checked in
// `npm test` by scripts/boundaries.js. A layer is told by the file's place and
// name: `*.routes.ts` (edge), `*.service.ts` (use cases), `*.repository.ts`
// (queries), `src/db/` (database), `src/contract/` (zod-only schemas shared
// with the web), `web/` (the SPA). Each rule names what it protects; the
// allowlist of today's known exceptions is scripts/boundaries.allowlist.js.

/** Files of one layer, by path (relative to the repository root). */
const ROUTES = '\\.routes\\.ts$';
const MODULE_ROUTES = '^src/modules/.+\\.routes\\.ts$';
const SERVICES = '\\.service\\.ts$';
const REPOSITORIES = '\\.repository\\.ts$';
const DB = '^src/db/';
const HTTP = '^src/http/';
const CONTRACT = '^src/contract/';
const WEB = '^web/';
/** Where HTTP may be known: the HTTP layer, the routes, and the composition root that starts the server. */
const EDGE = `${HTTP}|${ROUTES}|^src/(server|main)\\.ts$`;
/** The route registry: it imports every module's routes to register them, which is its job. */
const ROUTE_REGISTRY = '^src/http/api\\.routes\\.ts$';
const FASTIFY = '^node_modules/(fastify|@fastify/[^/]+)/';

/* global module */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'routes-call-services',
      comment:
        'routes → services → repositories → db: a module route parses and presents; what it needs comes from a service, never from a repository or the database. (A table type may be named; classifying a database outage as 503 is presentation.)',
      severity: 'error',
      from: { path: MODULE_ROUTES },
      to: {
        path: `${REPOSITORIES}|${DB}`,
        pathNot: '^src/db/database\\.errors\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'services-write-no-sql',
      comment:
        'routes → services → repositories → db: a service decides and orchestrates; its queries are repository functions, so it needs Kysely for types only.',
      severity: 'error',
      from: { path: SERVICES },
      to: { path: '^node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-route-to-route',
      comment:
        'No route imports another route: what two routes share (a params schema, a presenter, a limiter) lives in the contract, a presenter or src/http.',
      severity: 'error',
      from: { path: ROUTES, pathNot: ROUTE_REGISTRY },
      to: { path: ROUTES },
    },
    {
      name: 'no-http-below-the-edge',
      comment:
        'Services, repositories, jobs and helpers never import Fastify, src/http or a route: the same use case serves HTTP, mail, the CLI and the worker.',
      severity: 'error',
      from: { path: '^src/', pathNot: EDGE },
      to: { path: `${FASTIFY}|${HTTP}|${ROUTES}` },
    },
    {
      name: 'repositories-decide-nothing',
      comment:
        'A repository holds queries: it never calls a service (side effects belong to the use case), nor the outbox runner, nor the edge.',
      severity: 'error',
      from: { path: REPOSITORIES },
      to: { path: `${SERVICES}|^src/jobs/` },
    },
    {
      name: 'db-is-the-bottom',
      comment: 'src/db (connection, migrations, table types) imports nothing of the application above it.',
      severity: 'error',
      from: { path: DB },
      to: { path: '^src/(modules|http|jobs|seed|contract)/|^src/(server|main)\\.ts$' },
    },
    {
      name: 'lib-is-generic',
      comment: 'src/lib holds small generic helpers: it imports no module, no edge, no job.',
      severity: 'error',
      // deps.ts is the use cases' runtime (Deps, transactions with the reference snapshot), not a helper.
      from: { path: '^src/lib/', pathNot: '^src/lib/deps\\.ts$' },
      to: { path: '^src/(modules|http|jobs|seed)/|^src/(server|main)\\.ts$' },
    },
    {
      name: 'modules-do-not-import-jobs',
      comment:
        'src/jobs schedules and runs the handlers the modules declare; a module never imports it (a job is queued through the outbox module).',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'tools-on-top',
      comment:
        'The composition root (src/main.ts, src/server.ts) and the seeders (src/seed, which write rows directly on purpose) use the application; nothing in it imports them.',
      severity: 'error',
      from: { path: '^src/(modules|http|jobs|lib|db|contract)/' },
      to: { path: '^src/seed/|^src/(server|main)\\.ts$' },
    },
    {
      name: 'contract-is-zod-only',
      comment:
        'src/contract is shared with the web: it imports only zod and other contract files (no Node, no Kysely, no server code).',
      severity: 'error',
      from: { path: CONTRACT },
      to: { pathNot: `${CONTRACT}|^node_modules/zod/` },
    },
    {
      name: 'web-imports-only-the-contract',
      comment:
        'The web app imports its own files, npm packages and src/contract, nothing else of the server (types included).',
      severity: 'error',
      from: { path: WEB },
      to: { pathNot: `${WEB}|${CONTRACT}|^node_modules/` },
    },
    {
      name: 'nothing-imports-the-web',
      comment: 'The server never depends on the web app.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: WEB },
    },
    {
      name: 'resolvable',
      comment: 'An import the checker cannot resolve would escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules/' },
    // Type-only imports count: the web may not even borrow a server type.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
