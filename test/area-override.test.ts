/**
 * 面积经核查修正 (docs/domain.md §13): the areas measured on the land layers are a suggestion; areas that differ
 * need the officer's reason (checkAreasOverride, run by checkDetermination where the patch was measured), and the
 * rules (on-site thresholds, the quota freeze's farmland) read the confirmed areas, not the measured ones.
 */
import { describe, expect, it } from 'vitest';
import { areasOverridden, checkAreasOverride, checkDetermination, type Determination, type OccupiedAreas } from '../domain/legality';
import type { OnsiteCheckRule } from '../domain/policy';
import { matchingOnsiteRules } from '../domain/review';

const measured: OccupiedAreas = { totalMu: 30, farmlandMu: 7.25, basicFarmlandMu: 0, redLineMu: 0 };
const rules = { forbidOtherFor: [], farmlandFlags: [] };
const filed = (areas: OccupiedAreas, extra: Partial<Determination> = {}): Determination => ({
  legality: 'illegal',
  subType: 'occupied_without_approval',
  approvals: [],
  areas,
  evidence: [],
  ...extra,
});

describe('areas against the measurement', () => {
  it('names the fields that differ by more than the 0.01 mu the form rounds to', () => {
    expect(areasOverridden(measured, { ...measured, farmlandMu: 7.254 })).toEqual([]);
    expect(areasOverridden(measured, { ...measured, farmlandMu: 25, redLineMu: 1 })).toEqual(['farmlandMu', 'redLineMu']);
  });

  it('asks a reason for differing areas, and only then', () => {
    const changed = filed({ ...measured, farmlandMu: 25 });
    const [v] = checkAreasOverride(changed, measured);
    expect(v).toMatchObject({ path: 'determination.areasOverrideReason', rule: 'areas_override_reason_required', params: { fields: 'farmlandMu' } });
    expect(v.message).toContain('耕地');
    expect(checkAreasOverride({ ...changed, areasOverrideReason: '  ' }, measured)).toHaveLength(1);
    expect(checkAreasOverride({ ...changed, areasOverrideReason: '实地测量：三调后新开垦耕地' }, measured)).toEqual([]);
    expect(checkAreasOverride(filed(measured), measured)).toEqual([]);
    // Without a measurement (no layers in force) the areas are the officer's alone.
    expect(checkAreasOverride(changed, undefined)).toEqual([]);
  });

  it('runs with the other determination checks', () => {
    const ctx = { category: 'new_non_agricultural_construction' as const, rules };
    const changed = filed({ ...measured, farmlandMu: 25 });
    expect(checkDetermination(changed, { ...ctx, suggestedAreas: measured }).map((v) => v.rule)).toEqual(['areas_override_reason_required']);
    expect(checkDetermination(changed, ctx)).toEqual([]);
  });

  it('leaves the rules to the confirmed areas: the on-site threshold follows the officer, not the layers', () => {
    // 003: 耕地20亩以上 checked on site by the city.
    const onsite: OnsiteCheckRule[] = [{ metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] }];
    const raised = filed({ ...measured, farmlandMu: 25 }, { suggestedAreas: measured, areasOverrideReason: '实地测量' });
    expect(matchingOnsiteRules(onsite, raised, 'new_non_agricultural_construction')).toHaveLength(1);
    const lowered = filed(measured, { suggestedAreas: { ...measured, farmlandMu: 25 }, areasOverrideReason: '图层未更新' });
    expect(matchingOnsiteRules(onsite, lowered, 'new_non_agricultural_construction')).toHaveLength(0);
  });
});
