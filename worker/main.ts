/** The worker process: DATABASE_URL and TEMPORAL_ADDRESS from the environment (npm start sets them). */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { connectDatabase } from '../db/client';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createWorker } from './create';

const config = loadConfig();
const log = createLogger('worker', config.logLevel);
// The SDK's own logs (bundler statistics, state changes) only at warn unless debugging.
Runtime.install({ logger: new DefaultLogger(config.logLevel === 'debug' ? 'DEBUG' : 'WARN') });
if (!config.databaseUrl || !config.temporalAddress) {
  log.error('DATABASE_URL and TEMPORAL_ADDRESS must be set (npm start sets them for the embedded defaults)');
  process.exit(1);
}
const database = connectDatabase(config.databaseUrl, { max: 20 });
const connection = await NativeConnection.connect({ address: config.temporalAddress });
const clientConnection = await Connection.connect({ address: config.temporalAddress });
const temporal = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
const worker = await createWorker({ connection, db: database.db, temporal, taskQueue: config.taskQueue, namespace: config.temporalNamespace });
log.info(`worker polling task queue "${config.taskQueue}" on ${config.temporalAddress}`);
process.once('SIGINT', () => worker.shutdown());
process.once('SIGTERM', () => worker.shutdown());
await worker.run();
await connection.close();
await clientConnection.close();
await database.close();
log.info('worker stopped');
