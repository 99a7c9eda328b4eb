/**
 * The on-site check rules as the notices write them (pure): 003 四(一) counts the farmland that patches
 * filed as facility agriculture, agricultural project or unchanged occupy, whatever they were issued as;
 * 000 二(五) checks patches of new buildings or structures on 100 mu of farmland. Stored rules of the first
 * shape are read in the current one.
 */
import { describe, expect, it } from 'vitest';
import { checkDetermination, type Determination, type DeterminationRules } from '../domain/legality';
import { BASE_POLICY, mergePolicy, migratePolicyOverrides, type OnsiteCheckRule, type RegionPolicy } from '../domain/policy';
import { PRESETS } from '../domain/presets';
import { ancestry } from '../domain/regions';
import { nextOnsiteCheck } from '../domain/review';
import { policyOverridesSchema } from '../domain/schemas/policy';
import type { PatchCategory } from '../domain/types';

const effective = (regionCode: string): RegionPolicy =>
  mergePolicy<RegionPolicy>(BASE_POLICY, ...ancestry(regionCode).map((code) => PRESETS.find((p) => p.regionCode === code)?.overrides));

const det = (
  legality: Determination['legality'],
  subType: string,
  areas: Partial<Determination['areas']>,
  extra: Partial<Determination> = {},
): Determination => ({
  legality,
  subType,
  approvals: [],
  areas: { totalMu: 0, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0, ...areas },
  evidence: [],
  ...extra,
});

const check = (countyCode: string, category: PatchCategory, d: Determination) =>
  nextOnsiteCheck(effective(countyCode), { countyCode, category, determination: d });

describe('Liaocheng (003 四(一)): patches filed as facility agriculture, agricultural project or unchanged, by the farmland they occupy', () => {
  it('a patch issued as 新增非农建设类 and filed as facility agriculture on 12 mu of farmland gets a city on-site check', () => {
    const d = det('legal', 'facility_agriculture', { totalMu: 12, farmlandMu: 12 });
    expect(check('371502', 'new_non_agricultural_construction', d)).toMatchObject({
      level: 'city',
      regionCode: '371500',
      rules: [expect.objectContaining({ filedAs: expect.arrayContaining(['facility_agriculture']) })],
    });
  });

  it('one filed as facility agriculture with a large total but under 10 mu of farmland does not', () => {
    expect(check('371502', 'new_non_agricultural_construction', det('legal', 'facility_agriculture', { totalMu: 60, farmlandMu: 9.99 }))).toBeUndefined();
    // inclusive at 10 ("…10亩以上")
    expect(check('371502', 'other_change', det('legal', 'facility_agriculture', { totalMu: 60, farmlandMu: 10 }))?.level).toBe('city');
  });

  it('unchanged and agricultural-project patches count the same; another sub-type on 12 mu of farmland does not', () => {
    expect(check('371502', 'other_change', det('other', 'unchanged', { totalMu: 15, farmlandMu: 12 }))?.level).toBe('city');
    expect(check('371502', 'other_change', det('illegal', 'agricultural_project_illegal', { totalMu: 15, farmlandMu: 12 }))?.level).toBe('city');
    expect(check('371502', 'other_change', det('legal', 'approved_construction', { totalMu: 15, farmlandMu: 12 }))).toBeUndefined();
    // Issued as facility agriculture but filed as something else: what was issued does not decide it.
    expect(check('371502', 'facility_agriculture', det('legal', 'temporary_land', { totalMu: 15, farmlandMu: 12 }))).toBeUndefined();
  });

  it('农业项目违法 is a sub-type the county can file', () => {
    const rules: DeterminationRules = { forbidOtherFor: [], farmlandFlags: [] };
    expect(checkDetermination(det('illegal', 'agricultural_project_illegal', { totalMu: 5 }), { category: 'other_change', rules })).toEqual([]);
  });
});

describe('the ministry (000 二(五)): new buildings or structures suspected of illegally occupying 100 mu of farmland', () => {
  const big = (extra: Partial<Determination>) => det('illegal', 'occupied_without_approval', { totalMu: 120, farmlandMu: 100 }, extra);

  it('the province checks on site only where the verification records new buildings or structures', () => {
    expect(check('640104', 'new_non_agricultural_construction', big({ newStructures: true }))).toMatchObject({ level: 'province', regionCode: '640000' });
    expect(check('640104', 'new_non_agricultural_construction', big({ newStructures: false }))).toBeUndefined();
    expect(
      check(
        '640104',
        'new_non_agricultural_construction',
        det('illegal', 'occupied_without_approval', { totalMu: 120, farmlandMu: 99.99 }, { newStructures: true }),
      ),
    ).toBeUndefined();
  });

  it('the answer is required where the rule needs it, and only there', () => {
    const province = effective('640104').onsiteChecks.province!;
    const rules: DeterminationRules = { forbidOtherFor: [], farmlandFlags: [], newStructures: province.filter((r) => r.newStructures) };
    const ctx = { category: 'new_non_agricultural_construction' as const, rules };
    expect(checkDetermination(big({}), ctx)).toEqual([expect.objectContaining({ path: 'determination.newStructures', rule: 'new_structures_required' })]);
    expect(checkDetermination(big({ newStructures: false }), ctx)).toEqual([]);
    expect(checkDetermination(det('illegal', 'occupied_without_approval', { totalMu: 120, farmlandMu: 99 }), ctx)).toEqual([]);
    expect(
      checkDetermination(
        det(
          'legal',
          'approved_construction',
          { totalMu: 120, farmlandMu: 100 },
          { approvals: [{ type: 'land_approval', documentNumber: '1', date: '2026-01-01' }] },
        ),
        ctx,
      ),
    ).toEqual([]);
    // A task opened before the rule carries none: nothing is required.
    expect(checkDetermination(big({}), { category: ctx.category, rules: { forbidOtherFor: [], farmlandFlags: [] } })).toEqual([]);
  });
});

describe('stored rules of the first shape are read in the current one', () => {
  /** Liaocheng's rules as the first preset stored them. */
  const OLD_LIAOCHENG = {
    deadlines: { verification: { default: { kind: 'daysAfter', days: 10 } } },
    onsiteChecks: {
      city: [
        { metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] },
        { metric: 'basicFarmlandMu', minMu: 5 },
        {
          metric: 'totalMu',
          minMu: 10,
          legalities: ['legal', 'illegal', 'other'],
          categories: ['facility_agriculture', 'agricultural_project_illegal', 'unchanged_occupying_farmland'],
        },
        { metric: 'totalMu', minMu: 30, categories: ['continuous_change', 'facility_agriculture'] },
      ],
    },
  };

  it('migrates categories to filed sub-types and issued categories, farmland for the filed kinds, and the default legality', () => {
    const migrated = migratePolicyOverrides(OLD_LIAOCHENG);
    expect(migrated.deadlines).toEqual(OLD_LIAOCHENG.deadlines);
    expect(migrated.onsiteChecks!.city).toEqual<OnsiteCheckRule[]>([
      { metric: 'farmlandMu', minMu: 20, legalities: ['illegal'] },
      { metric: 'basicFarmlandMu', minMu: 5, legalities: ['illegal'] },
      {
        metric: 'farmlandMu',
        minMu: 10,
        legalities: ['legal', 'illegal', 'other'],
        filedAs: ['facility_agriculture', 'agricultural_project_illegal', 'unchanged'],
      },
      { metric: 'totalMu', minMu: 30, legalities: ['illegal'], issuedAs: ['continuous_change'] },
      { metric: 'farmlandMu', minMu: 30, legalities: ['illegal'], filedAs: ['facility_agriculture'] },
    ]);
    // What it gives is valid for the API's schema, and reading it again changes nothing.
    expect(policyOverridesSchema.safeParse(migrated).success).toBe(true);
    expect(migratePolicyOverrides(migrated)).toEqual(migrated);
  });

  it('the old shape is refused by the API schema (it is read, not written)', () => {
    expect(policyOverridesSchema.safeParse(OLD_LIAOCHENG).success).toBe(false);
  });

  it('every preset is of the current shape', () => {
    for (const p of PRESETS) {
      expect(migratePolicyOverrides(p.overrides)).toEqual(p.overrides);
      expect(policyOverridesSchema.safeParse(p.overrides).success, p.key).toBe(true);
    }
  });
});
