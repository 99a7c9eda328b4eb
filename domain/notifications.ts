/**
 * In-app notices: their kinds and the structured facts each carries (`params`, stored as jsonb), from
 * which the admin UI writes the notice in its own language. The server's own text — the Chinese title and
 * body stored with every notice (and all an old notice has) — is written here from the same facts.
 * Plain data and functions: the API, the activities and the UI read them.
 */
import { TASK_LABELS } from './labels';
import type { TaskType } from './types';

export type NoticeKind = 'overdue' | 'escalation' | 'extension' | 'reminder' | 'case' | 'sent_back' | 'resubmitted' | 'rectification_rejected';

/**
 * What a notice is about. Every notice names its task's type and subject (a case when `caseNo` is set,
 * otherwise the patch); the rest depends on the kind:
 * - overdue: `dueOn`;
 * - escalation (to the level above): `regionCode` / `regionName` of the region holding the task, `dueOn`;
 * - reminder, a follow-up of an escalated task (催办): `round`, `dueOn`;
 * - reminder from a supervisor (督办提醒): `overdue`, `daysOverdue`, `dueOn`, `message` (the supervisor's own
 *   words, user content), `by` (their display name) and `byUserId`;
 * - sent back for correction (审核退回, to the officer who filed the determination): `regionCode` / `regionName`
 *   of the reviewing level, `reason` (the reviewer's words, user content), `by` (the reviewer), `dueOn` of the
 *   correction;
 * - resubmitted after correction (修正后重新上报, to the reviewer who sent it back): `regionCode` / `regionName` of
 *   the county, `by` (the officer), `dueOn` of the review;
 * - a case's rectification not accepted (验收不通过, or an on-site check that did not confirm it; to the county
 *   officer who filed the rectification): `regionCode` / `regionName` of the level that rejected it, `reason`
 *   (user content), `dueOn` of the new rectification.
 */
export interface NoticeParams {
  taskType: TaskType;
  /** The task's patch (for a case: its first patch). */
  patchCode?: string;
  /** Set when the task belongs to a case: the notice is about the case. */
  caseNo?: string;
  /** The task's due day (YYYY-MM-DD, Asia/Shanghai); absent when it has none. */
  dueOn?: string;
  overdue?: boolean;
  /** Whole days past the due instant when the notice was written. */
  daysOverdue?: number;
  regionCode?: string;
  regionName?: string;
  round?: number;
  message?: string;
  /** A send-back's reason (user content). */
  reason?: string;
  by?: string;
  byUserId?: number;
}

/**
 * Clauses joined with "；": a clause that already ends a sentence (a supervisor's "…上报。") is followed
 * directly, never by "。；"; trailing commas and semicolons of a clause are dropped, empty clauses left out.
 */
export function joinClauses(clauses: Array<string | undefined | null | false>): string {
  let out = '';
  for (const raw of clauses) {
    const clause = typeof raw === 'string' ? raw.trim().replace(/[；;，,、\s]+$/u, '') : '';
    if (!clause) continue;
    out += out === '' || /[。！？!?]$/u.test(out) ? clause : `；${clause}`;
  }
  return out;
}

const subject = (p: NoticeParams) => (p.caseNo ? `案件 ${p.caseNo}` : `图斑 ${p.patchCode ?? ''}`);

/** The notice in Chinese, as stored (title, body). */
export function noticeText(kind: NoticeKind, p: NoticeParams): { title: string; body: string } {
  const type = TASK_LABELS[p.taskType] ?? p.taskType;
  const due = `截止时间 ${p.dueOn ?? '—'}`;
  switch (kind) {
    case 'overdue':
      return { title: `${subject(p)} 的${type}任务已逾期`, body: due };
    case 'escalation':
      return { title: `下级逾期未办：${subject(p)} 的${type}任务`, body: `承办区域 ${p.regionCode ?? '—'}，${due}` };
    case 'reminder':
      if (p.round !== undefined) {
        return { title: `第${p.round}次催办：${subject(p)} 的${type}仍未办结`, body: `${due}，已逾期，请跟踪督促直至办结` };
      }
      return {
        title: p.overdue
          ? `督办提醒：${subject(p)} 的${type}任务已逾期${Math.max(p.daysOverdue ?? 0, 0)}天，请尽快办理`
          : `督办提醒：请按期办理${subject(p)} 的${type}任务`,
        body: joinClauses([p.message, due, p.by ? `督办人 ${p.by}` : undefined]),
      };
    case 'sent_back':
      return {
        title: `审核退回：${p.regionName ?? p.regionCode ?? ''}退回了${subject(p)}，请修正后重新上报`,
        body: [`退回理由：${p.reason ?? '—'}`, p.by ? `退回人 ${p.by}` : undefined, due].filter(Boolean).join('；'),
      };
    case 'rectification_rejected':
      return {
        title: `整改未通过：${p.regionName ?? p.regionCode ?? ''}未通过${subject(p)}的整改，请继续整改`,
        body: [`理由：${p.reason ?? '—'}`, due].join('；'),
      };
    case 'resubmitted':
      return {
        title: `重新上报：${p.regionName ?? p.regionCode ?? ''}已修正${subject(p)}，请审核`,
        body: [p.by ? `上报人 ${p.by}` : undefined, due].filter(Boolean).join('；'),
      };
    default:
      return { title: `${subject(p)} 的${type}任务`, body: due };
  }
}
