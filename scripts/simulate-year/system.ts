/**
 * The system a simulated year runs against, on its own: embedded PostgreSQL (migrated, demo regions and
 * users), the Java time-skipping test server (time-server.ts), the real worker in process and the real API on a free port.
 * The simulation only sees `SimTarget`: the API's address and the server's clock.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { buildApp } from '../../api/app';
import { connectDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { startEmbeddedPostgres } from '../../infra/postgres';
import { freePort } from '../../test/support/ports';
import { createWorker, WORKFLOWS_PATH } from '../../worker/create';
import type { SimTarget } from './target';
import { startTimeServer } from './time-server';

export interface SimSystem extends SimTarget {
  stop(): Promise<void>;
}

export async function startSimSystem(log: (m: string) => void): Promise<SimSystem> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-simyear-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false, log });
  const database = connectDatabase(await pg.createDatabase('simyear'), { max: 20 });
  await applyMigrations(database.db);
  const { seedReferenceData } = await import('../demo/seed');
  await seedReferenceData(database.db);
  const env = await startTimeServer(log);
  const taskQueue = 'simyear';
  const worker = await createWorker({
    connection: env.nativeConnection,
    db: database.db,
    temporal: env.client,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
    options: { maxConcurrentWorkflowTaskExecutions: 50, maxConcurrentActivityTaskExecutions: 50 },
  });
  const running = worker.run();
  const uploadsDir = path.join(tmp, 'uploads');
  const app = await buildApp({ database, temporal: env.client, taskQueue, namespace: 'default', uiDir: '/nonexistent', uploadsDir });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    sleep: env.sleep,
    now: env.now,
    async stop() {
      await app.close();
      worker.shutdown();
      await running.catch(() => undefined);
      await env.stop();
      await database.close();
      await pg.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
