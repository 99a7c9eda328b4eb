/**
 * The admin UI's message catalogues: the Chinese one covers every text of react-admin's English pack (the
 * Chinese pack lacks some; nothing may fall back to English in a Chinese UI), and no English text carries
 * Chinese characters or punctuation. The policy editor's own describer of deadline rules says in Chinese
 * exactly what the server's (domain/deadlines.ts) says, and something else in English. The server's own
 * field messages: every Chinese message of a zod schema has its English twin and code (checked in the
 * sources), and the English labels the server's messages use are the UI's.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { messages } from '../admin-ui/src/i18n';
import { describeRule as describeInUi } from '../admin-ui/src/policies/describeRule';
import { zodIssues } from '../api/errors';
import { describeRule, type DeadlineRule } from '../domain/deadlines';
import { CATEGORY_LABELS_EN, LEGALITY_LABELS_EN, SUBTYPE_LABELS_EN } from '../domain/labels';
import { FARMLAND_FLAG_LABELS_EN } from '../domain/labels';
import { msg } from '../domain/schemas/messages';
import { passwordSchema } from '../domain/schemas/users';
import { completionSchemas } from '../domain/schemas/tasks';
import { PROJECT_ROOT } from '../infra/config';

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

function flatten(o: object, prefix = ''): Array<[string, string]> {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, String(v)] as [string, string]],
  );
}

describe('the message catalogues', () => {
  it('Chinese: every react-admin text is translated', () => {
    const zh = new Map(flatten(messages['zh-CN']));
    // Untranslated: missing, or the English text itself (unless it has no words, e.g. "%{from}-%{to}").
    const english = flatten(englishMessages).filter(([, v]) => /[a-z]{2}/i.test(v.replace(/%\{\w+\}/g, '')));
    const untranslated = english.filter(([k, v]) => (zh.get(k) ?? v) === v).map(([k]) => k);
    expect(untranslated).toEqual([]);
  });

  it('Chinese: Chinese punctuation after Chinese text, react-admin\'s own texts included (no "表单输入无效. 请检查错误提示")', () => {
    const ascii = flatten(messages['zh-CN']).filter(([, v]) => /[\u4e00-\u9fff][,.;:?!](?=\s|$|[\u4e00-\u9fff])/.test(v) || /[\u4e00-\u9fff]\.\.\./.test(v));
    expect(ascii).toEqual([]);
    expect(messages['zh-CN'].ra.message.invalid_form).toBe('表单输入无效，请检查错误提示。');
  });

  it('English: no Chinese characters or punctuation in any text', () => {
    const chinese = flatten(messages.en).filter(([, v]) => CJK.test(v));
    expect(chinese).toEqual([]);
  });

  it("both languages have the same keys (react-admin's own aside)", () => {
    const zh = flatten(messages['zh-CN'])
      .map(([k]) => k)
      .filter((k) => !k.startsWith('ra.'));
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
  it("in Chinese, word for word the server's", () => {
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

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'domain/schemas');
const ROUTE_DIR = path.join(PROJECT_ROOT, 'api/routes');
const withoutComments = (src: string) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
/** The string literals with Chinese in a source, with the code before each (on its line and the one above). */
function chineseLiterals(file: string): Array<{ file: string; text: string; before: string }> {
  const src = withoutComments(readFileSync(file, 'utf8'));
  const out: Array<{ file: string; text: string; before: string }> = [];
  for (const m of src.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g)) {
    if (!CJK.test(m[0])) continue;
    const start = m.index ?? 0;
    const lineStart = src.lastIndexOf('\n', src.lastIndexOf('\n', start - 1) - 1) + 1;
    out.push({ file: path.relative(PROJECT_ROOT, file), text: m[0], before: src.slice(lineStart, start) });
  }
  return out;
}
const twinned = (l: { before: string }) => /\b(msg|customIssue)\(\s*$/.test(l.before) || /\bfieldIssue\([^)]*$/.test(l.before);

describe("the server's field messages", () => {
  it('every Chinese message of a schema is written with its English twin (msg or customIssue)', () => {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.ts') && f !== 'messages.ts');
    const missing = files.flatMap((f) => chineseLiterals(path.join(SCHEMA_DIR, f))).filter((l) => !twinned(l));
    expect(missing).toEqual([]);
  });

  it("so is every Chinese message of a route's zod schema or field issue", () => {
    // A zod check's message, or a message: in an object (a refinement's, or a field issue's).
    const zodMessage = /(\.(min|max|length|regex|refine|nonempty)\([^'`]*|message:\s*)$/;
    const literals = readdirSync(ROUTE_DIR).flatMap((f) => chineseLiterals(path.join(ROUTE_DIR, f)));
    const inZod = literals.filter((l) => zodMessage.test(l.before.split('\n').pop() ?? '') || twinned(l));
    expect(inZod.length).toBeGreaterThan(5);
    expect(inZod.filter((l) => !twinned(l))).toEqual([]);
  });

  it('the check finds a message without a twin (it can fail)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-msg-'));
    const file = path.join(dir, 'x.ts');
    writeFileSync(file, "const a = z.string().min(2, '请填写');\nconst b = z.string().min(2, msg('请填写', 'fill this in', 'text_required'));\n");
    expect(
      chineseLiterals(file)
        .filter((l) => !twinned(l))
        .map((l) => l.text),
    ).toEqual(["'请填写'"]);
  });

  it("a zod issue answers the schema's twin and code, or zod's own message in both languages", () => {
    const short = passwordSchema.safeParse('x');
    expect(short.success).toBe(false);
    expect(zodIssues(short.error!)).toEqual([
      {
        path: '(root)',
        code: 'password_too_short',
        message: '密码至少8位',
        messageEn: 'the password needs at least 8 characters',
        params: { origin: 'string', minimum: 8, inclusive: true },
      },
    ]);
    const wrongType = passwordSchema.safeParse(8);
    const [issue] = zodIssues(wrongType.error!, undefined, 'password');
    expect(issue).toMatchObject({ path: 'password', code: 'invalid_type', params: { expected: 'string' } });
    expect(issue.message).toBe('password应为文本');
    expect(issue.messageEn).toBe('password should be a text (string)');
  });

  it('zod\'s own issues name the field and what it expects, in both languages (not "Invalid input: expected object")', () => {
    const parsed = completionSchemas.verification.safeParse({
      determination: { legality: 'illegal', subType: 'occupied_without_approval', areas: { totalMu: 30 } },
    });
    const issues = zodIssues(parsed.error!);
    expect(issues.map((i) => [i.path, i.messageEn])).toEqual([
      ['determination.areas.farmlandMu', 'determination.areas.farmlandMu is required: a number'],
      ['determination.areas.basicFarmlandMu', 'determination.areas.basicFarmlandMu is required: a number'],
      ['determination.areas.redLineMu', 'determination.areas.redLineMu is required: a number'],
    ]);
    expect(issues[0].message).toBe('determination.areas.farmlandMu为必填项：应为数字');
    const [noDetermination] = zodIssues(completionSchemas.verification.safeParse({}).error!);
    expect(noDetermination).toMatchObject({ path: 'determination', code: 'invalid_type', messageEn: 'determination is required: an object' });
    const [decision] = zodIssues(completionSchemas.review.safeParse({ decision: 'ok' }).error!);
    expect(decision).toMatchObject({
      path: 'decision',
      messageEn: 'decision should be one of: pass, send_back',
      message: 'decision应为以下之一：pass、send_back',
    });
    const [negative] = zodIssues(completionSchemas.rectification.safeParse({ completedOn: '2027-01-01', rectifiedMu: -1 }).error!);
    expect(negative).toMatchObject({ path: 'rectifiedMu', messageEn: 'rectifiedMu should be at least 0' });
    const [stopped] = zodIssues(completionSchemas.stop_order.safeParse({ documentNumber: '停〔2026〕1号', issuedOn: '2026-11-20', stopped: 'yes' }).error!);
    expect(stopped).toMatchObject({ path: 'stopped', messageEn: 'stopped should be true or false' });
    for (const i of [...issues, noDetermination, decision, negative, stopped]) expect(i.messageEn).not.toMatch(CJK);
  });

  it('a message has one twin', () => {
    expect(() => msg('密码至少8位', 'at least 8', 'password_too_short')).toThrow(/twice/);
    expect(msg('密码至少8位', 'the password needs at least 8 characters', 'password_too_short')).toBe('密码至少8位');
  });

  it("the English labels in the server's messages are the UI's English ones", () => {
    const t = translator('en');
    expect(Object.entries(CATEGORY_LABELS_EN).filter(([k, v]) => t(`enums.category.${k}`) !== v)).toEqual([]);
    expect(Object.entries(LEGALITY_LABELS_EN).filter(([k, v]) => t(`enums.legality.${k}`) !== v)).toEqual([]);
    expect(Object.entries(SUBTYPE_LABELS_EN).filter(([k, v]) => t(`enums.subType.${k}`) !== v)).toEqual([]);
    expect(Object.entries(FARMLAND_FLAG_LABELS_EN).filter(([k, v]) => t(`enums.farmlandFlag.${k}`) !== v)).toEqual([]);
  });
});
