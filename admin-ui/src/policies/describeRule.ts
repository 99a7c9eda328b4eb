/**
 * A deadline rule in words, in the UI's language: the policy editor's own describer (the server's
 * describeRule in domain/deadlines.ts writes Chinese for notices; this one follows the language switch
 * and, in Chinese, says exactly what the server's says).
 */
import type { DeadlineRule } from '../../../domain/deadlines';
import { joinSemi } from '../i18n/punctuation';

type Translate = (key: string, options?: Record<string, unknown>) => string;

const offset = (translate: Translate, unit: 'month' | 'year', n: number) =>
  translate(`policy.describe.${unit}.${n === 0 ? 'same' : n === 1 ? 'next' : 'later'}`, { smart_count: n });

export function describeRule(translate: Translate, rule: DeadlineRule): string {
  const from = translate(`policy.describe.from.${rule.from ?? 'event'}`);
  switch (rule.kind) {
    case 'dayOfMonth': {
      const month = offset(translate, 'month', rule.monthOffset);
      if (rule.cutoffDay === undefined) return translate('policy.describe.dayOfMonth', { from, month, day: rule.day });
      return translate('policy.describe.dayOfMonthCutoff', { cutoff: rule.cutoffDay, from, month, day: rule.day });
    }
    case 'daysAfter':
      return translate('policy.describe.daysAfter', { from, smart_count: rule.days });
    case 'monthsAfter':
      return translate('policy.describe.monthsAfter', { from, smart_count: rule.months });
    case 'fixedDate':
      return translate('policy.describe.fixedDate', { year: offset(translate, 'year', rule.yearOffset), month: rule.month, day: rule.day });
    case 'onDate': {
      const [year, month, day] = rule.date.split('-').map(Number);
      return translate('policy.describe.onDate', { year, month, day, date: rule.date });
    }
    case 'byMonth':
      return joinSemi(
        translate,
        rule.ranges.map((r) =>
          translate('policy.describe.range', {
            fromMonth: r.fromMonth,
            toMonth: r.toMonth,
            from,
            rule: describeRule(translate, { ...r.rule, from: rule.from } as DeadlineRule),
          }),
        ),
      );
  }
}

/** The description, or "—" for a rule being edited into shape. */
export const safeDescribe = (translate: Translate, rule: DeadlineRule | undefined): string => {
  try {
    return rule ? describeRule(translate, rule) : '—';
  } catch {
    return '—';
  }
};
