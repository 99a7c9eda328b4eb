/**
 * The memory of a batch import in the shape it runs in production: the worker in its own process
 * (worker/main.ts, as `npm start` and the cluster run it) and the importer in its own (`npm run import`,
 * scripts/import.ts), against this benchmark's embedded PostgreSQL and Temporal dev server. Prints each
 * process's peak RSS (sampled from /proc every 100 ms, and the kernel's high-water mark VmHWM) against two
 * baselines measured in the same run: a bare `node --import tsx` process, and the worker idle after its
 * start-up and a warm-up; and the import's rates to "started" and to "first task in the read model".
 *
 *   npm run bench:import-rss -- [--n 10000] [--cache N]
 *
 * The worker runs as `npm start` runs it: the workflow code bundled beforehand by the launcher
 * (WORKFLOW_BUNDLE) and its memory budget (scripts/supervisor.ts workerProcessEnv: V8 heap, cached workflows);
 * `--cache N` and `--heap MB` override them, `--unbudgeted` runs it with Node's and the SDK's defaults
 * (worker/create.ts WORKER_TUNING) and bundling at its start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { shanghaiDate } from '../domain/batches';
import { PROJECT_ROOT } from '../infra/config';
import { syntheticFeatures, writeGeoJson } from '../scripts/synthetic/batch';
import { createLogger } from '../infra/logger';
import { bundleWorkflowsOnce, workerProcessEnv } from '../scripts/supervisor';
import { WORKER_TUNING } from '../worker/create';
import { noopBaseline, rate, startBenchSystem, waitFor } from './support';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '10000' }, cache: { type: 'string' }, heap: { type: 'string' }, unbudgeted: { type: 'boolean', default: false } },
});
const N = Number(values.n);
const ISSUED_ON = shanghaiDate(new Date());
const IMAGED_ON = shanghaiDate(new Date(Date.now() - 7 * 24 * 3600 * 1000));

/** VmRSS and VmHWM (bytes) of a running process, from /proc. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** A child process whose peak memory is followed while it runs. */
class Watched {
  peak = 0;
  hwm = 0;
  readonly exited: Promise<number>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly child: ChildProcess,
    readonly name: string,
  ) {
    this.timer = setInterval(() => this.sample(), 100);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
    this.exited.finally(() => clearInterval(this.timer));
  }

  sample(): number {
    const m = memoryOf(this.child.pid!);
    this.peak = Math.max(this.peak, m.rss);
    this.hwm = Math.max(this.hwm, m.hwm);
    return m.rss;
  }

  resetPeak(): void {
    this.peak = this.sample();
  }
}

const node = (entry: string[], env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, ['--import', 'tsx', ...entry], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`.padStart(8);

async function main() {
  const sys = await startBenchSystem({ worker: false });
  const env = {
    ...process.env,
    DATABASE_URL: sys.databaseUrl,
    TEMPORAL_ADDRESS: sys.temporalAddress,
    TEMPORAL_TASK_QUEUE: sys.taskQueue,
    DATA_DIR: sys.tmp,
    LOG_LEVEL: 'warn',
  };
  const workerEnv: NodeJS.ProcessEnv = values.unbudgeted
    ? { ...env, ...(values.cache ? { WORKER_CACHED_WORKFLOWS: values.cache } : {}) }
    : {
        ...env,
        ...workerProcessEnv({
          ...(values.cache ? { WORKER_CACHED_WORKFLOWS: values.cache } : {}),
          ...(values.heap ? { NODE_OPTIONS: `--max-old-space-size=${values.heap}` } : {}),
        }),
        WORKFLOW_BUNDLE: await bundleWorkflowsOnce(sys.tmp, createLogger('bench', 'warn')),
      };
  let worker: Watched | undefined;
  try {
    // Baseline 1: a bare Node process with the TypeScript loader, nothing of the project.
    const bare = new Watched(node(['-e', 'setTimeout(() => {}, 1500)'], env), 'bare');
    await bare.exited;

    const runId = Date.now().toString(36).toUpperCase();
    const file = path.join(sys.tmp, `batch-${runId}.geojson`);
    await writeGeoJson(file, syntheticFeatures({ n: N, seed: 20260301, imagedOn: IMAGED_ON, tag: `R${runId}` }), { crs: 'urn:ogc:def:crs:EPSG::4490' });

    // Baseline 2: the worker process idle after its start-up and 200 no-op workflows.
    worker = new Watched(node(['worker/main.ts'], workerEnv), 'worker');
    await noopBaseline(
      sys,
      Array.from({ length: 200 }, (_, i) => `warm-${runId}-${i}`),
      32,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const workerIdle = worker.sample();
    worker.resetPeak();

    // The import, from the command line as an operator runs it, until every patch has its first task in the read model.
    const batchCode = `RSS-${runId}`;
    const t0 = performance.now();
    const importer = new Watched(
      node(['scripts/import.ts', file, '--batch', batchCode, '--source', 'ministry', '--imaged', IMAGED_ON, '--issued', ISSUED_ON, '--concurrency', '64'], env),
      'importer',
    );
    const code = await importer.exited;
    const startedMs = performance.now() - t0;
    if (code !== 0) throw new Error(`npm run import exited ${code}`);
    const [{ accepted }] = await sys.database.sql`select count(*)::int as accepted from patches where batch_code = ${batchCode}`;
    await waitFor(async () => {
      const [{ n }] = await sys.database
        .sql`select count(distinct t.patch_code)::int as n from tasks t join patches p on p.code = t.patch_code where p.batch_code = ${batchCode}`;
      return n >= accepted;
    }, 200);
    const readyMs = performance.now() - t0;
    worker.sample();

    const budget = values.unbudgeted
      ? `Node's default heap, ${values.cache ?? WORKER_TUNING.maxCachedWorkflows} cached workflows, bundling at its start`
      : `${workerEnv.NODE_OPTIONS}, ${workerEnv.WORKER_CACHED_WORKFLOWS} cached workflows, bundle built by the launcher`;
    console.log(`\nN = ${N} patches (${accepted} accepted), ${sys.shape}; worker: ${budget}`);
    console.log(`import: started ${rate(accepted, startedMs)}/s (the command's run), ready ${rate(accepted, readyMs)}/s (first task of every patch)`);
    console.log('                                   peak RSS   VmHWM    ratio to bare node');
    console.log(`bare node --import tsx            ${mb(bare.peak)} ${mb(bare.hwm)}   1.00`);
    console.log(`worker idle (after 200 no-ops)    ${mb(workerIdle)}            ${(workerIdle / bare.peak).toFixed(2)}`);
    console.log(`worker during the import          ${mb(worker.peak)} ${mb(worker.hwm)}   ${(worker.peak / bare.peak).toFixed(2)}   (goal ≤ 500 MB)`);
    console.log(`importer (npm run import)         ${mb(importer.peak)} ${mb(importer.hwm)}   ${(importer.peak / bare.peak).toFixed(2)}   (goal ≤ 500 MB)`);
  } finally {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await sys.stop();
  }
}

await main();
