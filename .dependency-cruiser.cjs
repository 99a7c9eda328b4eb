/**
 * The dependency rules (`npm run lint:deps`). Folders are layers, and imports go one way, downward:
 *
 *   domain/            pure rules and types (no I/O, no node: modules; of packages, only @temporalio/common's
 *                      search attribute keys, and zod in domain/schemas/)
 *   infra/             configuration, logging, the local servers, what "unavailable" means
 *   db/                the schema and the shared row writers (audit, notifications, policy store)
 *   workflows/         deterministic workflow code: workflows/, domain/ (outside domain/schemas), @temporalio/workflow,
 *                      and only *types* from activities/
 *   activities/        the side effects the workflows order
 *   services/          use cases shared by the API and the importer (issuing a patch)
 *   ingest/            batch import
 *   api/               the HTTP API
 *   worker/, scripts/, bench/   entry points
 *
 * A rule per layer forbids importing any layer above it, so there can be no cycle between folders; `no-circular`
 * forbids cycles between files as well.
 */
const above = (...folders) => `^(${folders.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle between files: split out what both need (see README, "Layers").',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure rules and types: it imports only domain/.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: above('infra', 'db', 'workflows', 'activities', 'services', 'ingest', 'api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'domain-no-side-effects',
      comment:
        'domain/ runs inside workflows: no node: modules, and no package at run time but @temporalio/common (search attribute keys, which @temporalio/workflow itself builds on) and geographiclib-geodesic (pure arithmetic: the ellipsoidal area, domain/area.ts); zod only in domain/schemas/, which workflows may not import.',
      severity: 'error',
      from: { path: '^domain/', pathNot: '^domain/schemas/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        dependencyTypesNot: ['type-only'],
        pathNot: '(^|/)node_modules/(@temporalio/common|geographiclib-geodesic)/',
      },
    },
    {
      name: 'infra-below-db',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: above('db', 'workflows', 'activities', 'services', 'ingest', 'api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'db-below-activities',
      comment: 'db/ is below every writer: a writer shared by activities and the API lives in db/ (db/audit.ts, db/notifications.ts).',
      severity: 'error',
      from: { path: '^db/' },
      to: { path: above('workflows', 'activities', 'services', 'ingest', 'api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'activities-below-workflows-and-api',
      comment: 'Activities import the messages they share with workflows from domain/messages.ts, not from workflows/.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: above('workflows', 'services', 'ingest', 'api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'workflows-deterministic',
      comment: 'workflows/ imports workflows/, domain/ and @temporalio/workflow: nothing with side effects (db/, infra/, node: modules, zod).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: above('infra', 'db', 'services', 'ingest', 'api', 'worker', 'scripts', 'bench', 'test', 'domain/schemas') },
    },
    {
      name: 'workflows-only-types-from-activities',
      comment: 'A workflow calls activities through proxyActivities<typeof …>: it imports their types, never their code.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-no-node-or-packages',
      comment: 'Only @temporalio/workflow at run time (types from other packages are erased).',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        dependencyTypesNot: ['type-only'],
        pathNot: '(^|/)node_modules/@temporalio/workflow/',
      },
    },
    {
      name: 'services-below-api-and-ingest',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: above('ingest', 'api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'services-only-types-from-workflows',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: '^workflows/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ingest-below-api',
      comment: 'What the API and the importer share lives in services/ or infra/.',
      severity: 'error',
      from: { path: '^ingest/' },
      to: { path: above('api', 'worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'api-below-entry-points',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: above('worker', 'scripts', 'bench', 'test') },
    },
    {
      name: 'worker-below-entry-points',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: above('scripts', 'bench', 'test') },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(admin-ui|\\.data|\\.tools)/' },
    // Type-only imports count: `workflows-only-types-from-activities` tells them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mjs', '.js', '.cjs', '.json', '.d.ts'],
    },
  },
};
