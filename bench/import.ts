/**
 * Batch import against the baseline of starting no-op workflows, in one run on one dev server.
 *
 *   npm run bench:import -- [--n 10000] [--concurrency 64] [--chunk-size 250] [--format geojson|shapefile] [--memory | --cluster] [--cache N] [--workflow-slots N] [--skip-issuance]
 *
 * Starts its own embedded PostgreSQL and Temporal dev server (SQLite file with the same pragmas as
 * `npm start`, or in memory with --memory) and an in-process worker; writes a synthetic N-patch batch
 * (real county locations, provincial schema) and imports it with the same code the API and the CLI run.
 * Prints, for each: started/s (no-op: start calls; import: the whole import — read, validate, record,
 * start) and ready/s (no-op: completed; import: every patch's first task — verification, or the
 * restricted military report — in the read model), and the ratio import / no-op. Also the rate of
 * reading and validating alone, and the process's peak memory. With --cluster, on Temporal on PostgreSQL
 * as four service processes (the shape of `npm run start:cluster`) instead of the dev server.
 */
import { createReadStream, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { regions } from '../db/schema';
import { PROVINCIAL_PRESET } from '../domain/attribute-mapping';
import { shanghaiDate } from '../domain/batches';
import { importOptionsSchema } from '../domain/schemas/imports';
import { SYSTEM_ACTOR } from '../domain/types';
import { runImport } from '../ingest/importer';
import { createImport } from '../ingest/jobs';
import { openSource } from '../ingest/source';
import { validateFeature } from '../ingest/validate';
import { syntheticFeatures, writeGeoJson, writeSyntheticShapefile } from '../scripts/synthetic/batch';
import { PRJ } from '../scripts/synthetic/shapefile-writer';
import { WORKER_TUNING } from '../worker/create';
import { issueOneByOne } from './issuance';
import { noopBaseline, rate, startBenchSystem, waitFor } from './support';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    'chunk-size': { type: 'string', default: '250' },
    format: { type: 'string', default: 'geojson' },
    memory: { type: 'boolean', default: false },
    // The worker's cache and workflow-task slots (default: worker/create.ts WORKER_TUNING).
    cache: { type: 'string' },
    'workflow-slots': { type: 'string' },
    // Also issue N patches one by one in the same run (the goal: import ready/s ≥ 0.8 × issuance ready/s).
    'skip-issuance': { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const CHUNK = Number(values['chunk-size']);

// Imaged a week ago and issued today, as the patches issued one by one are: a batch dated months back would
// open every verification task overdue, and the figures would time the overdue marking and escalation too.
const ISSUED_ON = shanghaiDate(new Date());
const IMAGED_ON = shanghaiDate(new Date(Date.now() - 7 * 24 * 3600 * 1000));

let peakRss = 0;
// At the peak: the main thread's V8 heap and what lives outside it (the workflow thread's own heap, the SDK's
// core, buffers) — what the RSS is made of.
let atPeak: NodeJS.MemoryUsage | undefined;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) {
    peakRss = rss;
    atPeak = process.memoryUsage();
  }
}, 100);
sampler.unref();

async function writeBatch(dir: string, n: number, tag: string): Promise<string> {
  const options = { n, seed: 20260301, imagedOn: IMAGED_ON, tag };
  if (values.format === 'shapefile') {
    const file = path.join(dir, `batch-${tag}.zip`);
    await writeSyntheticShapefile(file, options, PRJ.cgcs2000);
    return file;
  }
  const file = path.join(dir, `batch-${tag}.geojson`);
  await writeGeoJson(file, syntheticFeatures(options), { crs: 'urn:ogc:def:crs:EPSG::4490' });
  return file;
}

async function main() {
  const sys = await startBenchSystem({
    cluster: values.cluster,
    memory: values.memory,
    workerOptions: {
      ...(values.cache ? { maxCachedWorkflows: Number(values.cache) } : {}),
      ...(values['workflow-slots'] ? { maxConcurrentWorkflowTaskExecutions: Number(values['workflow-slots']) } : {}),
    },
  });
  const { database, temporal, taskQueue, tmp } = sys;
  // The floor: the process with its worker and database pools up, before any workflow has run.
  await new Promise((r) => setTimeout(r, 2000));
  const rssIdle = process.memoryUsage.rss();
  try {
    const deps = { db: database.db, temporal, taskQueue };
    const runId = Date.now().toString(36).toUpperCase();

    const noop = (ids: string[]) => noopBaseline(sys, ids, CONCURRENCY);
    const importBatch = async (file: string, batchCode: string) => {
      const t0 = performance.now();
      const source = await openSource(file);
      const options = importOptionsSchema.parse({ batchCode, source: 'ministry', kind: 'monthly', imagedOn: IMAGED_ON, issuedOn: ISSUED_ON });
      const hash = createHash('sha256');
      await pipeline(createReadStream(file), hash);
      const fileHash = hash.digest('hex');
      const { job } = await createImport(database.db, source, {
        filePath: file,
        fileName: path.basename(file),
        fileHash,
        options,
        actor: SYSTEM_ACTOR,
        origin: 'cli',
      });
      const done = await runImport(deps, job.id, { owner: 'bench', concurrency: CONCURRENCY, chunkSize: CHUNK });
      const started = performance.now() - t0;
      await waitFor(async () => {
        const [{ n }] =
          await database.sql`select count(distinct t.patch_code)::int as n from tasks t join patches p on p.code = t.patch_code where p.batch_code = ${batchCode}`;
        return n >= done.accepted;
      }, 200);
      return { started, ready: performance.now() - t0, job: done };
    };

    // The batch file, and reading + validating it alone (no database, no Temporal).
    let t = performance.now();
    const file = await writeBatch(tmp, N, `B${runId}`);
    const generatedMs = performance.now() - t;
    t = performance.now();
    const source = await openSource(file);
    const regionMap = new Map((await database.db.select({ code: regions.code, level: regions.level }).from(regions)).map((r) => [r.code, r]));
    let valid = 0;
    for await (const chunk of source.chunks(0, CHUNK)) {
      for (const raw of chunk)
        if (validateFeature(raw, { mapping: PROVINCIAL_PRESET.mapping, crs: source.crs, regions: regionMap, actor: SYSTEM_ACTOR }).patch) valid++;
    }
    const validateMs = performance.now() - t;

    // Warm-up of both paths, then the measured runs.
    await noop(Array.from({ length: 50 }, (_, i) => `warm-noop-${runId}-${i}`));
    await importBatch(await writeBatch(tmp, 50, `W${runId}`), `WARM-${runId}`);
    const base = await noop(Array.from({ length: N }, (_, i) => `noop-${runId}-${i}`));
    const rssBefore = peakRss;
    const single = !values['skip-issuance']
      ? await issueOneByOne(
          sys,
          Array.from({ length: N }, (_, i) => `S${runId}${String(i).padStart(6, '0')}`),
          { batchCode: `SINGLE-${runId}`, concurrency: CONCURRENCY },
        )
      : undefined;
    const rssIssuance = peakRss;
    peakRss = 0;
    const ours = await importBatch(file, `BENCH-${runId}`);
    const j = ours.job;

    console.log(
      `\nN = ${N} patches (${values.format}, ${(statSync(file).size / 1e6).toFixed(1)} MB, written in ${(generatedMs / 1000).toFixed(1)} s), concurrency ${CONCURRENCY}, chunks of ${CHUNK}, ${sys.shape}`,
    );
    console.log(`read + validate only       ${rate(N, validateMs).padStart(9)} features/s  (${valid} valid)`);
    console.log(
      `import: ${j.status}, ${j.accepted} accepted (${j.started} started, ${j.military} military), ${j.rejected} rejected, ${j.warned} with warnings`,
    );
    console.log('                            started/s   ready/s');
    console.log(`no-op workflows             ${rate(N, base.started).padStart(9)} ${rate(N, base.ready).padStart(9)}   (ready = completed)`);
    console.log(
      `batch import                ${rate(j.accepted, ours.started).padStart(9)} ${rate(j.accepted, ours.ready).padStart(9)}   (ready = first task of every patch in the read model)`,
    );
    console.log(
      `ratio import / no-op        ${(base.started / N / (ours.started / j.accepted)).toFixed(2).padStart(9)} ${(base.ready / N / (ours.ready / j.accepted)).toFixed(2).padStart(9)}`,
    );
    if (single) {
      console.log(
        `issuance one by one         ${rate(N, single.started).padStart(9)} ${rate(N, single.ready).padStart(9)}   (ready = verification task in the read model)`,
      );
      console.log(
        `ratio import / issuance     ${(single.started / N / (ours.started / j.accepted)).toFixed(2).padStart(9)} ${(single.ready / N / (ours.ready / j.accepted)).toFixed(2).padStart(9)}   (goal: ready ≥ 0.80)`,
      );
    }
    const tuning = { ...WORKER_TUNING, ...(values.cache ? { maxCachedWorkflows: Number(values.cache) } : {}) };
    console.log(
      `worker: ${tuning.maxCachedWorkflows} cached workflows, ${values['workflow-slots'] ?? tuning.maxConcurrentWorkflowTaskExecutions} workflow-task slots, ${tuning.maxConcurrentActivityTaskExecutions} activity slots`,
    );
    console.log(
      `peak RSS of this process (server-side importer + worker): ${(peakRss / 1e6).toFixed(0)} MB during the import (${(rssBefore / 1e6).toFixed(0)} MB during the no-op runs, ${(rssIdle / 1e6).toFixed(0)} MB idle after start-up${single ? `, ${(rssIssuance / 1e6).toFixed(0)} MB up to the end of the issuance` : ''})`,
    );
    if (atPeak) {
      const mb = (v: number) => `${(v / 1e6).toFixed(0)} MB`;
      console.log(
        `  at the peak: main thread's heap ${mb(atPeak.heapUsed)} used of ${mb(atPeak.heapTotal)}, external ${mb(atPeak.external)}, the rest (workflow thread, SDK core, code) ${mb(atPeak.rss - atPeak.heapTotal - atPeak.external)}`,
      );
    }
    const [{ overdue, open }] = await database.sql`
      select count(*) filter (where t.overdue)::int as overdue, count(*)::int as open from tasks t join patches p on p.code = t.patch_code where p.batch_code = ${`BENCH-${runId}`}`;
    console.log(`the import's tasks: ${open}, opened overdue: ${overdue}`);
  } finally {
    await sys.stop();
  }
}

await main();
