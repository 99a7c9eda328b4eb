/**
 * The legality rules' messages, in words an officer understands: the category named by its label from
 * the notices (003 二: 新增非农建设类, 其他新增建设类, …), the sub-type by its name, never a raw code.
 */
import { describe, expect, it } from 'vitest';
import { checkDetermination, type Determination } from '../domain/legality';

const other: Determination = {
  legality: 'other',
  subType: 'unchanged',
  approvals: [],
  areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
  evidence: [],
};

describe('"其他" forbidden for a category (001 三(一), as policy)', () => {
  it('names the patch\'s own category, here 其他新增建设类', () => {
    const [v] = checkDetermination(other, { category: 'other_new_construction', rules: { forbidOtherFor: ['other_new_construction'], farmlandFlags: [] } });
    expect(v).toMatchObject({ path: 'determination.legality', rule: 'other_forbidden' });
    expect(v.message).toContain('"其他新增建设类"图斑一般不得判定为其他类用地');
    expect(v.message).not.toContain('新增非农建设类"');
    expect(v.message).not.toContain('年度内持续变化类');
  });
  it('is silent for a category the region does not list', () => {
    expect(checkDetermination(other, { category: 'other_change', rules: { forbidOtherFor: ['other_new_construction'], farmlandFlags: [] } })).toEqual([]);
  });
});

describe('a sub-type of another legality class', () => {
  it('shows the sub-type\'s and the class\'s names, not the codes', () => {
    const [v] = checkDetermination({ ...other, legality: 'illegal', subType: 'approved_construction' }, { category: 'other_change', rules: { forbidOtherFor: [], farmlandFlags: [] } });
    expect(v).toMatchObject({ path: 'determination.subType', rule: 'subtype_mismatch' });
    expect(v.message).toBe('判定子类"依法批准建设用地"不属于"违法"类，请选择该类的子类');
    expect(v.message).not.toMatch(/[a-z_]{5,}/);
  });
});

describe('every area is stated: a left-out one is not a silent 0 (001 三(三); 003)', () => {
  it('names each missing area, whoever sent the determination (the workflow checks it too)', () => {
    const illegal = { ...other, legality: 'illegal', subType: 'occupied_without_approval', areas: { totalMu: 30 } } as unknown as Determination;
    const found = checkDetermination(illegal, { category: 'new_non_agricultural_construction', rules: { forbidOtherFor: [], farmlandFlags: ['rural_housing'] } });
    expect(found.map((v) => [v.path, v.rule])).toEqual([
      ['determination.areas.farmlandMu', 'area_required'],
      ['determination.areas.basicFarmlandMu', 'area_required'],
      ['determination.areas.redLineMu', 'area_required'],
    ]);
    expect(found[0].message).toBe('请填写耕地面积（亩，没有填0）');
    expect(found[0].messageEn).toBe('give the farmland area in mu (0 when there is none)');
    // Stated as 0, they pass.
    expect(checkDetermination({ ...illegal, areas: { totalMu: 30, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 } }, { category: 'new_non_agricultural_construction', rules: { forbidOtherFor: [], farmlandFlags: ['rural_housing'] } })).toEqual([]);
  });
});
