/**
 * Jiangmen's construction-land plan quota (002 五(四)), from the notice: "对2020年度、2021年度内违法占用非耕地且未能
 * 消除违法状态的，按未整改违法用地面积的15%冻结地市同等数量的新增建设用地计划指标。省自然资源厅分别于2021年6月底、
 * 9月底和2022年的3月底、6月底、9月底前，分批组织…验收，并按比例解冻用地计划指标，到期仍未解冻的用地计划指标直接扣减。"
 * The rounds are the notice's own calendar dates, not dates relative to a patch's year.
 */
import { describe, expect, it } from 'vitest';
import { computeDue, describeRule, formatLocalDate, settlementRounds, type DeadlineRule } from '../domain/deadlines';
import { BASE_POLICY, mergePolicy, planCoversPatch, type RegionPolicy } from '../domain/policy';
import { PRESETS } from '../domain/presets';
import { policyOverridesSchema } from '../domain/schemas/policy';
import { ancestry } from '../domain/regions';

const effective = (regionCode: string): RegionPolicy =>
  mergePolicy<RegionPolicy>(BASE_POLICY, ...ancestry(regionCode).map((code) => PRESETS.find((p) => p.regionCode === code)?.overrides));
const plan = effective('440703').quota.constructionPlan!;
const days = (ds: Date[]) => ds.map((d) => formatLocalDate(d));

describe('an absolute date as a rule (onDate)', () => {
  it('is due at the end of that day in Asia/Shanghai, whatever the anchor', () => {
    const rule: DeadlineRule = { kind: 'onDate', date: '2022-03-31' };
    for (const at of ['2020-05-01T02:00:00Z', '2021-11-30T02:00:00Z', '2022-04-02T02:00:00Z']) {
      expect(computeDue(rule, { issuedAt: at, eventAt: at }).toISOString()).toBe('2022-03-31T15:59:59.999Z');
    }
    expect(describeRule(rule)).toBe('2022年3月31日前');
  });
  it('is accepted by the policy schema only as a real date', () => {
    const withRound = (date: string) => policyOverridesSchema.safeParse({ quota: { constructionPlan: { share: 0.15, rounds: [{ kind: 'onDate', date }] } } });
    expect(withRound('2022-09-30').success).toBe(true);
    const bad = withRound('2022-02-30');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['quota', 'constructionPlan', 'rounds', 0, 'date']);
    expect(() => computeDue({ kind: 'onDate', date: '2022-13-01' }, { issuedAt: 0, eventAt: 0 })).toThrow(/not a date/);
  });
});

describe("Jiangmen's preset (002 五(四))", () => {
  it('freezes 15% and settles at the end of June and September 2021 and of March, June and September 2022', () => {
    expect(plan.share).toBe(0.15);
    expect(days(plan.rounds.map((r) => computeDue(r, { issuedAt: '2021-07-01T00:00:00Z', eventAt: '2021-07-01T00:00:00Z' })))).toEqual([
      '2021-06-30',
      '2021-09-30',
      '2022-03-31',
      '2022-06-30',
      '2022-09-30',
    ]);
  });
  it('covers the patches of 2020 and 2021 only (by their imaging year, else issuance)', () => {
    expect(planCoversPatch(plan, { issuedAt: '2020-03-10T02:00:00Z' })).toBe(true);
    expect(planCoversPatch(plan, { issuedAt: '2021-12-10T02:00:00Z' })).toBe(true);
    // The annual supplementary batch of 2021 is issued in 2022: still 2021年度.
    expect(planCoversPatch(plan, { issuedAt: '2022-01-20T02:00:00Z', imagedAt: '2021-12-31T02:00:00Z' })).toBe(true);
    expect(planCoversPatch(plan, { issuedAt: '2022-05-10T02:00:00Z' })).toBe(false);
    expect(planCoversPatch(plan, { issuedAt: '2019-12-31T15:00:00Z' })).toBe(false);
    // 2019-12-31T17:00Z is already 1 January 2020 in Shanghai.
    expect(planCoversPatch(plan, { issuedAt: '2019-12-31T17:00:00Z' })).toBe(true);
  });
  it('a case registered in March 2021 is settled at all five rounds; one of August 2021 from September on', () => {
    const patch2020 = { issuedAt: '2020-06-10T02:00:00Z', eventAt: '2020-06-10T02:00:00Z' };
    expect(days(settlementRounds(plan.rounds, patch2020, Date.parse('2021-03-15T02:00:00Z')))).toEqual([
      '2021-06-30',
      '2021-09-30',
      '2022-03-31',
      '2022-06-30',
      '2022-09-30',
    ]);
    const patch2021 = { issuedAt: '2021-07-10T02:00:00Z', eventAt: '2021-07-10T02:00:00Z' };
    expect(days(settlementRounds(plan.rounds, patch2021, Date.parse('2021-08-01T02:00:00Z')))).toEqual([
      '2021-09-30',
      '2022-03-31',
      '2022-06-30',
      '2022-09-30',
    ]);
  });
  it('the last round is the deadline: a freeze booked after it is settled (deducted) at once', () => {
    const late = { issuedAt: '2021-11-10T02:00:00Z', eventAt: '2021-11-10T02:00:00Z' };
    expect(days(settlementRounds(plan.rounds, late, Date.parse('2022-10-08T02:00:00Z')))).toEqual(['2022-09-30']);
  });
  it('is a policy of Jiangmen alone: its neighbours and other provinces freeze no plan quota', () => {
    expect(effective('440303').quota.constructionPlan).toBeUndefined();
    expect(effective('350583').quota.constructionPlan).toBeUndefined();
  });
});
