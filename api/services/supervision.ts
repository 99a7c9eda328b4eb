/**
 * Supervision (督办): overdue work by region and by stage, monthly clearance (月清) per region, and the
 * supervisor's bulk actions (remind, reassign). The counting functions take a region and answer for its
 * direct sub-regions (the next level of the region tree, for drilling down) and its own level, so that
 * the statistics of a later issue can reuse them.
 */
import type { Client } from '@temporalio/client';
import { and, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { writeAudit } from '../../db/audit';
import { noticeRow, type Notice } from '../../db/notifications';
import type { Db } from '../../db/client';
import { notifications, patches, regions, tasks, users } from '../../db/schema';
import { assignmentProblem } from '../../domain/assignment';
import { canSeeRegion } from '../../domain/authorization';
import { formatLocalDate, localDateOf, startOfLocalDay } from '../../domain/deadlines';
import type { NoticeParams } from '../../domain/notifications';
import { inSubtree, regionLevel } from '../../domain/regions';
import type { Actor, TaskType } from '../../domain/types';
import { ApiError, fieldIssue, type FieldIssue } from '../errors';
import { assigneeRecord, sendAssignment } from './task-assignment';
import { classifiedFilter, withinRegion } from '../visibility';

const DAY_MS = 24 * 3600 * 1000;

export interface RegionRef {
  code: string;
  name: string;
  level: string;
}

/** The region and its direct children (the next level down), as the regions table knows them. */
export async function regionWithChildren(db: Db, code: string): Promise<{ region: RegionRef; children: RegionRef[] }> {
  const [region] = await db.select({ code: regions.code, name: regions.name, level: regions.level }).from(regions).where(eq(regions.code, code));
  if (!region) throw new ApiError('NotFound', `行政区 ${code} 不存在`, `region ${code} does not exist`);
  const children = await db
    .select({ code: regions.code, name: regions.name, level: regions.level })
    .from(regions)
    .where(eq(regions.parentCode, code))
    .orderBy(regions.code);
  return { region, children };
}

/** The child a region code belongs to, or the region itself ("own level": a city's own review tasks, …). */
function bucketOf(code: string, region: RegionRef, children: RegionRef[]): string {
  if (code === region.code) return region.code;
  return children.find((c) => inSubtree(code, c.code))?.code ?? region.code;
}

// ---- overdue work ---------------------------------------------------------------------------

export interface OverdueCount {
  count: number;
  /** How long the longest-overdue task of the group is overdue, in days (fractional). */
  maxOverdueDays: number;
  /** Average days overdue. */
  avgOverdueDays: number;
}

export interface OverdueRegionRow extends OverdueCount {
  regionCode: string;
  regionName: string;
  level: string;
  /** True for the region's own level (tasks owned by the region itself, not by a sub-region). */
  own: boolean;
  /** Counts by task type (the stage of the work). */
  byStage: Record<string, number>;
}

export interface OverdueSummary {
  region: RegionRef;
  total: OverdueCount;
  regions: OverdueRegionRow[];
  byStage: Array<{ stage: string } & OverdueCount>;
  /** Days-overdue buckets: ≤3, 4–7, 8–30, >30. */
  byAge: Array<{ bucket: string; count: number }>;
  asOf: string;
}

const AGE_BUCKETS = [
  { bucket: '0-3', max: 3 },
  { bucket: '4-7', max: 7 },
  { bucket: '8-30', max: 30 },
  { bucket: '31+', max: Infinity },
];

/** Open overdue tasks of a region's subtree, by direct sub-region and by stage (task type). */
export async function overdueSummary(db: Db, actor: Actor, regionCode: string, now = new Date()): Promise<OverdueSummary> {
  const { region, children } = await regionWithChildren(db, regionCode);
  const overdueDays = sql<number>`extract(epoch from (${now.toISOString()}::timestamptz - ${tasks.dueAt})) / 86400.0`;
  const rows = await db
    .select({
      regionCode: tasks.regionCode,
      type: tasks.type,
      count: sql<number>`count(*)::int`,
      maxDays: sql<number>`max(${overdueDays})::float8`,
      sumDays: sql<number>`sum(${overdueDays})::float8`,
      le3: sql<number>`(count(*) filter (where ${overdueDays} <= 3))::int`,
      le7: sql<number>`(count(*) filter (where ${overdueDays} > 3 and ${overdueDays} <= 7))::int`,
      le30: sql<number>`(count(*) filter (where ${overdueDays} > 7 and ${overdueDays} <= 30))::int`,
    })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), eq(tasks.overdue, true), withinRegion(tasks.regionCode, regionCode), classifiedFilter(actor, tasks.restricted)))
    .groupBy(tasks.regionCode, tasks.type);

  const empty = (): OverdueCount & { sum: number } => ({ count: 0, maxOverdueDays: 0, avgOverdueDays: 0, sum: 0 });
  const add = (acc: OverdueCount & { sum: number }, r: (typeof rows)[number]) => {
    acc.count += r.count;
    acc.sum += r.sumDays ?? 0;
    acc.maxOverdueDays = Math.max(acc.maxOverdueDays, r.maxDays ?? 0);
  };
  const done = ({ sum, ...c }: OverdueCount & { sum: number }): OverdueCount => ({ ...c, avgOverdueDays: c.count ? sum / c.count : 0 });

  const total = empty();
  const byRegion = new Map<string, OverdueCount & { sum: number; byStage: Record<string, number> }>();
  const byStage = new Map<string, OverdueCount & { sum: number }>();
  const ages = [0, 0, 0, 0];
  for (const r of rows) {
    add(total, r);
    const key = bucketOf(r.regionCode, region, children);
    const g = byRegion.get(key) ?? { ...empty(), byStage: {} };
    add(g, r);
    g.byStage[r.type] = (g.byStage[r.type] ?? 0) + r.count;
    byRegion.set(key, g);
    const s = byStage.get(r.type) ?? empty();
    add(s, r);
    byStage.set(r.type, s);
    ages[0] += r.le3;
    ages[1] += r.le7;
    ages[2] += r.le30;
    ages[3] += r.count - r.le3 - r.le7 - r.le30;
  }
  const rowFor = (ref: RegionRef, own: boolean): OverdueRegionRow => {
    const g = byRegion.get(ref.code) ?? { ...empty(), byStage: {} };
    const { byStage: stages, ...counts } = g;
    return { regionCode: ref.code, regionName: ref.name, level: ref.level, own, byStage: stages, ...done(counts) };
  };
  return {
    region,
    total: done(total),
    regions: [...(byRegion.has(region.code) ? [rowFor(region, true)] : []), ...children.map((c) => rowFor(c, false))],
    byStage: [...byStage.entries()].map(([stage, c]) => ({ stage, ...done(c) })).sort((a, b) => b.count - a.count),
    byAge: AGE_BUCKETS.map((b, i) => ({ bucket: b.bucket, count: ages[i] })),
    asOf: now.toISOString(),
  };
}

// ---- monthly clearance (月清) ----------------------------------------------------------------

export interface ClearanceCounts {
  /** Patches issued in the month, or whose verification is due in it. */
  total: number;
  /** Verified and reported by the due instant. */
  onTime: number;
  /** Verified and reported after it. */
  late: number;
  /** Not reported yet. */
  open: number;
  /** Not reported yet and past due. */
  openOverdue: number;
  /** onTime / total, or null when there is nothing to clear. */
  rate: number | null;
}

export interface ClearanceRegionRow extends ClearanceCounts {
  regionCode: string;
  regionName: string;
  level: string;
}

export interface ClearanceSummary {
  region: RegionRef;
  month: string;
  from: string;
  to: string;
  total: ClearanceCounts;
  regions: ClearanceRegionRow[];
}

/** Local (Asia/Shanghai) month bounds: [first day 00:00, first day of next month 00:00). */
export function monthBounds(month: string): { from: Date; to: Date } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? { year: y + 1, month: 1 } : { year: y, month: m + 1 };
  return { from: startOfLocalDay({ year: y, month: m, day: 1 }), to: startOfLocalDay({ ...next, day: 1 }) };
}

export const currentMonth = (now = Date.now()) => {
  const d = localDateOf(now);
  return `${d.year}-${String(d.month).padStart(2, '0')}`;
};

/** The county's first task (verification, or the offline military report) is what "reported" means. */
const REPORT_TASKS = ['verification', 'military_report'];

export async function monthlyClearance(db: Db, actor: Actor, regionCode: string, month: string): Promise<ClearanceSummary> {
  const { region, children } = await regionWithChildren(db, regionCode);
  const { from, to } = monthBounds(month);
  const inMonth = (column: typeof patches.issuedAt | typeof tasks.dueAt) => and(gte(column, from), lt(column, to));
  const rows = await db
    .select({
      countyCode: patches.countyCode,
      total: sql<number>`count(*)::int`,
      onTime: sql<number>`(count(*) filter (where ${tasks.status} = 'completed' and ${tasks.closedAt} <= ${tasks.dueAt}))::int`,
      late: sql<number>`(count(*) filter (where ${tasks.status} = 'completed' and ${tasks.closedAt} > ${tasks.dueAt}))::int`,
      open: sql<number>`(count(*) filter (where ${tasks.status} = 'open'))::int`,
      openOverdue: sql<number>`(count(*) filter (where ${tasks.status} = 'open' and ${tasks.overdue}))::int`,
    })
    .from(patches)
    .innerJoin(tasks, and(eq(tasks.patchCode, patches.code), inArray(tasks.type, REPORT_TASKS)))
    .where(and(withinRegion(patches.countyCode, regionCode), classifiedFilter(actor, patches.military), or(inMonth(patches.issuedAt), inMonth(tasks.dueAt))))
    .groupBy(patches.countyCode);

  const zero = (): Omit<ClearanceCounts, 'rate'> => ({ total: 0, onTime: 0, late: 0, open: 0, openOverdue: 0 });
  const withRate = (c: Omit<ClearanceCounts, 'rate'>): ClearanceCounts => ({ ...c, rate: c.total ? c.onTime / c.total : null });
  const sum = (a: Omit<ClearanceCounts, 'rate'>, r: Omit<ClearanceCounts, 'rate'>) => {
    a.total += r.total;
    a.onTime += r.onTime;
    a.late += r.late;
    a.open += r.open;
    a.openOverdue += r.openOverdue;
  };
  const total = zero();
  const groups = new Map<string, Omit<ClearanceCounts, 'rate'>>();
  for (const r of rows) {
    sum(total, r);
    const key = bucketOf(r.countyCode, region, children);
    const g = groups.get(key) ?? zero();
    sum(g, r);
    groups.set(key, g);
  }
  // A county has no children: it is its own only row.
  const refs = regionLevel(region.code) === 'county' || children.length === 0 ? [region] : children;
  return {
    region,
    month,
    from: from.toISOString(),
    to: to.toISOString(),
    total: withRate(total),
    regions: refs.map((c) => ({ regionCode: c.code, regionName: c.name, level: c.level, ...withRate(groups.get(c.code) ?? zero()) })),
  };
}

// ---- bulk actions ---------------------------------------------------------------------------

interface TaskForAction {
  id: string;
  workflowId: string;
  patchCode: string | null;
  caseNo: string | null;
  type: string;
  regionCode: string;
  role: string;
  status: string;
  restricted: boolean;
  dueAt: Date | null;
  overdue: boolean;
  assigneeId: number | null;
  assigneeName: string | null;
}

/** The tasks named, each visible to the actor and open; otherwise a 422 naming `taskIds.<i>` and nothing changes. */
async function openTasksFor(db: Db, actor: Actor, taskIds: string[]): Promise<TaskForAction[]> {
  const rows = await db
    .select({
      id: tasks.id,
      workflowId: tasks.workflowId,
      patchCode: tasks.patchCode,
      caseNo: tasks.caseNo,
      type: tasks.type,
      regionCode: tasks.regionCode,
      role: tasks.role,
      status: tasks.status,
      restricted: tasks.restricted,
      dueAt: tasks.dueAt,
      overdue: tasks.overdue,
      assigneeId: tasks.assigneeId,
      assigneeName: users.displayName,
    })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.assigneeId))
    .where(inArray(tasks.id, taskIds));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const issues: FieldIssue[] = [];
  const found: TaskForAction[] = [];
  taskIds.forEach((id, i) => {
    const row = byId.get(id);
    const path = `taskIds.${i}`;
    if (!row || (row.restricted && !actor.classified))
      issues.push(fieldIssue(path, 'task_not_found', `任务 ${id} 不存在`, `task ${id} does not exist`, { taskId: id }));
    else if (!canSeeRegion(actor, row.regionCode).ok)
      issues.push(fieldIssue(path, 'task_outside_region', `任务 ${id} 不在您的辖区内`, `task ${id} is outside your jurisdiction`, { taskId: id }));
    else if (row.status !== 'open') issues.push(fieldIssue(path, 'task_not_open', `任务 ${id} 已办结或已关闭`, `task ${id} is closed`, { taskId: id }));
    else found.push(row);
  });
  if (issues.length) {
    const list = issues.map((i) => i.message).join('；');
    throw new ApiError('InvalidPayload', `不能办理：${list}`, `cannot act on: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
  return found;
}

export interface RemindResult {
  /** Reminded now. */
  reminded: string[];
  /** Reminded already today (once per task per day): nothing sent. */
  alreadyToday: string[];
}

/**
 * 督办提醒: a notification to whoever holds each task (its assignee, or else the officers / reviewers of
 * its region), audited; at most once per task per local day — a repeat or a concurrent second request
 * sends nothing more.
 */
export async function remindTasks(db: Db, actor: Actor, taskIds: string[], message: string | undefined, now = new Date()): Promise<RemindResult> {
  const found = await openTasksFor(db, actor, taskIds);
  const day = formatLocalDate(now);
  const result: RemindResult = { reminded: [], alreadyToday: [] };
  for (const t of found) {
    await db.transaction(async (tx) => {
      const days = t.dueAt ? Math.floor((now.getTime() - t.dueAt.getTime()) / DAY_MS) : 0;
      const params: NoticeParams = {
        taskType: t.type as TaskType,
        ...(t.patchCode ? { patchCode: t.patchCode } : {}),
        ...(t.caseNo ? { caseNo: t.caseNo } : {}),
        ...(t.dueAt ? { dueOn: formatLocalDate(t.dueAt) } : {}),
        overdue: t.overdue,
        daysOverdue: Math.max(days, 0),
        ...(message ? { message } : {}),
        by: actor.displayName,
        byUserId: actor.userId,
      };
      const [inserted] = await tx
        .insert(notifications)
        .values(
          noticeRow({
            key: `reminder:${t.id}:${day}`,
            regionCode: t.regionCode,
            role: t.role as Notice['role'],
            userId: t.assigneeId,
            kind: 'reminder',
            params,
            patchCode: t.patchCode ?? undefined,
            taskId: t.id,
            restricted: t.restricted,
          }),
        )
        .onConflictDoNothing({ target: notifications.key })
        .returning({ id: notifications.id });
      if (!inserted) {
        result.alreadyToday.push(t.id);
        return;
      }
      await writeAudit(tx, {
        eventKey: `task.reminded:${t.id}:${day}`,
        actor,
        action: 'task.reminded',
        patchCode: t.patchCode ?? undefined,
        caseNo: t.caseNo ?? undefined,
        taskId: t.id,
        after: { day, notificationId: inserted.id, to: t.assigneeName ?? `${t.regionCode}:${t.role}`, message },
        workflowId: t.workflowId,
      });
      result.reminded.push(t.id);
    });
  }
  return result;
}

export interface ReassignResult {
  assigned: string[];
  /** Already held by that user. */
  unchanged: string[];
  /** Refused by the task's workflow after the checks here passed (it closed meanwhile, say), with why. */
  refused: Array<{ taskId: string; message: string }>;
}

/**
 * Assigns every named task to one user: all or nothing on validation; then each task's workflow takes the
 * assignment (an assignTask Update, audited there), so each change happens once.
 */
export async function reassignTasks(db: Db, temporal: Client, actor: Actor, taskIds: string[], userId: number): Promise<ReassignResult> {
  const found = await openTasksFor(db, actor, taskIds);
  const target = await assigneeRecord(db, userId);
  const issues: FieldIssue[] = [];
  for (const t of found) {
    const problem = assignmentProblem(t, target);
    if (problem) issues.push(fieldIssue('userId', 'assignee', `${t.id}：${problem.message}`, `${t.id}: ${problem.messageEn}`, { taskId: t.id }));
  }
  if (!target.active || !canSeeRegion(actor, target.regionCode).ok)
    issues.unshift(fieldIssue('userId', 'assignee_unknown', '用户不存在或不在您的辖区内', 'no such user in your jurisdiction'));
  if (issues.length) {
    throw new ApiError('InvalidPayload', `不能分派给该用户：${issues[0].message}`, 'cannot assign these tasks to this user', [issues[0]]);
  }
  const result: ReassignResult = { assigned: [], unchanged: [], refused: [] };
  for (const t of found) {
    try {
      const answer = await sendAssignment(temporal, t, { actor, action: 'assign', assignee: target, bulk: true });
      (answer.changed ? result.assigned : result.unchanged).push(t.id);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      result.refused.push({ taskId: t.id, message: err.message });
    }
  }
  return result;
}

/** Keeps a region parameter inside the actor's subtree. */
export function regionWithin(actor: Actor, regionCode: string | undefined): string {
  const code = regionCode ?? actor.regionCode;
  const access = canSeeRegion(actor, code);
  if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
  return code;
}
