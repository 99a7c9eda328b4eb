/**
 * The admin UI's message catalogues: the Chinese one covers every text of react-admin's English pack (the
 * Chinese pack lacks some; nothing may fall back to English in a Chinese UI), and no English text carries
 * Chinese characters or punctuation. The policy editor's own describer of deadline rules says in Chinese
 * exactly what the server's (domain/deadlines.ts) says, and something else in English.
 */
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { messages } from '../admin-ui/src/i18n';
import { describeRule as describeInUi } from '../admin-ui/src/policies/describeRule';
import { describeRule, type DeadlineRule } from '../domain/deadlines';

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

function flatten(o: object, prefix = ''): Array<[string, string]> {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]]));
}

describe('the message catalogues', () => {
  it('Chinese: every react-admin text is translated', () => {
    const zh = new Map(flatten(messages['zh-CN']));
    // Untranslated: missing, or the English text itself (unless it has no words, e.g. "%{from}-%{to}").
    const english = flatten(englishMessages).filter(([, v]) => /[a-z]{2}/i.test(v.replace(/%\{\w+\}/g, '')));
    const untranslated = english.filter(([k, v]) => (zh.get(k) ?? v) === v).map(([k]) => k);
    expect(untranslated).toEqual([]);
  });

  it('English: no Chinese characters or punctuation in any text', () => {
    const chinese = flatten(messages.en).filter(([, v]) => CJK.test(v));
    expect(chinese).toEqual([]);
  });

  it("both languages have the same keys (react-admin's own aside)", () => {
    const zh = flatten(messages['zh-CN']).map(([k]) => k).filter((k) => !k.startsWith('ra.'));
    const en = new Set(flatten(messages.en).map(([k]) => k));
    expect(zh.filter((k) => !en.has(k))).toEqual([]);
  });
});

/** The app's translate in a language (a missing key shows as such). */
const translator = (locale: 'zh-CN' | 'en') => {
  const provider = polyglotI18nProvider(() => messages[locale], locale, { onMissingKey: (k: string) => `MISSING ${k}` });
  return (key: string, options?: Record<string, unknown>) => provider.translate(key, options);
};

const RULES: DeadlineRule[] = [
  { kind: 'dayOfMonth', day: 25, monthOffset: 1, from: 'issuance' },
  { kind: 'dayOfMonth', day: 22, monthOffset: 0, cutoffDay: 20, from: 'issuance' },
  { kind: 'dayOfMonth', day: 5, monthOffset: 3 },
  { kind: 'daysAfter', days: 15, from: 'issuance' },
  { kind: 'daysAfter', days: 1, from: 'imaging' },
  { kind: 'monthsAfter', months: 1 },
  { kind: 'monthsAfter', months: 2, from: 'issuance' },
  { kind: 'fixedDate', month: 3, day: 5, yearOffset: 1, from: 'issuance' },
  { kind: 'fixedDate', month: 6, day: 30, yearOffset: 0 },
  { kind: 'fixedDate', month: 1, day: 15, yearOffset: 2 },
  { kind: 'onDate', date: '2022-03-31' },
  {
    kind: 'byMonth',
    from: 'issuance',
    ranges: [
      { fromMonth: 1, toMonth: 3, rule: { kind: 'fixedDate', month: 4, day: 30, yearOffset: 0 } },
      { fromMonth: 4, toMonth: 12, rule: { kind: 'dayOfMonth', day: 15, monthOffset: 1 } },
    ],
  },
];

describe("the policy editor's description of deadline rules", () => {
  it('in Chinese, word for word the server\'s', () => {
    const zh = translator('zh-CN');
    expect(RULES.map((r) => describeInUi(zh, r))).toEqual(RULES.map((r) => describeRule(r)));
  });

  it('in English, without Chinese and with the numbers of the rule', () => {
    const en = translator('en');
    const texts = RULES.map((r) => describeInUi(en, r));
    expect(texts.filter((t) => CJK.test(t) || t.includes('MISSING'))).toEqual([]);
    expect(texts[0]).toBe('by day 25 of the next month (from issuance)');
    expect(texts[4]).toBe('within 1 day of imaging');
    expect(texts[6]).toBe('within 2 months of issuance');
    expect(texts[7]).toBe('by 3/5 of the next year');
  });
});
