/**
 * The deadline calculator: a pure function from a rule and the events it is anchored on to a due instant.
 *
 * Every deadline in the notices is a calendar date in China, due at the end of that day.
 * Asia/Shanghai has been UTC+8 without daylight saving since 1991, so local dates are computed with a
 * fixed offset: exact for every date this system will see, and free of any time-zone database, which
 * keeps this module importable from workflow code.
 */

import type { BatchKind, TaskType } from './types';

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** What a rule counts from: the patch's issuance, or the event that opened the task. */
export type DeadlineAnchor = 'issuance' | 'imaging' | 'event';

export type DeadlineRule =
  /**
   * Day `day` of the anchor's month plus `monthOffset`; when the anchor falls after `cutoffDay`,
   * one month later still. Ningxia: {day: 25, monthOffset: 1} (001); Jiangmen April–December:
   * {day: 15, monthOffset: 1} (002); Liaocheng: {day: 22, monthOffset: 0, cutoffDay: 20} (003).
   * A day past the month's end is the month's last day.
   */
  | { kind: 'dayOfMonth'; day: number; monthOffset: number; cutoffDay?: number; from?: DeadlineAnchor }
  /** N calendar days after the anchor's date. Nan'an: 15 days from issuance (004). */
  | { kind: 'daysAfter'; days: number; from?: DeadlineAnchor }
  /** The same date N months later (clamped to the month's end). Province review: one month (000). */
  | { kind: 'monthsAfter'; months: number; from?: DeadlineAnchor }
  /** A fixed month and day in the anchor's year plus `yearOffset`. Jiangmen's annual batch: 5 March next year (002). */
  | { kind: 'fixedDate'; month: number; day: number; yearOffset: number; from?: DeadlineAnchor }
  /** A different rule by the anchor's month. Jiangmen: January–March → 30 April, April–December → the 15th of the next month (002). */
  | { kind: 'byMonth'; ranges: Array<{ fromMonth: number; toMonth: number; rule: DeadlineRule }>; from?: DeadlineAnchor }
  /**
   * An absolute calendar date "YYYY-MM-DD", whatever the anchor: a notice's own dates, e.g. Jiangmen's
   * acceptance rounds at the end of June and September 2021 and of March, June and September 2022 (002 五(四)).
   */
  | { kind: 'onDate'; date: string; from?: DeadlineAnchor };

export interface DeadlineEvents {
  /** When the patch was issued to the county. */
  issuedAt: Date | string | number;
  /** When the event that opened the task happened (county confirmation, send-back, …). */
  eventAt: Date | string | number;
  /** When the batch was imaged (the survey date of an annual batch); when unknown, see `imagingFallback`. */
  imagedAt?: Date | string | number;
  /** The patch's batch kind: what an unknown imaging date is taken to be depends on it. */
  batchKind?: BatchKind;
}

export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

const toMs = (t: Date | string | number): number => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

export function localDateOf(instant: Date | string | number): LocalDate {
  const d = new Date(toMs(instant) + SHANGHAI_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The last millisecond of a local (Asia/Shanghai) calendar day. */
export function endOfLocalDay(date: LocalDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day, 23, 59, 59, 999) - SHANGHAI_OFFSET_MS);
}

/** Midnight at the start of a local calendar day. */
export function startOfLocalDay(date: LocalDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day) - SHANGHAI_OFFSET_MS);
}

function addMonths(year: number, month: number, n: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function clampedDate(year: number, month: number, day: number): LocalDate {
  return { year, month, day: Math.min(day, daysInMonth(year, month)) };
}

/** The local due date a rule gives for an anchor date. */
export function dueDate(rule: DeadlineRule, anchor: LocalDate): LocalDate {
  switch (rule.kind) {
    case 'dayOfMonth': {
      const extra = rule.cutoffDay !== undefined && anchor.day > rule.cutoffDay ? 1 : 0;
      const { year, month } = addMonths(anchor.year, anchor.month, rule.monthOffset + extra);
      return clampedDate(year, month, rule.day);
    }
    case 'daysAfter': {
      const d = new Date(Date.UTC(anchor.year, anchor.month - 1, anchor.day + rule.days));
      return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
    }
    case 'monthsAfter': {
      const { year, month } = addMonths(anchor.year, anchor.month, rule.months);
      return clampedDate(year, month, anchor.day);
    }
    case 'fixedDate':
      return clampedDate(anchor.year + rule.yearOffset, rule.month, rule.day);
    case 'byMonth': {
      const range = rule.ranges.find((r) => anchor.month >= r.fromMonth && anchor.month <= r.toMonth);
      if (!range) throw new RangeError(`no deadline range covers month ${anchor.month}`);
      return dueDate(range.rule, anchor);
    }
    case 'onDate':
      return parseLocalDate(rule.date);
  }
}

/**
 * What an 'imaging' rule counts from when the imaging date is unknown.
 * - An annual supplementary batch comes from the land-change survey of year Y (国土变更调查, as of
 *   31 December), published and issued in Y+1: "利用2021年度国土变更调查成果形成的年度卫片执法补充图斑…应于
 *   2022年3月5日前完成" (002 二, 三(一)). So its survey date is taken as 31 December of the year before
 *   issuance, and Jiangmen's "5 March of the next year" is 5 March of the issuance year. Issued after that
 *   day, the batch is late and so is its deadline: the notice ties the date to the survey year, and only
 *   the city changes it ("如上报时限变更，由市自然资源局另行通知", 002 三(三)) — by a policy change or an
 *   extension — rather than the calculator silently adding a year.
 * - Any other batch: its issuance (monthly batches are issued within ten days of imaging, T+10, 000 二(一)).
 */
export function imagingFallback(events: Pick<DeadlineEvents, 'issuedAt' | 'batchKind'>): Date | string | number {
  if (events.batchKind !== 'annual_supplementary') return events.issuedAt;
  return startOfLocalDay({ year: localDateOf(events.issuedAt).year - 1, month: 12, day: 31 });
}

/** A local calendar date "YYYY-MM-DD" (a real date: 2021-02-30 is refused). */
export function parseLocalDate(date: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = m && { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (!parsed || parsed.month < 1 || parsed.month > 12 || parsed.day < 1 || parsed.day > daysInMonth(parsed.year, parsed.month))
    throw new RangeError(`not a date: ${date}`);
  return parsed;
}

/**
 * The instants at which a quota freeze is settled (Jiangmen's acceptance rounds, 002 五(四)): each rule's due
 * instant for the patch, in order; a round already past when the freeze is booked never saw it and is left
 * out, but the last one (到期仍未解冻的…直接扣减) always settles it, even when past.
 */
export function settlementRounds(rules: DeadlineRule[], events: DeadlineEvents, now: number): Date[] {
  const all = rules.map((r) => computeDue(r, events)).sort((a, b) => a.getTime() - b.getTime());
  if (all.length === 0) return [];
  return [...all.slice(0, -1).filter((d) => d.getTime() > now), all[all.length - 1]];
}

/** The due instant (end of the due day, Asia/Shanghai) a rule gives for the events. */
export function computeDue(rule: DeadlineRule, events: DeadlineEvents): Date {
  const from = rule.from ?? 'event';
  const anchorInstant = from === 'issuance' ? events.issuedAt : from === 'imaging' ? (events.imagedAt ?? imagingFallback(events)) : events.eventAt;
  return endOfLocalDay(dueDate(rule, localDateOf(anchorInstant)));
}

/** Parses a local calendar date "YYYY-MM-DD" (e.g. an extension granted to a date) to its end-of-day instant. */
export function endOfLocalDayString(date: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  return endOfLocalDay({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}

export function formatLocalDate(instant: Date | string | number): string {
  const d = localDateOf(instant);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** A short Chinese description of a rule, for the policy editor and notices to officers. */
export function describeRule(rule: DeadlineRule): string {
  const from = { issuance: '下发', imaging: '成像', event: '事件' }[rule.from ?? 'event'];
  switch (rule.kind) {
    case 'dayOfMonth': {
      const month = rule.monthOffset === 0 ? '当月' : rule.monthOffset === 1 ? '次月' : `${rule.monthOffset}个月后`;
      if (rule.cutoffDay === undefined) return `${from}${month}${rule.day}日前`;
      return `${rule.cutoffDay}日（含）前${from}的${month}${rule.day}日前，之后的顺延一个月`;
    }
    case 'daysAfter':
      return `${from}后${rule.days}日内`;
    case 'monthsAfter':
      return `${from}后${rule.months}个月内`;
    case 'fixedDate':
      return `${rule.yearOffset === 0 ? '当年' : rule.yearOffset === 1 ? '次年' : `${rule.yearOffset}年后`}${rule.month}月${rule.day}日前`;
    case 'byMonth':
      return rule.ranges.map((r) => `${r.fromMonth}–${r.toMonth}月${from}：${describeRule({ ...r.rule, from: rule.from })}`).join('；');
    case 'onDate': {
      const [y, m, d] = rule.date.split('-').map(Number);
      return `${y}年${m}月${d}日前`;
    }
  }
}

/** A deadline rule, optionally different for some batch kinds. */
export interface DeadlineRuleSet {
  default: DeadlineRule;
  byBatchKind?: Partial<Record<BatchKind, DeadlineRule>>;
}

export type ReviewLevel = 'city' | 'province';

/** A region policy's deadlines (RegionPolicy['deadlines'], domain/policy.ts): one rule set per kind of deadline. */
export interface PolicyDeadlines {
  verification: DeadlineRuleSet;
  correction: DeadlineRuleSet;
  review: Record<ReviewLevel, DeadlineRuleSet>;
  directDetermination: DeadlineRuleSet;
  onsiteCheck: DeadlineRuleSet;
  extensionDecision: DeadlineRuleSet;
  caseRegister: DeadlineRuleSet;
  stopOrder: DeadlineRuleSet;
  caseDecision: DeadlineRuleSet;
  transferFeedback: DeadlineRuleSet;
  rectificationPlan: DeadlineRuleSet;
  rectification: DeadlineRuleSet;
  acceptance: DeadlineRuleSet;
  recheck: DeadlineRuleSet;
}

/** The kinds of deadline a policy sets. */
export type DeadlineKind = keyof PolicyDeadlines;

/** The deadline kind that sets each task type's due instant. */
export const DEADLINE_KIND: Record<TaskType, DeadlineKind> = {
  verification: 'verification',
  correction: 'correction',
  review: 'review',
  direct_determination: 'directDetermination',
  onsite_check: 'onsiteCheck',
  extension_decision: 'extensionDecision',
  military_report: 'verification',
  case_register: 'caseRegister',
  stop_order: 'stopOrder',
  case_decision: 'caseDecision',
  transfer_feedback: 'transferFeedback',
  rectification_plan: 'rectificationPlan',
  rectification: 'rectification',
  acceptance_county: 'acceptance',
  acceptance_city: 'acceptance',
  acceptance_province: 'acceptance',
  recheck: 'recheck',
  // A reviewer deciding a county's request, like an extension.
  split_review: 'extensionDecision',
  merge_review: 'extensionDecision',
};

/** The rule for a task: by kind, review level and the patch's batch kind. */
export function deadlineRuleFor(
  policy: { deadlines: PolicyDeadlines },
  kind: DeadlineKind,
  opts: { batchKind?: BatchKind; level?: ReviewLevel } = {},
): DeadlineRule {
  const entry = policy.deadlines[kind];
  const set: DeadlineRuleSet = kind === 'review' ? (entry as Record<ReviewLevel, DeadlineRuleSet>)[opts.level ?? 'province'] : (entry as DeadlineRuleSet);
  return (opts.batchKind && set.byBatchKind?.[opts.batchKind]) || set.default;
}

/**
 * When a task is due under a region's policy: the rule of its type's deadline kind (at its review level, for
 * the patch's batch kind), counted from the patch's issuance or imaging or from the event that opened the task.
 */
export function dueAtFor(
  policy: { deadlines: PolicyDeadlines },
  subject: { issuedAt: Date | string | number; imagedAt?: Date | string | number | null; batchKind?: BatchKind },
  task: { type: TaskType; level?: ReviewLevel; eventAt: Date | string | number },
): Date {
  const rule = deadlineRuleFor(policy, DEADLINE_KIND[task.type], { batchKind: subject.batchKind, level: task.level });
  return computeDue(rule, { issuedAt: subject.issuedAt, imagedAt: subject.imagedAt ?? undefined, eventAt: task.eventAt, batchKind: subject.batchKind });
}
