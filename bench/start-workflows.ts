/**
 * Patch issuance against the baseline of starting no-op workflows, in one run on one dev server.
 *
 *   npm run bench:start -- [--n 2000] [--concurrency 64] [--memory]
 *
 * Starts its own embedded PostgreSQL and Temporal dev server (SQLite file with the same pragmas as
 * `npm start`, or in memory with --memory) and an in-process worker. Prints, for each kind:
 * started/s (the start calls) and ready/s (no-op: completed; patch: its verification task is in the
 * read model), and the ratio patch/no-op.
 */
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { issuePatch } from '../api/services/issue-patch';
import { connectDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { SYSTEM_ACTOR } from '../domain/types';
import { startEmbeddedPostgres } from '../infra/postgres';
import { startDevServer } from '../infra/temporal-dev-server';
import { seedReferenceData } from '../scripts/demo/seed';
import { rectangle } from '../scripts/demo/patches';
import { createWorker, WORKFLOWS_PATH } from '../worker/create';
import { freePort } from '../test/support/ports';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '64' },
    memory: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

async function waitFor(check: () => Promise<boolean>, intervalMs = 50): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, intervalMs));
}

const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);

async function main() {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'wpzf-bench-'));
  chmodSync(tmp, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), persistent: false });
  const server = await startDevServer({ port: await freePort(), dbFilename: values.memory ? undefined : path.join(tmp, 'temporal.db') });
  const database = connectDatabase(await pg.createDatabase('bench'), { max: 20 });
  try {
    await applyMigrations(database.db);
    await seedReferenceData(database.db);
    const connection = await NativeConnection.connect({ address: server.address });
    const temporal = server.env.client;
    const taskQueue = 'bench';
    const worker = await createWorker({
      connection,
      db: database.db,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') }),
      options: { maxConcurrentWorkflowTaskExecutions: 100, maxConcurrentActivityTaskExecutions: 100 },
    });
    const running = worker.run();

    const runId = Date.now().toString(36).toUpperCase();
    const noop = async (ids: string[]) => {
      const t0 = performance.now();
      await pool(ids, CONCURRENCY, (id) => temporal.workflow.start('noopWorkflow', { workflowId: id, taskQueue }));
      const started = performance.now() - t0;
      await pool(ids, CONCURRENCY, (id) => temporal.workflow.getHandle(id).result());
      return { started, ready: performance.now() - t0 };
    };
    const patches = async (codes: string[]) => {
      const t0 = performance.now();
      await pool(codes, CONCURRENCY, (code) =>
        issuePatch(
          { db: database.db, temporal, taskQueue },
          {
            code,
            countyCode: '640104',
            category: 'new_non_agricultural_construction',
            source: 'ministry',
            batchKind: 'monthly',
            batchCode: `BENCH-${runId}`,
            areaMu: 3.5,
            geometry: rectangle([106.288, 38.473], 3.5),
            military: false,
          },
          SYSTEM_ACTOR,
        ),
      );
      const started = performance.now() - t0;
      await waitFor(async () => {
        const [{ n }] = await database.sql`select count(*)::int as n from tasks where patch_code = any(${codes})`;
        return n >= codes.length;
      });
      return { started, ready: performance.now() - t0 };
    };

    // Warm-up of both paths, then the measured runs.
    await noop(Array.from({ length: 50 }, (_, i) => `warm-noop-${runId}-${i}`));
    await patches(Array.from({ length: 50 }, (_, i) => `WARM${runId}${i}`));
    const base = await noop(Array.from({ length: N }, (_, i) => `noop-${runId}-${i}`));
    const ours = await patches(Array.from({ length: N }, (_, i) => `B${runId}${String(i).padStart(6, '0')}`));

    console.log(`\nN = ${N}, concurrency ${CONCURRENCY}, dev server ${values.memory ? 'in memory' : 'on SQLite (WAL, synchronous=normal)'}`);
    console.log('                          started/s   ready/s');
    console.log(`no-op workflows           ${rate(N, base.started).padStart(9)} ${rate(N, base.ready).padStart(9)}   (ready = completed)`);
    console.log(`patch issuance            ${rate(N, ours.started).padStart(9)} ${rate(N, ours.ready).padStart(9)}   (ready = verification task in the read model)`);
    console.log(`ratio patch / no-op       ${(base.started / ours.started).toFixed(2).padStart(9)} ${(base.ready / ours.ready).toFixed(2).padStart(9)}`);

    worker.shutdown();
    await running;
    await connection.close();
  } finally {
    await database.close();
    await server.stop();
    await pg.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
