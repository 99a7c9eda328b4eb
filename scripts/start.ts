/**
 * `npm start`: the whole system on embedded defaults (or on DATABASE_URL / TEMPORAL_ADDRESS when set).
 * PostgreSQL → migrations → Temporal dev server → admin UI build → worker and API processes → demo data
 * (once) → "ready" with the URLs and demo logins. Ctrl-C stops every child; the next start keeps the data.
 *
 * While it runs it supervises the worker, the API and the Temporal dev server: one that dies is started
 * again with backoff (logged) and the others stay up; the worker and the API reconnect by themselves to
 * a Temporal or PostgreSQL that comes back, and /api/health names what is down meanwhile.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { embeddedPgDir, loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../infra/postgres';
import { registerSearchAttributes } from '../infra/search-attributes';
import { findOrBuildTemporalCli } from '../infra/temporal-cli';
import { spawnDevServerProcess, startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { buildAdminUiIfStale } from './build-ui';
import { seedDemo } from './demo/seed';
import { bundleWorkflowsOnce, createSupervisor, waitForHealth, withinMs, workerProcessEnv } from './supervisor';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/users';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
let pg: EmbeddedPostgresHandle | undefined;
let devServer: DevServer | undefined;
const supervisor = createSupervisor(log, {
  // The API first (no new requests, imports stop between starts), then the worker (drains), then the
  // servers they use.
  stopOrder: ['api', 'worker', 'Temporal dev server'],
  afterChildren: async () => {
    await devServer?.stop().catch((err) => log.warn({ err }, 'Temporal dev server stop failed'));
    await withinMs(
      30_000,
      pg?.stop().catch((err) => log.warn({ err }, 'PostgreSQL stop failed')),
      () => log.warn('PostgreSQL did not stop within 30 s; exiting without waiting for it'),
    );
  },
});
const { supervise, stopAll } = supervisor;
const spawnChild = supervisor.spawnNode;

async function main() {
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres({
      dataDir: embeddedPgDir(config),
      port: config.embeddedPostgresPort,
      log: (m) => log.info(m),
    });
    databaseUrl = await pg.createDatabase('wpzf');
    log.info(`PostgreSQL (embedded) on port ${config.embeddedPostgresPort}, data in ${embeddedPgDir(config)}`);
  } else {
    log.info('PostgreSQL from DATABASE_URL');
  }
  const database = connectDatabase(databaseUrl, { max: 4 });
  await applyMigrations(database.db);
  log.info('migrations applied');

  let temporalAddress = config.temporalAddress;
  if (!temporalAddress) {
    const dbFilename = path.join(config.dataDir, 'temporal.db');
    const cli = await findOrBuildTemporalCli((m) => log.info(m));
    if (cli) {
      // Run as a child of this script, so that it is started again when it dies.
      await supervise('Temporal dev server', async () => {
        const server = await spawnDevServerProcess({
          cli,
          port: config.temporalPort,
          uiPort: config.temporalUiPort,
          dbFilename,
          namespace: config.temporalNamespace,
          detached: true,
        });
        return { pid: server.child.pid, exited: server.exited, stop: () => server.stop() };
      });
    } else {
      // The SDK's download of the dev server, which it runs itself: not supervised.
      devServer = await startDevServer({ dbFilename, port: config.temporalPort, ui: true, uiPort: config.temporalUiPort, log: (m) => log.info(m) });
    }
    temporalAddress = `127.0.0.1:${config.temporalPort}`;
    log.info(`Temporal dev server on ${temporalAddress}, state in ${path.join(config.dataDir, 'temporal.db')}`);
  } else {
    log.info(`Temporal at ${temporalAddress}`);
  }
  const connection = await Connection.connect({ address: temporalAddress });
  await registerSearchAttributes(connection, config.temporalNamespace).catch((err) =>
    log.warn(`could not register search attributes (register them with the temporal CLI): ${(err as Error).message}`),
  );
  const temporal = new Client({ connection, namespace: config.temporalNamespace });

  await buildAdminUiIfStale((m) => log.info(m));

  const childEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    WORKFLOW_BUNDLE: await bundleWorkflowsOnce(config.dataDir, log),
  };
  await supervise('worker', () => spawnChild('worker', 'worker/main.ts', { ...childEnv, ...workerProcessEnv() }));
  await supervise('api', () => spawnChild('api', 'api/main.ts', childEnv));
  const base = `http://${config.apiHost === '0.0.0.0' ? '127.0.0.1' : config.apiHost}:${config.apiPort}`;
  const health = await waitForHealth(`${base}/api/health`);

  if (await seedDemo({ db: database.db, temporal, taskQueue: config.taskQueue, uploadsDir: config.uploadsDir, log: (m) => log.info(m) })) {
    log.info('demo data loaded');
  }
  await connection.close();
  await database.close();

  const logins = DEMO_USERS.map((u) => `    ${u.username.padEnd(15)} ${u.displayName}`).join('\n');
  console.log(`
卫片执法 is ready in ${((Date.now() - started) / 1000).toFixed(1)} s   (health: ${JSON.stringify(health)})

  Admin UI          ${base}/
  API               ${base}/api   (OpenAPI: ${base}/api/docs)
  Temporal Web UI   ${config.temporalAddress ? '(external cluster)' : `http://127.0.0.1:${config.temporalUiPort}`}

  Demo logins (password ${DEMO_PASSWORD}):
${logins}

  Ctrl-C stops everything; data stays in ${config.dataDir}.
ready`);
}

main().catch(async (err) => {
  log.error(err);
  await stopAll(1);
});
