/**
 * `npm run start:cluster`: the production shape on one machine, for those who outgrow one process.
 * PostgreSQL (embedded, or DATABASE_URL's server) holds the app database and the two Temporal databases,
 * whose schemas are set up or upgraded on every start; the four Temporal services (frontend, history,
 * matching, worker) run as separate processes from one generated configuration; then CLUSTER_WORKERS
 * (2) project worker processes and the API with the admin UI. Every child is supervised as in
 * `npm start` (started again with backoff when it dies); Ctrl-C stops everything; a second start keeps
 * the data (DATA_DIR, `.data-cluster/` by default). The Temporal Web UI is not built here.
 *
 * Settings: TEMPORAL_PORT (the frontend), TEMPORAL_HISTORY_SHARDS (4; fixed once the cluster exists),
 * CLUSTER_WORKERS, TEMPORAL_LOG_LEVEL (error), and those of `npm start` (API_PORT, EMBEDDED_PG_PORT …).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { embeddedPgDir, loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../infra/postgres';
import { findOrBuildTemporalServer } from '../infra/temporal-cluster/binaries';
import { clusterLayout, probePort, TEMPORAL_SERVICES, writeClusterConfig } from '../infra/temporal-cluster/config';
import { ensureNamespace } from '../infra/temporal-cluster/namespace';
import { ensureTemporalSchemas, postgresTarget } from '../infra/temporal-cluster/schema';
import { spawnTemporalService } from '../infra/temporal-cluster/services';
import { buildAdminUiIfStale } from './build-ui';
import { seedDemo } from './demo/seed';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/users';
import { bundleWorkflowsOnce, createSupervisor, waitForHealth, withinMs, workerProcessEnv } from './supervisor';

const env: NodeJS.ProcessEnv = { DATA_DIR: '.data-cluster', ...process.env };
const config = loadConfig(env);
const log = createLogger('cluster', config.logLevel);
const shards = Number(env.TEMPORAL_HISTORY_SHARDS ?? 4);
const workers = Number(env.CLUSTER_WORKERS ?? 2);
const workerNames = Array.from({ length: workers }, (_, i) => `worker-${i + 1}`);
let pg: EmbeddedPostgresHandle | undefined;

const supervisor = createSupervisor(log, {
  // The API, then the project workers (they drain), then the Temporal services (the frontend first, so
  // that nothing new comes in), then PostgreSQL.
  stopOrder: ['api', ...workerNames, 'temporal-frontend', 'temporal-worker', 'temporal-matching', 'temporal-history'],
  afterChildren: async () => {
    await withinMs(
      30_000,
      pg?.stop().catch((err) => log.warn({ err }, 'PostgreSQL stop failed')),
      () => log.warn('PostgreSQL did not stop within 30 s; exiting without waiting for it'),
    );
  },
});

async function main() {
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres({ dataDir: embeddedPgDir(config), port: config.embeddedPostgresPort, log: (m) => log.info(m) });
    databaseUrl = await pg.createDatabase('wpzf');
    log.info(`PostgreSQL (embedded) on port ${config.embeddedPostgresPort}, data in ${embeddedPgDir(config)}`);
  } else {
    log.info('PostgreSQL from DATABASE_URL');
  }
  const database = connectDatabase(databaseUrl, { max: 4 });
  await applyMigrations(database.db);
  log.info('migrations applied');

  // The Temporal databases live on the same server as the app's, under the same role.
  const target = postgresTarget(databaseUrl);
  const bin = await findOrBuildTemporalServer((m) => log.info(m));
  for (const line of await ensureTemporalSchemas(bin, target)) log.info(`Temporal schema: ${line}`);
  const layout = await clusterLayout(config.dataDir, { frontendPort: config.temporalPort, shards });
  writeClusterConfig(layout, target, env.TEMPORAL_LOG_LEVEL ?? 'error');
  log.info(`Temporal configuration in ${path.join(layout.root, 'config')} (${shards} history shards)`);

  for (const service of ['history', 'matching', 'frontend', 'worker'] as const) {
    await supervisor.supervise(`temporal-${service}`, async () => {
      const p = await spawnTemporalService({ bin, layout, service, detached: true, onLog: (line) => log.warn(`temporal-${service}: ${line}`) });
      return { pid: p.child.pid, exited: p.exited, stop: () => p.stop() };
    });
    log.info(`Temporal ${service} on port ${probePort(layout, service)}`);
  }
  const temporalAddress = `127.0.0.1:${layout.ports.frontend.grpc}`;
  await ensureNamespace(temporalAddress, config.temporalNamespace);
  log.info(`namespace ${config.temporalNamespace} with its search attributes`);

  await buildAdminUiIfStale((m) => log.info(m));
  const childEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    TEMPORAL_SERVICES: TEMPORAL_SERVICES.map((s) => `${s}=127.0.0.1:${probePort(layout, s)}`).join(','),
    WORKFLOW_BUNDLE: await bundleWorkflowsOnce(config.dataDir, log),
  };
  for (const name of workerNames) await supervisor.supervise(name, () => supervisor.spawnNode(name, 'worker/main.ts', { ...childEnv, ...workerProcessEnv() }));
  await supervisor.supervise('api', () => supervisor.spawnNode('api', 'api/main.ts', childEnv));
  const base = `http://${config.apiHost === '0.0.0.0' ? '127.0.0.1' : config.apiHost}:${config.apiPort}`;
  // Ready once every project worker polls (the health check counts the pollers).
  let health = await waitForHealth(`${base}/api/health`);
  for (let until = Date.now() + 60_000; ((health.worker as { pollers?: number }).pollers ?? 0) < workers && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 500));
    health = await waitForHealth(`${base}/api/health`);
  }

  const connection = await Connection.connect({ address: temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  if (await seedDemo({ db: database.db, temporal, taskQueue: config.taskQueue, uploadsDir: config.uploadsDir, log: (m) => log.info(m) })) {
    log.info('demo data loaded');
  }
  await connection.close();
  await database.close();

  const services = supervisor.supervised.map((s) => `    ${s.name.padEnd(18)} pid ${s.current?.pid ?? '?'}`).join('\n');
  const logins = DEMO_USERS.map((u) => `    ${u.username.padEnd(15)} ${u.displayName}`).join('\n');
  console.log(`
卫片执法 (cluster) is ready in ${((Date.now() - started) / 1000).toFixed(1)} s   (health: ${JSON.stringify(health)})

  Admin UI          ${base}/
  API               ${base}/api   (OpenAPI: ${base}/api/docs)
  Temporal          ${temporalAddress}   (${shards} history shards; no Web UI: use the temporal CLI)
  PostgreSQL        ${pg ? `embedded on port ${config.embeddedPostgresPort}` : 'DATABASE_URL'}: databases wpzf, temporal, temporal_visibility

  Services:
${services}

  Demo logins (password ${DEMO_PASSWORD}):
${logins}

  Ctrl-C stops everything; data stays in ${config.dataDir}.
ready`);
}

main().catch(async (err) => {
  log.error(err);
  await supervisor.stopAll(1);
});
