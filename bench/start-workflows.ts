/**
 * Patch issuance against the baseline of starting no-op workflows, in one run on one dev server.
 *
 *   npm run bench:start -- [--n 2000] [--concurrency 64] [--memory | --cluster]
 *
 * Starts its own embedded PostgreSQL and Temporal dev server (SQLite file with the same pragmas as
 * `npm start`, or in memory with --memory) and an in-process worker. Prints, for each kind:
 * started/s (the start calls) and ready/s (no-op: completed; patch: its verification task is in the
 * read model), and the ratio patch/no-op. With --cluster, on Temporal on PostgreSQL as four service
 * processes (the shape of `npm run start:cluster`) instead of the dev server.
 */
import { parseArgs } from 'node:util';
import { issueOneByOne } from './issuance';
import { noopBaseline, rate, startBenchSystem } from './support';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '64' },
    memory: { type: 'boolean', default: false },
    cluster: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);

async function main() {
  const sys = await startBenchSystem({ cluster: values.cluster, memory: values.memory });
  try {
    const runId = Date.now().toString(36).toUpperCase();
    const noop = (ids: string[]) => noopBaseline(sys, ids, CONCURRENCY);
    const patches = (codes: string[]) => issueOneByOne(sys, codes, { batchCode: `BENCH-${runId}`, concurrency: CONCURRENCY });

    // Warm-up of both paths, then the measured runs.
    await noop(Array.from({ length: 50 }, (_, i) => `warm-noop-${runId}-${i}`));
    await patches(Array.from({ length: 50 }, (_, i) => `WARM${runId}${i}`));
    const base = await noop(Array.from({ length: N }, (_, i) => `noop-${runId}-${i}`));
    const ours = await patches(Array.from({ length: N }, (_, i) => `B${runId}${String(i).padStart(6, '0')}`));

    console.log(`\nN = ${N}, concurrency ${CONCURRENCY}, ${sys.shape}`);
    console.log('                          started/s   ready/s');
    console.log(`no-op workflows           ${rate(N, base.started).padStart(9)} ${rate(N, base.ready).padStart(9)}   (ready = completed)`);
    console.log(
      `patch issuance            ${rate(N, ours.started).padStart(9)} ${rate(N, ours.ready).padStart(9)}   (ready = verification task in the read model)`,
    );
    console.log(`ratio patch / no-op       ${(base.started / ours.started).toFixed(2).padStart(9)} ${(base.ready / ours.ready).toFixed(2).padStart(9)}`);
  } finally {
    await sys.stop();
  }
}

await main();
