/**
 * The legality rules' messages, in words an officer understands: the category named by its label from
 * the notices (003 二: 新增非农建设类, 其他新增建设类, …), the sub-type by its name, never a raw code.
 */
import { describe, expect, it } from 'vitest';
import { checkDetermination, type Determination } from '../domain/legality';
import { joinClauses, noticeText } from '../domain/notifications';

const other: Determination = {
  legality: 'other',
  subType: 'unchanged',
  approvals: [],
  areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
  evidence: [],
};

describe('"其他" forbidden for a category (001 三(一), as policy)', () => {
  it("names the patch's own category, here 其他新增建设类", () => {
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
  it("shows the sub-type's and the class's names, not the codes", () => {
    const [v] = checkDetermination(
      { ...other, legality: 'illegal', subType: 'approved_construction' },
      { category: 'other_change', rules: { forbidOtherFor: [], farmlandFlags: [] } },
    );
    expect(v).toMatchObject({ path: 'determination.subType', rule: 'subtype_mismatch' });
    expect(v.message).toBe('判定子类"依法批准建设用地"不属于"违法"类，请选择该类的子类');
    expect(v.message).not.toMatch(/[a-z_]{5,}/);
  });
});

describe('the evidence rule (policy verification.evidence)', () => {
  const rules = { forbidOtherFor: [], farmlandFlags: [], evidence: { illegal: 1, legalWithoutApproval: 1 } };
  const illegal: Determination = { ...other, legality: 'illegal', subType: 'occupied_without_approval' };
  const photo = (gps?: { lat: number; lng: number }) => ({ sha256: 'a'.repeat(64), kind: 'photo' as const, ...(gps ? { gps } : {}) });

  it('asks a photo with GPS of an illegal determination, naming determination.evidence and the counts', () => {
    const [v] = checkDetermination(illegal, { category: 'other_change', rules });
    expect(v).toMatchObject({ path: 'determination.evidence', rule: 'evidence_required', params: { need: '1', have: '0' } });
    expect(v.message).toBe('本地区规定：判定为违法须上传至少 1 张带GPS位置的现场照片（现有 0 张）');
    // A photo without GPS, or a video, does not count.
    expect(
      checkDetermination({ ...illegal, evidence: [photo(), { ...photo({ lat: 38, lng: 106 }), kind: 'video' }] }, { category: 'other_change', rules }),
    ).toHaveLength(1);
    expect(checkDetermination({ ...illegal, evidence: [photo({ lat: 38, lng: 106 })] }, { category: 'other_change', rules })).toEqual([]);
  });
  it('asks one of a legal determination only without an approval document; none of "other", nor without the rule', () => {
    const legal: Determination = { ...other, legality: 'legal', subType: 'other_legal' };
    expect(checkDetermination(legal, { category: 'other_change', rules }).map((v) => v.rule)).toEqual(['evidence_required']);
    const approved = {
      ...legal,
      subType: 'approved_construction',
      approvals: [{ type: 'land_approval' as const, documentNumber: '批1号', date: '2026-01-01' }],
    };
    expect(checkDetermination(approved, { category: 'other_change', rules })).toEqual([]);
    expect(checkDetermination(other, { category: 'other_change', rules })).toEqual([]);
    expect(checkDetermination(illegal, { category: 'other_change', rules: { forbidOtherFor: [], farmlandFlags: [] } })).toEqual([]);
    expect(checkDetermination(illegal, { category: 'other_change', rules: { ...rules, evidence: { illegal: 0, legalWithoutApproval: 1 } } })).toEqual([]);
  });
});

describe("a notice's clauses", () => {
  it('are joined with "；", never after a clause that ends a sentence', () => {
    expect(joinClauses(['请于本周内上报。', '截止时间 2026-11-22', '督办人 张三'])).toBe('请于本周内上报。截止时间 2026-11-22；督办人 张三');
    expect(joinClauses(['请本周内办结；', undefined, '', '截止时间 2026-04-25'])).toBe('请本周内办结；截止时间 2026-04-25');
    expect(noticeText('reminder', { taskType: 'verification', patchCode: 'P1', dueOn: '2026-11-22', message: '请于本周内上报。', by: '张三' }).body).toBe(
      '请于本周内上报。截止时间 2026-11-22；督办人 张三',
    );
  });
});

describe('every area is stated: a left-out one is not a silent 0 (001 三(三); 003)', () => {
  it('names each missing area, whoever sent the determination (the workflow checks it too)', () => {
    const illegal = { ...other, legality: 'illegal', subType: 'occupied_without_approval', areas: { totalMu: 30 } } as unknown as Determination;
    const found = checkDetermination(illegal, {
      category: 'new_non_agricultural_construction',
      rules: { forbidOtherFor: [], farmlandFlags: ['rural_housing'] },
    });
    expect(found.map((v) => [v.path, v.rule])).toEqual([
      ['determination.areas.farmlandMu', 'area_required'],
      ['determination.areas.basicFarmlandMu', 'area_required'],
      ['determination.areas.redLineMu', 'area_required'],
    ]);
    expect(found[0].message).toBe('请填写耕地面积（亩，没有填0）');
    expect(found[0].messageEn).toBe('give the farmland area in mu (0 when there is none)');
    // Stated as 0, they pass.
    expect(
      checkDetermination(
        { ...illegal, areas: { totalMu: 30, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 } },
        { category: 'new_non_agricultural_construction', rules: { forbidOtherFor: [], farmlandFlags: ['rural_housing'] } },
      ),
    ).toEqual([]);
  });
});
