/**
 * A province's year at scale on the time-skipping test server (issue 16, goal 6):
 *
 *   npm run simulate:year -- --region 640000 --patches 1000 --seed 1
 *
 * Starts its own embedded PostgreSQL, time-skipping server, worker and API; simulates the year through
 * the API (year.ts); prints the annual report's figures, every difference from the figures recomputed
 * from the simulation's own log, and where the wall time went. Exits 1 on any difference.
 */
import { parseArgs } from 'node:util';
import { startSimSystem } from './system';
import { simulateYear } from './year';

const { values } = parseArgs({
  options: {
    region: { type: 'string', default: '640000' },
    patches: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
  },
});

const log = (m: string) => console.log(`[simulate-year] ${m}`);
const t0 = performance.now();
const sys = await startSimSystem(log);
log(`system up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
let failed = true;
try {
  const r = await simulateYear(sys, { region: values.region!, patches: Number(values.patches), seed: Number(values.seed), progress: log });
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`\nyear ${r.year}, region ${values.region}, ${values.patches} patches, seed ${values.seed}`);
  console.log('annual report (summary):');
  for (const [k, v] of r.figures) console.log(`  ${k}: ${v}`);
  console.log(
    `\nwall ${s(r.wallMs)}: skipping time ${s(r.skipMs)}, API requests ${r.requests} (${s(r.requestMs)} summed, ${(r.requestMs / Math.max(1, r.requests)).toFixed(1)} ms each)`,
  );
  console.log(`tasks done ${r.actions}; ${r.events} log events; policy fan-out ${s(r.policyFanOutMs)}`);
  const perHour = Number(values.patches) / (r.wallMs / 3_600_000);
  console.log(
    `throughput ${perHour.toFixed(0)} patch-years per hour: the largest N within an hour at this rate ≈ ${Math.floor(perHour)} (linear extrapolation)`,
  );
  if (r.refused.size) console.log(`answers other than 200: ${[...r.refused].map(([k, n]) => `${k} ×${n}`).join('; ')}`);
  if (r.failures.length) console.log(`server errors: ${r.failures.length} (first: ${r.failures[0]})`);
  if (r.differences.length) {
    console.log(`\n${r.differences.length} differences between the report and the recomputation:`);
    for (const d of r.differences) console.log(`  ${d.figure}: report ${d.report ?? '(none)'} / simulation ${d.simulation ?? '(none)'}`);
  } else console.log("\nthe report matches the recomputation from the simulation's log exactly");
  failed = r.differences.length > 0;
} finally {
  await sys.stop();
}
process.exit(failed ? 1 : 0);
