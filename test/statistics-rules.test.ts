/** The supervision rules as pure functions (domain/statistics.ts), each from its notice. */
import { describe, expect, it } from 'vitest';
import { formatLocalDate, startOfLocalDay } from '../domain/deadlines';
import { BASE_POLICY, mergePolicy, type RegionPolicy } from '../domain/policy';
import { PRESETS } from '../domain/presets';
import {
  accountabilityRatio,
  EMPTY_AGGREGATES,
  figures,
  qualityRates,
  rankings,
  rectificationCutoff,
  reportPeriodOf,
  type RegionAggregates,
} from '../domain/statistics';

const agg = (over: Partial<RegionAggregates>): RegionAggregates => ({ ...EMPTY_AGGREGATES, ...over });

describe('rectification rates (001 三(六))', () => {
  it('reproduces Ningxia 2018–2021: 30,400 of 48,700 mu rectified; on the farmland basis 10,500 of 15,700 = 66.88%', () => {
    const f = figures(
      agg({ illegal: { count: 1, areaMu: 48_700, farmlandMu: 15_700 }, rectified: { count: 1, areaMu: 30_400, farmlandMu: 10_500 } }),
      BASE_POLICY,
    );
    expect(f.farmlandRectificationRate! * 100).toBeCloseTo(66.88, 2);
    expect(f.rectificationRate! * 100).toBeCloseTo(62.42, 2);
  });
});

describe('the accountability ratio and its deductions (000 二(六); 002 五(二))', () => {
  const base = agg({ illegal: { count: 10, areaMu: 60, farmlandMu: 30 }, newConstructionFarmlandMu: 200 });
  it('is illegal farmland over new construction land occupying farmland', () => {
    expect(accountabilityRatio(base, BASE_POLICY)).toMatchObject({ numeratorMu: 30, denominatorMu: 200, ratio: 0.15, warning: 'reached' });
  });
  it('legalised farmland leaves the numerator only', () => {
    expect(accountabilityRatio({ ...base, legalisedFarmlandMu: 10 }, BASE_POLICY)).toMatchObject({
      numeratorMu: 20,
      denominatorMu: 200,
      ratio: 0.1,
      warning: null,
    });
  });
  it('re-cultivated farmland and major infrastructure leave both', () => {
    expect(accountabilityRatio({ ...base, recultivatedFarmlandMu: 5, majorInfrastructureFarmlandMu: 5 }, BASE_POLICY)).toMatchObject({
      numeratorMu: 20,
      denominatorMu: 190,
    });
  });
  it('deducts only illegal major infrastructure: 100 mu of a legal highway stay; 30 of 200 mu illegal is 15%, reached', () => {
    const a = agg({ illegal: { count: 1, areaMu: 40, farmlandMu: 30 }, newConstructionFarmlandMu: 200, legalMajorInfrastructureFarmlandMu: 100 });
    expect(accountabilityRatio(a, BASE_POLICY)).toMatchObject({ numeratorMu: 30, denominatorMu: 200, ratio: 0.15, warning: 'reached' });
  });
  it('deducts each patch once: illegal major infrastructure that is also re-cultivated or legalised leaves as major infrastructure', () => {
    // 50 mu illegal farmland: 20 major infrastructure (12 of it re-cultivated, 8 legalised), 10 more re-cultivated, 5 more legalised.
    const a = agg({
      illegal: { count: 5, areaMu: 80, farmlandMu: 50 },
      newConstructionFarmlandMu: 200,
      majorInfrastructureFarmlandMu: 20,
      majorInfrastructureRecultivatedFarmlandMu: 12,
      majorInfrastructureLegalisedFarmlandMu: 8,
      recultivatedFarmlandMu: 22,
      legalisedFarmlandMu: 13,
    });
    expect(accountabilityRatio(a, BASE_POLICY)).toMatchObject({
      numeratorMu: 50 - 20 - 10 - 5,
      denominatorMu: 200 - 20 - 10,
      deducted: { majorInfrastructureMu: 20, recultivatedMu: 10, legalisedMu: 5 },
    });
  });
  it('warns when nearing the threshold (from 80% of 15% by default) and when reaching it', () => {
    expect(accountabilityRatio({ ...base, illegal: { ...base.illegal, farmlandMu: 24 } }, BASE_POLICY).warning).toBe('near');
    expect(accountabilityRatio({ ...base, illegal: { ...base.illegal, farmlandMu: 23.9 } }, BASE_POLICY).warning).toBe(null);
    const stricter = { statistics: { ...BASE_POLICY.statistics, accountabilityThreshold: 0.1 } };
    expect(accountabilityRatio({ ...base, illegal: { ...base.illegal, farmlandMu: 20 } }, stricter).warning).toBe('reached');
  });
  it('has no ratio without new construction on farmland', () => {
    expect(accountabilityRatio(agg({}), BASE_POLICY)).toMatchObject({ ratio: null, warning: null });
  });
});

describe('concealment (002 五(三)): interview at a province-review concealment rate of 10% or more with more than 10 concealed patches', () => {
  it('needs both the rate and the count', () => {
    expect(figures(agg({ provinceChecked: 100, provinceConcealed: 11 }), BASE_POLICY).concealmentInterview).toBe(true);
    expect(figures(agg({ provinceChecked: 100, provinceConcealed: 10 }), BASE_POLICY).concealmentInterview).toBe(false);
    expect(figures(agg({ provinceChecked: 200, provinceConcealed: 15 }), BASE_POLICY).concealmentInterview).toBe(false);
    expect(figures(agg({ provinceChecked: 200, provinceConcealed: 15 }), BASE_POLICY).concealmentRate).toBe(0.075);
  });
  it("is the province's (省级审核中瞒报率): what a city reviewed and found does not count, however much", () => {
    // The city reviews all 200 and finds 30 concealed; the province reviewed 40 and found 3 of its own.
    const f = figures(agg({ reviewed: 200, checked: 200, concealed: 33, provinceChecked: 40, provinceConcealed: 3 }), BASE_POLICY);
    expect(f.concealmentRate).toBe(0.075);
    expect(f.concealmentInterview).toBe(false);
    // Every level's is kept alongside.
    expect(f.concealmentRateAllLevels).toBe(0.165);
    expect(figures(agg({ checked: 100, concealed: 30 }), BASE_POLICY)).toMatchObject({ concealmentRate: null, concealmentInterview: false });
  });
});

describe('monthly clearance and rankings', () => {
  it('counts verified on time over issued, military patches left out', () => {
    expect(figures(agg({ issued: 21, military: 1, verifiedOnTime: 15 }), BASE_POLICY).clearanceRate).toBe(0.75);
  });
  it('ranks the top regions by illegal area and by illegal farmland share', () => {
    const rows = [
      { regionCode: 'a', figures: figures(agg({ illegal: { count: 1, areaMu: 5, farmlandMu: 5 }, newConstructionFarmlandMu: 10 }), BASE_POLICY) },
      { regionCode: 'b', figures: figures(agg({ illegal: { count: 1, areaMu: 50, farmlandMu: 5 }, newConstructionFarmlandMu: 100 }), BASE_POLICY) },
      { regionCode: 'c', figures: figures(agg({}), BASE_POLICY) },
    ];
    const r = rankings(rows, 2);
    expect(r.byIllegalArea.map((x) => x.regionCode)).toEqual(['b', 'a']);
    expect(r.byIllegalFarmlandShare.map((x) => x.regionCode)).toEqual(['a', 'b']);
  });
  it('ranks by illegal area and illegal farmland share combined (002 五(三)): the sum of the two ranks, ties by area', () => {
    // illegal area / share: A 50 mu 5%, B 40 mu 50%, C 30 mu 30%, D 20 mu 80%, E 10 mu without farmland.
    const row = (regionCode: string, areaMu: number, farmlandMu: number, legalFarmlandMu: number) => ({
      regionCode,
      figures: figures(agg({ illegal: { count: 1, areaMu, farmlandMu }, newConstructionFarmlandMu: farmlandMu + legalFarmlandMu }), BASE_POLICY),
    });
    const rows = [row('A', 50, 5, 95), row('B', 40, 10, 10), row('C', 30, 6, 14), row('D', 20, 8, 2), row('E', 10, 0, 0), row('F', 0, 0, 50)];
    const r = rankings(rows, 3);
    // Ranks (area + share): A 1+4, B 2+2, C 3+3, D 4+1, E 5+5; F has no illegal land and is not ranked.
    expect(r.combined.map((x) => [x.regionCode, x.areaRank, x.shareRank])).toEqual([
      ['B', 2, 2],
      ['A', 1, 4],
      ['D', 4, 1],
    ]);
    expect(r.byIllegalArea.map((x) => x.regionCode)).toEqual(['A', 'B', 'C']);
    expect(rankings(rows, 10).combined.map((x) => x.regionCode)).toEqual(['B', 'A', 'D', 'C', 'E']);
  });
});

describe('the rectification cut-off of the results (002 三(二); 003 三(四))', () => {
  const effective = (...keys: string[]) => mergePolicy<RegionPolicy>(BASE_POLICY, ...keys.map((k) => PRESETS.find((p) => p.key === k)!.overrides));
  it('is 31 December in Jiangmen and 15 January of the next year in Liaocheng, at the end of the day', () => {
    const jiangmen = rectificationCutoff(effective('national', 'guangdong', 'jiangmen'), 'annual', 2025)!;
    expect(jiangmen.toISOString()).toBe('2025-12-31T15:59:59.999Z');
    expect(formatLocalDate(rectificationCutoff(effective('national', 'liaocheng'), 'annual', 2025)!)).toBe('2026-01-15');
  });
  it("is absent where no notice sets one (the state when the report is made), and for Liaocheng's half-year", () => {
    expect(rectificationCutoff(effective('national', 'nanan'), 'annual', 2025)).toBeUndefined();
    expect(rectificationCutoff(effective('national', 'liaocheng'), 'half-year', 2025)).toBeUndefined();
  });
  it("applies to the periods that are a report's: a calendar year or its first half", () => {
    const day = (y: number, m: number, d: number) => startOfLocalDay({ year: y, month: m, day: d });
    expect(reportPeriodOf(day(2025, 1, 1), day(2026, 1, 1))).toEqual({ kind: 'annual', year: 2025 });
    expect(reportPeriodOf(day(2025, 1, 1), day(2025, 7, 1))).toEqual({ kind: 'half-year', year: 2025 });
    expect(reportPeriodOf(day(2025, 2, 1), day(2025, 3, 1))).toBeUndefined();
    expect(reportPeriodOf(day(2025, 7, 1), day(2026, 1, 1))).toBeUndefined();
  });
});

describe('填报率 and 差错率 (docs/domain.md §11)', () => {
  it('填报率 is filed / issued, 差错率 sent back / filed; military patches are not issued for them', () => {
    expect(qualityRates({ issued: 10, filed: 8, sentBack: 2 })).toEqual({ fillingRate: 0.8, errorRate: 0.25 });
    expect(qualityRates({ issued: 0, filed: 0, sentBack: 0 })).toEqual({ fillingRate: null, errorRate: null });
    const f = figures(agg({ issued: 11, military: 1, filed: 5, sentBack: 1 }), BASE_POLICY);
    expect(f).toMatchObject({ fillingRate: 0.5, errorRate: 0.2 });
  });
});
