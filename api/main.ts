/**
 * The API process: DATABASE_URL and TEMPORAL_ADDRESS from the environment (npm start sets them).
 *
 * It listens whether or not Temporal answers: its client connection is lazy and reconnects by itself
 * when the server returns (requests that need Temporal meanwhile answer 503 with Retry-After, and
 * /api/health says what is down). SIGINT/SIGTERM (or its parent `npm start` going away) closes it once;
 * a close that hangs still ends the process.
 */
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { rideOutDatabaseRejections } from '../infra/unavailable';
import { buildApp } from './app';
import { startBroadcastSweep } from './services/policy-broadcasts';

const config = loadConfig();
const log = createLogger('api', config.logLevel);
rideOutDatabaseRejections((m) => log.warn(m));
if (!config.databaseUrl || !config.temporalAddress) {
  log.error('DATABASE_URL and TEMPORAL_ADDRESS must be set (npm start sets them for the embedded defaults)');
  process.exit(1);
}
let closing: Promise<void> | undefined;
let close = async () => process.exit(0);
const shutdown = (why: string) => {
  if (closing) return;
  log.info(`stopping (${why})`);
  setTimeout(() => {
    log.warn('API did not close in time; exiting');
    process.exit(1);
  }, 10_000).unref();
  closing = close();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
// Started by npm start with an IPC channel: when the supervisor goes away, so does this API.
if (process.send) process.on('disconnect', () => shutdown('supervisor gone'));

const database = connectDatabase(config.databaseUrl, { max: 20 });
const connection = Connection.lazy({ address: config.temporalAddress });
const temporal = new Client({ connection, namespace: config.temporalNamespace });
const app = await buildApp({
  database,
  temporal,
  taskQueue: config.taskQueue,
  namespace: config.temporalNamespace,
  sessionTtlHours: config.sessionTtlHours,
  logger: { level: config.logLevel === 'debug' ? 'debug' : 'warn' },
});
await app.listen({ host: config.apiHost, port: config.apiPort });
log.info(`API listening on http://${config.apiHost}:${config.apiPort}/api`);
// Policy versions whose fan-out never started (a stop between saving and starting, a corrected preset).
const stopSweep = startBroadcastSweep({ db: database.db, temporal, taskQueue: config.taskQueue, log: (m, err) => (err ? log.warn({ err }, m) : log.info(m)) });

close = async () => {
  stopSweep();
  await app.close().catch((err) => log.warn({ err }, 'closing the HTTP server failed'));
  await connection.close().catch(() => undefined);
  await database.close().catch(() => undefined);
  process.exit(0);
};
