/**
 * The deadline calculator and the five notices' presets, each case written from its notice.
 * Due instants are the end of the due day in Asia/Shanghai (UTC+8).
 */
import { describe, expect, it } from 'vitest';
import { computeDue, DEADLINE_KIND, describeRule, dueAtFor, endOfLocalDay, localDateOf, type DeadlineRule } from '../domain/deadlines';
import { BASE_POLICY, deadlineRuleFor, mergePolicy, type RegionPolicy } from '../domain/policy';
import { PRESETS } from '../domain/presets';
import { ancestry } from '../domain/regions';
import type { BatchKind } from '../domain/types';

/** Effective policy of a region from the presets along its ancestry, as the policy store merges them. */
function effective(regionCode: string): RegionPolicy {
  const chain = ancestry(regionCode);
  const layers = chain.map((code) => PRESETS.find((p) => p.regionCode === code)?.overrides);
  return mergePolicy<RegionPolicy>(BASE_POLICY, ...layers);
}

/** Due as "YYYY-MM-DD" local, asserting it is the last millisecond of that day. */
function dueDay(rule: DeadlineRule, at: { issued: string; event?: string; imaged?: string }): string {
  const due = computeDue(rule, { issuedAt: at.issued, eventAt: at.event ?? at.issued, imagedAt: at.imaged });
  const d = localDateOf(due);
  expect(due.getTime()).toBe(endOfLocalDay(d).getTime());
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

const verification = (region: string, batchKind: BatchKind = 'monthly') => deadlineRuleFor(effective(region), 'verification', { batchKind });

describe('the end of the due day in Asia/Shanghai', () => {
  it('is 23:59:59.999 +08:00, i.e. 15:59:59.999Z', () => {
    const due = computeDue({ kind: 'daysAfter', days: 0 }, { issuedAt: '2023-05-22T01:00:00Z', eventAt: '2023-05-22T01:00:00Z' });
    expect(due.toISOString()).toBe('2023-05-22T15:59:59.999Z');
  });
  it('counts the local date, not the UTC date, of the anchor', () => {
    // 2023-05-20T16:30Z is 00:30 on 21 May in Shanghai.
    expect(localDateOf('2023-05-20T16:30:00Z')).toEqual({ year: 2023, month: 5, day: 21 });
    expect(localDateOf('2023-05-20T15:59:59Z')).toEqual({ year: 2023, month: 5, day: 20 });
  });
});

describe('Ningxia (001): by the 25th of the month after issuance', () => {
  const rule = verification('640104');
  it('patches issued in March are due on 25 April', () => {
    expect(dueDay(rule, { issued: '2023-03-10T02:00:00Z' })).toBe('2023-04-25');
    expect(dueDay(rule, { issued: '2023-03-31T15:00:00Z' })).toBe('2023-04-25');
  });
  it('December patches are due on 25 January of the next year', () => {
    expect(dueDay(rule, { issued: '2023-12-05T02:00:00Z' })).toBe('2024-01-25');
  });
  it('the city review shares the 25th', () => {
    const review = deadlineRuleFor(effective('640104'), 'review', { level: 'city' });
    expect(dueDay(review, { issued: '2023-06-02T02:00:00Z', event: '2023-06-20T02:00:00Z' })).toBe('2023-07-25');
  });
  it('"other" is forbidden for new non-agricultural construction and continuous change', () => {
    expect(effective('640104').verification.forbidOtherFor).toEqual(['new_non_agricultural_construction', 'continuous_change']);
  });
});

describe('Liaocheng (003): issued on or before the 20th → the 22nd of the same month', () => {
  const rule = verification('371502');
  it('the 20th itself is inclusive', () => {
    expect(dueDay(rule, { issued: '2023-05-20T08:00:00Z' })).toBe('2023-05-22');
    expect(dueDay(rule, { issued: '2023-05-01T08:00:00Z' })).toBe('2023-05-22');
  });
  it('after the 20th → the 22nd of the next month', () => {
    expect(dueDay(rule, { issued: '2023-05-21T08:00:00Z' })).toBe('2023-06-22');
    expect(dueDay(rule, { issued: '2023-12-28T08:00:00Z' })).toBe('2024-01-22');
  });
  it('after the 20th by Shanghai time, even when still the 20th in UTC', () => {
    expect(dueDay(rule, { issued: '2023-05-20T16:30:00Z' })).toBe('2023-06-22');
  });
  // 各县（市、区）按照省市两级初审反馈意见每月25日前完成数据纠正 (003 三(三)): counted from the feedback (the send-back).
  describe('corrections after send-back by the 25th, counted from the send-back', () => {
    const correction = deadlineRuleFor(effective('371502'), 'correction');
    it('sent back before the 25th → the 25th of the same month', () => {
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-23T08:00:00Z' })).toBe('2023-05-25');
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-24T08:00:00Z' })).toBe('2023-05-25');
    });
    it('the issuance date does not matter: issued after the 20th, sent back on the 23rd of that month → the 25th', () => {
      expect(dueDay(correction, { issued: '2023-05-21T08:00:00Z', event: '2023-05-23T08:00:00Z' })).toBe('2023-05-25');
      expect(dueDay(correction, { issued: '2023-05-21T08:00:00Z', event: '2023-06-23T08:00:00Z' })).toBe('2023-06-25');
    });
    it('sent back on or after the 25th → the 25th of the next month, never a date already past', () => {
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-25T02:00:00Z' })).toBe('2023-06-25');
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-27T08:00:00Z' })).toBe('2023-06-25');
      expect(dueDay(correction, { issued: '2023-12-01T08:00:00Z', event: '2023-12-28T08:00:00Z' })).toBe('2024-01-25');
    });
    it('the send-back day is the Shanghai date: 24 May 23:30 local is still "by the 24th"', () => {
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-24T15:30:00Z' })).toBe('2023-05-25');
      expect(dueDay(correction, { issued: '2023-05-10T08:00:00Z', event: '2023-05-24T16:30:00Z' })).toBe('2023-06-25');
    });
    it('a second round counts from the second send-back', () => {
      const first = computeDue(correction, { issuedAt: '2023-05-10T08:00:00Z', eventAt: '2023-05-27T08:00:00Z' });
      const second = computeDue(correction, { issuedAt: '2023-05-10T08:00:00Z', eventAt: '2023-06-27T08:00:00Z' });
      expect(localDateOf(first)).toEqual({ year: 2023, month: 6, day: 25 });
      expect(localDateOf(second)).toEqual({ year: 2023, month: 7, day: 25 });
    });
  });
  it('requires the six farmland answers', () => {
    expect(effective('371502').verification.farmlandFlags).toHaveLength(6);
  });
});

describe('Jiangmen (002): April–December by the 15th of the next month, January–March by 30 April', () => {
  const rule = verification('440703');
  it('January to March patches are due on 30 April', () => {
    expect(dueDay(rule, { issued: '2021-01-15T02:00:00Z' })).toBe('2021-04-30');
    expect(dueDay(rule, { issued: '2021-03-31T02:00:00Z' })).toBe('2021-04-30');
  });
  it('April to December patches are due on the 15th of the next month', () => {
    expect(dueDay(rule, { issued: '2021-04-03T02:00:00Z' })).toBe('2021-05-15');
    expect(dueDay(rule, { issued: '2021-12-20T02:00:00Z' })).toBe('2022-01-15');
  });
  // 利用2021年度国土变更调查成果形成的年度卫片执法补充图斑…应于2022年3月5日前 (002 二, 三(一))
  describe('the annual supplementary batch: 5 March of the year after its survey', () => {
    const annual = verification('440703', 'annual_supplementary');
    const due = (at: { issued: string; imaged?: string }) => {
      const d = localDateOf(computeDue(annual, { issuedAt: at.issued, eventAt: at.issued, imagedAt: at.imaged, batchKind: 'annual_supplementary' }));
      return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
    };
    it('counts from the survey (imaging) date', () => {
      expect(due({ issued: '2022-01-20T02:00:00Z', imaged: '2021-12-31T02:00:00Z' })).toBe('2022-03-05');
      expect(dueDay(annual, { issued: '2022-01-20T02:00:00Z', imaged: '2021-12-31T02:00:00Z' })).toBe('2022-03-05');
    });
    it('without an imaging date, the survey is the year before issuance: 5 March of the issuance year, not a year later', () => {
      expect(due({ issued: '2022-01-20T02:00:00Z' })).toBe('2022-03-05');
      expect(due({ issued: '2022-03-05T09:00:00Z' })).toBe('2022-03-05');
      // 1 January in Shanghai is still the next year's issuance (31 Dec 16:30Z).
      expect(due({ issued: '2021-12-31T16:30:00Z' })).toBe('2022-03-05');
    });
    it('issued after 5 March, the batch is late and so is its deadline (the city sets a new one, 002 三(三))', () => {
      expect(due({ issued: '2022-04-10T02:00:00Z' })).toBe('2022-03-05');
      expect(due({ issued: '2022-04-10T02:00:00Z', imaged: '2021-12-31T02:00:00Z' })).toBe('2022-03-05');
    });
    it('a monthly batch without an imaging date still counts from its issuance (T+10, 000 二(一))', () => {
      const rule: DeadlineRule = { kind: 'dayOfMonth', day: 15, monthOffset: 1, from: 'imaging' };
      expect(localDateOf(computeDue(rule, { issuedAt: '2022-05-03T02:00:00Z', eventAt: '2022-05-03T02:00:00Z', batchKind: 'monthly' }))).toEqual({
        year: 2022,
        month: 6,
        day: 15,
      });
    });
  });
  // …完成市、县级审核工作 (002 三(一)): the city's review is bound by the same dates as the county's verification.
  describe('the city review by the same dates ("完成市、县级审核工作")', () => {
    const cityReview = (batchKind: BatchKind = 'monthly') => deadlineRuleFor(effective('440703'), 'review', { level: 'city', batchKind });
    it('April–December: the 15th of the month after issuance, whenever the county filed', () => {
      expect(dueDay(cityReview(), { issued: '2021-04-03T02:00:00Z', event: '2021-05-10T02:00:00Z' })).toBe('2021-05-15');
      expect(dueDay(cityReview(), { issued: '2021-12-20T02:00:00Z', event: '2022-01-05T02:00:00Z' })).toBe('2022-01-15');
    });
    it('January–March: 30 April', () => {
      expect(dueDay(cityReview(), { issued: '2021-02-10T02:00:00Z', event: '2021-03-01T02:00:00Z' })).toBe('2021-04-30');
    });
    it('the annual supplementary batch: 5 March after the survey year', () => {
      expect(
        dueDay(cityReview('annual_supplementary'), { issued: '2022-01-20T02:00:00Z', event: '2022-02-01T02:00:00Z', imaged: '2021-12-31T02:00:00Z' }),
      ).toBe('2022-03-05');
    });
    it('the province keeps the national month after the county confirms', () => {
      const province = deadlineRuleFor(effective('440703'), 'review', { level: 'province' });
      expect(dueDay(province, { issued: '2021-04-03T02:00:00Z', event: '2021-04-20T02:00:00Z' })).toBe('2021-05-20');
    });
  });
  it("inherits Guangdong's review: the city reviews all, the province samples 30% of each class", () => {
    const chain = effective('440703').review.chain;
    expect(chain.map((l) => l.level)).toEqual(['city', 'province']);
    expect(chain[1].coverage).toEqual({ mode: 'sample', rates: { legal: 0.3, illegal: 0.3, other: 0.3 } });
  });
});

describe("Nan'an (004): within 15 days of issuance", () => {
  const rule = verification('350583');
  it('counts 15 calendar days', () => {
    expect(dueDay(rule, { issued: '2022-11-02T02:00:00Z' })).toBe('2022-11-17');
    expect(dueDay(rule, { issued: '2022-12-20T02:00:00Z' })).toBe('2023-01-04');
  });
  it('does not apply to its neighbours in Quanzhou', () => {
    expect(verification('350582')).toEqual(BASE_POLICY.deadlines.verification.default);
  });
});

describe('the ministry (000): province desk review within one month after the county confirms', () => {
  const rule = deadlineRuleFor(effective('640104'), 'review', { level: 'province' });
  it('the same date a month later, clamped to the month end', () => {
    expect(dueDay(rule, { issued: '2022-01-05T02:00:00Z', event: '2022-03-15T02:00:00Z' })).toBe('2022-04-15');
    expect(dueDay(rule, { issued: '2022-01-05T02:00:00Z', event: '2022-01-31T02:00:00Z' })).toBe('2022-02-28');
    expect(dueDay(rule, { issued: '2024-01-05T02:00:00Z', event: '2024-01-31T02:00:00Z' })).toBe('2024-02-29');
  });
  it('on-site checks: the province at 100 mu of farmland with new buildings or structures everywhere, Liaocheng adds its city rules', () => {
    expect(effective('640104').onsiteChecks.province).toEqual([{ metric: 'farmlandMu', minMu: 100, legalities: ['illegal'], newStructures: true }]);
    const liaocheng = effective('371502').onsiteChecks;
    expect(liaocheng.province).toHaveLength(1);
    expect(liaocheng.city?.map((r) => [r.metric, r.minMu])).toEqual([
      ['farmlandMu', 20],
      ['basicFarmlandMu', 5],
      ['redLineMu', 5],
      // 设施农业用地类、农业项目违法类、未变化占用耕地10亩以上 (003 四(一)): farmland, of what the county filed
      ['farmlandMu', 10],
    ]);
    expect(liaocheng.city?.[3].filedAs).toEqual(['facility_agriculture', 'agricultural_project_illegal', 'unchanged']);
  });
});

describe('rule kinds at the edges', () => {
  it('a day past the month end is the last day of the month', () => {
    expect(dueDay({ kind: 'dayOfMonth', day: 31, monthOffset: 1 }, { issued: '2023-01-10T02:00:00Z' })).toBe('2023-02-28');
  });
  it('byMonth without a range for the month is an error, not a silent default', () => {
    expect(() =>
      computeDue(
        { kind: 'byMonth', ranges: [{ fromMonth: 1, toMonth: 3, rule: { kind: 'daysAfter', days: 1 } }] },
        { issuedAt: '2023-05-01T00:00:00Z', eventAt: '2023-05-01T00:00:00Z' },
      ),
    ).toThrow(/month 5/);
  });
  it('describes rules in Chinese for the policy editor', () => {
    expect(describeRule(verification('371502'))).toBe('20日（含）前下发的当月22日前，之后的顺延一个月');
    expect(describeRule(verification('350583'))).toBe('下发后15日内');
  });
});

describe('dueAtFor: a task’s due instant under a policy', () => {
  const subject = { issuedAt: '2023-05-10T02:00:00Z', batchKind: 'monthly' as const };

  it('is the rule of the task type’s deadline kind, at its review level, counted from its event', () => {
    const policy = effective('640104');
    const eventAt = '2023-06-03T02:00:00Z';
    const cityReview = computeDue(deadlineRuleFor(policy, 'review', { level: 'city', batchKind: 'monthly' }), { ...subject, eventAt });
    expect(dueAtFor(policy, subject, { type: 'review', level: 'city', eventAt })).toEqual(cityReview);
    const province = computeDue(deadlineRuleFor(policy, 'review', { level: 'province', batchKind: 'monthly' }), { ...subject, eventAt });
    expect(dueAtFor(policy, subject, { type: 'review', level: 'province', eventAt })).toEqual(province);
    expect(cityReview).not.toEqual(province);
  });

  it('maps every task type to a deadline kind the policy sets (the offline report and the three acceptances share one)', () => {
    const policy = effective('440703');
    for (const [type, kind] of Object.entries(DEADLINE_KIND)) expect(policy.deadlines[kind], type).toBeDefined();
    expect([DEADLINE_KIND.military_report, DEADLINE_KIND.acceptance_county, DEADLINE_KIND.acceptance_province]).toEqual([
      'verification',
      'acceptance',
      'acceptance',
    ]);
    const eventAt = '2023-05-12T02:00:00Z';
    expect(dueAtFor(policy, subject, { type: 'acceptance_city', eventAt })).toEqual(dueAtFor(policy, subject, { type: 'acceptance_county', eventAt }));
  });
});
