/**
 * The year's fixed events: twelve monthly batches (issued on the 3rd), the annual batch (1 November), the
 * supervisors' monthly round (the 1st) and one policy change (1 July), and the patches each batch holds.
 */
import type { SimLog } from './log';
import { forKey, muBetween, pick } from './prng';
import type { PatchFacts } from './world';

export interface Batch {
  code: string;
  kind: 'monthly' | 'annual_supplementary';
  month: number;
  day: number;
  patches: PatchFacts[];
}

/** The counties of the province the simulation works in, each with its officer (the demo users). */
export const COUNTIES = ['640104'];
/** 新增非农建设类 and 年度内持续变化类 may not be determined "other" in Ningxia (001 三(一)). */
const NO_OTHER = new Set(['new_non_agricultural_construction', 'continuous_change']);

function patchFacts(seed: number, code: string): PatchFacts {
  const rng = forKey(seed, `patch:${code}`);
  const category = pick(rng, { new_non_agricultural_construction: 4, other_new_construction: 3, other_change: 2, continuous_change: 1 });
  const areaMu = muBetween(rng, 0.5, 40);
  const farmlandMu = rng() < 0.5 ? muBetween(rng, 0, areaMu) : 0;
  let truth = pick(rng, { legal: 50, illegal: 35, other: 15 });
  if (truth === 'other' && NO_OTHER.has(category)) truth = 'legal';
  // Some counties conceal: an illegal patch reported legal (瞒报).
  const reported = truth === 'illegal' && rng() < 0.15 ? 'legal' : truth;
  return { code, county: COUNTIES[Math.floor(rng() * COUNTIES.length)], category, areaMu, farmlandMu, truth, reported, sentBack: new Set() };
}

export function batchesOf(year: number, patches: number, seed: number): Batch[] {
  const annual = Math.max(1, Math.round(patches / 13));
  const sizes = Array.from({ length: 12 }, (_, i) => Math.floor((patches - annual) / 12) + (i < (patches - annual) % 12 ? 1 : 0));
  const batch = (code: string, kind: Batch['kind'], month: number, day: number, size: number): Batch => ({
    code,
    kind,
    month,
    day,
    patches: Array.from({ length: size }, (_, i) => patchFacts(seed, `${code}-${String(i + 1).padStart(5, '0')}`)),
  });
  return [
    ...sizes.map((size, i) => batch(`SY${year}M${String(i + 1).padStart(2, '0')}`, 'monthly', i + 1, 3, size)),
    batch(`SY${year}A`, 'annual_supplementary', 11, 1, annual),
  ];
}

export function logIssued(log: SimLog, b: Batch, p: PatchFacts, issuedAt: number) {
  log.add({ e: 'issued', code: p.code, county: p.county, category: p.category, areaMu: p.areaMu, issuedAt, batch: b.code });
}
