/**
 * A whole year, end to end, at a small N (issue 16 goal 6's CI size): `simulateYear` drives Ningxia's year
 * on the time-skipping server through the HTTP API — twelve monthly batches and the annual one, on-time and
 * late verifications, extensions, send-backs, refused corrections and direct determinations, on-site
 * checks, cases with transfers, rectification and the three acceptances, a policy change in July — and the
 * annual report must equal the figures recomputed from the simulation's own log, every row.
 * `npm run simulate:year` runs the same at scale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimSystem, startSimSystem } from '../scripts/simulate-year/system';
import { simulateYear } from '../scripts/simulate-year/year';

// The script's own system (its PostgreSQL, a time-skipping server given time to start on a loaded machine,
// the worker and the API): the test runs exactly what `npm run simulate:year` runs.
let sys: SimSystem;
beforeAll(async () => {
  sys = await startSimSystem(() => undefined);
}, 300_000);
afterAll(async () => {
  await sys?.stop();
});

describe('a simulated year of Ningxia (26 patches)', () => {
  it('ends with an annual report equal to the recomputation from the simulation log', async () => {
    const result = await simulateYear(sys, { region: '640000', patches: 26, seed: 1 });
    console.log(`simulated year: ${(result.wallMs / 1000).toFixed(1)} s wall, ${result.requests} requests, ${result.actions} tasks done`);
    expect(result.differences).toEqual([]);
    expect(result.failures).toEqual([]);
    const f = result.figures;
    // The mix reached every part of the year the report counts.
    expect(Number(f.get('下发图斑（个）'))).toBe(26);
    for (const figure of ['违法（个）', '合法（个）', '直接认定（个）', '已整改违法图斑（个）', '逾期核查填报（个）', '其中瞒报图斑（个）']) {
      expect(Number(f.get(figure)), figure).toBeGreaterThan(0);
    }
    expect(f.get('补充耕地指标')).toMatch(/^[\d.]+,[\d.]+,[\d.]+$/);
  }, 900_000);
});
