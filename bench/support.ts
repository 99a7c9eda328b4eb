/**
 * What the benchmarks share: their own embedded PostgreSQL and Temporal dev server (a SQLite file with
 * the pragmas of `npm start`, or in memory), migrated and seeded, an in-process worker, and the no-op
 * workflow baseline every figure is compared with in the same run.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkerOptions } from '@temporalio/worker';
import { connectDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { startEmbeddedPostgres } from '../infra/postgres';
import { startDevServer } from '../infra/temporal-dev-server';
import { pool } from '../ingest/pool';
import { seedReferenceData } from '../scripts/demo/seed';
import { freePort } from '../test/support/ports';
import { startBenchCluster } from './support/cluster';
import { createWorker, WORKFLOWS_PATH } from '../worker/create';

export { pool };

export interface BenchSystem {
  tmp: string;
  database: Database;
  temporal: Client;
  taskQueue: string;
  /** Where the benchmark's own processes (a worker, an importer) connect: DATABASE_URL and TEMPORAL_ADDRESS. */
  databaseUrl: string;
  temporalAddress: string;
  /** The Temporal server the figures were measured on, as printed. */
  shape: string;
  stop(): Promise<void>;
}

/** `cluster`: on Temporal on PostgreSQL as four service processes (bench/support/cluster.ts) rather than the dev server. */
export async function startBenchSystem(
  opts: { memory?: boolean; worker?: boolean; cluster?: boolean; workerOptions?: Partial<WorkerOptions> } = {},
): Promise<BenchSystem> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-bench-'));
  chmodSync(tmp, 0o755); // the embedded server runs as the postgres user when we are root
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
  const server = opts.cluster
    ? await startBenchCluster(pg, tmp)
    : await startDevServer({ port: await freePort(), dbFilename: opts.memory ? undefined : path.join(tmp, 'temporal.db') });
  const url = await pg.createDatabase('bench');
  const database = connectDatabase(url, { max: 20 });
  await applyMigrations(database.db);
  await seedReferenceData(database.db);
  const temporal = 'env' in server ? server.env.client : server.client;
  const taskQueue = 'bench';
  let stopWorker = async () => {};
  if (opts.worker !== false) {
    const connection = await NativeConnection.connect({ address: server.address });
    // The worker's own pool, as worker/main.ts has in its own process: the API's requests, the importer and the
    // benchmark's polling do not queue the activities' queries behind theirs (nor the other way round).
    const workerDatabase = connectDatabase(url, { max: 20 });
    const worker = await createWorker({
      connection,
      db: workerDatabase.db,
      temporal,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
      options: opts.workerOptions, // the worker's own tuning (worker/create.ts WORKER_TUNING) unless a benchmark sets it
    });
    const running = worker.run();
    stopWorker = async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await workerDatabase.close();
    };
  }
  return {
    tmp,
    database,
    temporal,
    taskQueue,
    databaseUrl: url,
    temporalAddress: server.address,
    shape:
      'shards' in server
        ? `cluster: Temporal 1.29.1 on PostgreSQL, four service processes, ${server.shards} history shards`
        : `dev server ${opts.memory ? 'in memory' : 'on SQLite (WAL, synchronous=normal)'}`,
    async stop() {
      await stopWorker();
      await database.close();
      await server.stop();
      await pg.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, intervalMs = 50): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}

export const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);

/** The baseline: start N no-op workflows, then wait for them all to complete (ms to each). */
export async function noopBaseline(sys: BenchSystem, ids: string[], concurrency: number): Promise<{ started: number; ready: number }> {
  const t0 = performance.now();
  await pool(ids, concurrency, (id) => sys.temporal.workflow.start('noopWorkflow', { workflowId: id, taskQueue: sys.taskQueue }));
  const started = performance.now() - t0;
  await pool(ids, concurrency, (id) => sys.temporal.workflow.getHandle(id).result());
  return { started, ready: performance.now() - t0 };
}
