/**
 * Which higher levels look at a determination: the review chain with its coverage (all, or a sampled
 * share per legality class, plus patches that must always be reviewed), and the on-site check thresholds.
 * Pure functions of the region's policy and the determination.
 */
import type { Determination } from './legality';
import { onsiteRuleMet, type AlwaysReviewCondition, type OnsiteCheckRule, type RegionPolicy, type ReviewLevel, type ReviewLevelPolicy } from './policy';
import { cityOf, provinceOf } from './regions';
import { sampleDraw } from './sampling';
import type { PatchCategory } from './types';

export interface ReviewDecision {
  level: ReviewLevel;
  regionCode: string;
  selected: boolean;
  /** Why: "all", "sample", or the always-review condition that applied. */
  reason: 'all' | 'sample' | AlwaysReviewCondition;
  draw?: number;
  rate?: number;
}

export const levelRegion = (level: ReviewLevel, countyCode: string): string => (level === 'city' ? cityOf(countyCode) : provinceOf(countyCode));

export function alwaysConditionsMet(d: Determination, category: PatchCategory): AlwaysReviewCondition[] {
  const met: AlwaysReviewCondition[] = [];
  if (d.areas.farmlandMu > 0) met.push('farmland');
  if (d.areas.redLineMu > 0) met.push('red_line');
  if (d.subType === 'demolished_recultivated') met.push('recultivation');
  if (category === 'mineral' || d.subType === 'illegal_mining') met.push('mineral');
  return met;
}

export function decideReview(
  entry: ReviewLevelPolicy,
  ctx: { patchCode: string; countyCode: string; category: PatchCategory; determination: Determination; seed: string },
): ReviewDecision {
  const regionCode = levelRegion(entry.level, ctx.countyCode);
  if (entry.coverage.mode === 'all') return { level: entry.level, regionCode, selected: true, reason: 'all' };
  const forced = alwaysConditionsMet(ctx.determination, ctx.category).find((c) => entry.always?.includes(c));
  const draw = sampleDraw(ctx.seed, ctx.patchCode, entry.level);
  const rate = entry.coverage.rates[ctx.determination.legality];
  if (forced) return { level: entry.level, regionCode, selected: true, reason: forced, draw, rate };
  return { level: entry.level, regionCode, selected: draw < rate, reason: 'sample', draw, rate };
}

export interface OnsiteDecision {
  level: ReviewLevel;
  regionCode: string;
  rules: OnsiteCheckRule[];
}

/** Rules that a determination meets; thresholds are in mu and inclusive ("…亩以上"). */
export function matchingOnsiteRules(rules: OnsiteCheckRule[], d: Determination, category: PatchCategory): OnsiteCheckRule[] {
  return rules.filter((r) => onsiteRuleMet(r, d, category));
}

export const ONSITE_LEVELS: ReviewLevel[] = ['city', 'province'];

/** The next level after `after` (in order city, province) whose on-site rules the determination meets. */
export function nextOnsiteCheck(
  policy: RegionPolicy,
  ctx: { countyCode: string; category: PatchCategory; determination: Determination },
  after?: ReviewLevel,
): OnsiteDecision | undefined {
  const start = after ? ONSITE_LEVELS.indexOf(after) + 1 : 0;
  for (const level of ONSITE_LEVELS.slice(start)) {
    const rules = matchingOnsiteRules(policy.onsiteChecks[level] ?? [], ctx.determination, ctx.category);
    if (rules.length) return { level, regionCode: levelRegion(level, ctx.countyCode), rules };
  }
  return undefined;
}
