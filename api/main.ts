/** The API process: DATABASE_URL and TEMPORAL_ADDRESS from the environment (npm start sets them). */
import { Client, Connection } from '@temporalio/client';
import { connectDatabase } from '../db/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { buildApp } from './app';
import { startBroadcastSweep } from './services/policy-broadcasts';

const config = loadConfig();
const log = createLogger('api', config.logLevel);
if (!config.databaseUrl || !config.temporalAddress) {
  log.error('DATABASE_URL and TEMPORAL_ADDRESS must be set (npm start sets them for the embedded defaults)');
  process.exit(1);
}
const database = connectDatabase(config.databaseUrl, { max: 20 });
const connection = await Connection.connect({ address: config.temporalAddress });
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

const shutdown = async () => {
  stopSweep();
  await app.close();
  await connection.close();
  await database.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
