/**
 * The case's quota bookings (两平衡一冻结, 000 二(三)): the farmland freeze unfrozen on acceptance or deducted
 * on legalisation/confiscation, and Jiangmen's construction-plan rounds (002 五(四)).
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { AREA_EPS as EPS, caseAreas, rectifiedFarmland, round4, type AreaSplit } from '../../domain/cases';
import type { CasePatch } from './messages';
import type { CaseState } from './state';

/** Quota bookings are short transactions: a worker that dies in one is noticed, and the booking retried, quickly. */
export const quota = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export const NON_AGRICULTURAL = (p: CasePatch) => p.category !== 'facility_agriculture' && p.category !== 'agricultural_project_illegal';

/**
 * The quota booking of each linked patch (farmland account): what is still frozen, or — for a partial
 * acceptance — up to `share` of what was frozen, under its own key.
 */
export function farmlandBookings(
  caseNo: string,
  countyCode: string,
  patches: CasePatch[],
  kind: 'unfreeze' | 'deduct',
  reason: string,
  partial?: { share: number; key: string },
) {
  return patches
    .filter((p) => p.determination.areas.farmlandMu > 0)
    .map((p) => ({
      entryKey: `${kind}:${caseNo}:${p.code}:farmland${partial ? `:${partial.key}` : ''}`,
      countyCode,
      account: 'farmland' as const,
      caseNo,
      patchCode: p.code,
      reason,
      actorName: '系统',
      kind,
      ...(partial && kind === 'unfreeze' ? { share: partial.share } : {}),
    }));
}

/**
 * 省级确认: what the confirmed rectification covers is accepted (cumulative, never less than before),
 * farmland and non-farmland apart; `complete` once all of both is accepted.
 */
export function acceptedAreas(state: CaseState): { accepted: AreaSplit; complete: boolean; areas: AreaSplit } {
  const areas = caseAreas(state.patches);
  const r = state.rectification as { rectifiedMu?: number; rectifiedFarmlandMu?: number } | undefined;
  const rectifiedMu = Math.min(r?.rectifiedMu ?? 0, areas.totalMu);
  const farmland = Math.min(rectifiedFarmland(areas, rectifiedMu, r?.rectifiedFarmlandMu) ?? 0, areas.farmlandMu, rectifiedMu);
  const before = state.accepted ?? { totalMu: 0, farmlandMu: 0, nonFarmlandMu: 0 };
  const accepted: AreaSplit = {
    totalMu: round4(Math.max(before.totalMu, rectifiedMu)),
    farmlandMu: round4(Math.max(before.farmlandMu, farmland)),
    nonFarmlandMu: round4(Math.max(before.nonFarmlandMu, Math.min(areas.nonFarmlandMu, rectifiedMu - farmland))),
  };
  const complete = accepted.farmlandMu >= areas.farmlandMu - EPS && accepted.nonFarmlandMu >= areas.nonFarmlandMu - EPS;
  return { accepted, complete, areas };
}

/** The next construction-plan round not yet settled (epoch ms). */
export const nextPlanRound = (state: CaseState) =>
  state.planRounds && state.planSettled < state.planRounds.length ? state.planRounds[state.planSettled] : undefined;

/** Jiangmen's rounds: unfreeze the construction-plan freeze in proportion to what is rectified; deduct the rest at the last. */
export async function settlePlanRound(caseNo: string, countyCode: string, state: CaseState): Promise<void> {
  const rounds = state.planRounds ?? [];
  const index = state.planSettled;
  const last = index === rounds.length - 1;
  const illegalNonFarmland = state.patches.reduce((s, p) => s + Math.max(0, p.determination.areas.totalMu - p.determination.areas.farmlandMu), 0);
  // In proportion to the non-farmland area the province has accepted by the round (002 五(四)); before the
  // 'accepted-area-unfreeze' patch this was the county's own report of everything rectified.
  const share = state.eliminated
    ? 1
    : patched('accepted-area-unfreeze')
      ? Math.min(1, illegalNonFarmland > EPS ? (state.accepted?.nonFarmlandMu ?? 0) / illegalNonFarmland : 0)
      : Math.min(1, illegalNonFarmland > 0 ? (state.rectifiedMu ?? 0) / illegalNonFarmland : 0);
  const entry = (p: CasePatch, kind: 'unfreeze' | 'deduct', key: string, reason: string) => ({
    entryKey: `${kind}:${caseNo}:${p.code}:construction_plan:${key}`,
    countyCode,
    account: 'construction_plan' as const,
    caseNo,
    patchCode: p.code,
    reason,
    actorName: '系统',
    kind,
  });
  await quota.bookQuota({
    entries: state.patches.flatMap((p) => [
      { ...entry(p, 'unfreeze', `round${index + 1}`, `第${index + 1}批验收按比例解冻`), share },
      ...(last ? [entry(p, 'deduct', 'final', '到期仍未解冻，直接扣减')] : []),
    ]),
  });
  state.planSettled = index + 1;
}
