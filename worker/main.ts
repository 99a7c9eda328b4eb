/**
 * The worker process: DATABASE_URL and TEMPORAL_ADDRESS from the environment (npm start sets them).
 *
 * It outlives its Temporal server: it waits for the server on start, and when a worker's run ends with
 * an error (the server gone too long, a fatal poll error) it connects again and runs a new worker, with
 * backoff, in this process. PostgreSQL going away fails the activities of the moment; Temporal retries
 * them and the pool reconnects by itself. SIGINT/SIGTERM (or its parent `npm start` going away) drains
 * it once and ends the process; a second signal while draining is ignored rather than thrown on.
 */
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { connectDatabase } from '../db/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { rideOutDatabaseRejections } from '../infra/unavailable';
import { createWorker, WORKFLOWS_PATH } from './create';

const config = loadConfig();
const log = createLogger('worker', config.logLevel);
rideOutDatabaseRejections((m) => log.warn(m));
// The SDK's own logs (bundler statistics, state changes) only at warn unless debugging.
Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
if (!config.databaseUrl || !config.temporalAddress) {
  log.error('DATABASE_URL and TEMPORAL_ADDRESS must be set (npm start sets them for the embedded defaults)');
  process.exit(1);
}
const address = config.temporalAddress;

let stopping = false;
let worker: Worker | undefined;
let wake: (() => void) | undefined;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

function stop(why: string) {
  if (stopping) return;
  stopping = true;
  log.info(`stopping (${why})`);
  wake?.();
  if (worker && worker.getState() === 'RUNNING') worker.shutdown();
  // Whatever hangs (a server that does not answer the drain), the process ends.
  setTimeout(() => {
    log.warn('worker did not stop in time; exiting');
    process.exit(1);
  }, 20_000).unref();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Started by npm start with an IPC channel: when the supervisor goes away, so does this worker.
if (process.send) process.on('disconnect', () => stop('supervisor gone'));

const database = connectDatabase(config.databaseUrl, { max: 20 });
// Bundled once: a worker made again after a lost server reuses it. WORKFLOW_BUNDLE names a prebuilt
// bundle (the tests build one for all their workers).
const workflowBundle = process.env.WORKFLOW_BUNDLE
  ? { code: readFileSync(process.env.WORKFLOW_BUNDLE, 'utf8') }
  : await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });

/** Connects to Temporal, retrying with backoff until it answers or the process is asked to stop. */
async function connect<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  for (let attempt = 0; !stopping; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = Math.min(500 * 2 ** attempt, 10_000);
      if (attempt === 0 || attempt % 10 === 0)
        log.warn(`cannot reach Temporal at ${address} (${what}): ${(err as Error).message}; retrying every ≤${delay / 1000} s`);
      await sleep(delay);
    }
  }
  return undefined;
}

let failures = 0;
while (!stopping) {
  const connection = await connect('worker connection', () => NativeConnection.connect({ address }));
  const clientConnection = await connect('client connection', () => Connection.connect({ address }));
  if (!connection || !clientConnection) {
    await connection?.close().catch(() => undefined);
    break;
  }
  const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const startedAt = Date.now();
  try {
    worker = await createWorker({
      connection,
      db: database.db,
      temporal,
      taskQueue: config.taskQueue,
      namespace: config.temporalNamespace,
      workflowBundle,
      options: config.workerCachedWorkflows ? { maxCachedWorkflows: config.workerCachedWorkflows } : undefined,
    });
    if (stopping) break;
    log.info(`worker polling task queue "${config.taskQueue}" on ${address}`);
    await worker.run();
  } catch (err) {
    if (!stopping) {
      if (Date.now() - startedAt > 60_000) failures = 0;
      const delay = Math.min(1000 * 2 ** failures++, 30_000);
      log.error({ err }, `worker stopped with an error; a new one starts in ${delay / 1000} s`);
      await sleep(delay);
    }
  } finally {
    worker = undefined;
    await connection.close().catch(() => undefined);
    await clientConnection.close().catch(() => undefined);
  }
}
await database.close().catch(() => undefined);
log.info('worker stopped');
process.exit(0);
