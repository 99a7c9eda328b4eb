/**
 * Tasks: the officer's queue (GET /tasks, react-admin simple-rest) and completion
 * (POST /tasks/:id/complete), which is a workflow Update: the workflow's validator decides.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { and, asc, eq, inArray, isNull, like, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { patches, regions, tasks, users } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { endOfLocalDayString } from '../../domain/deadlines';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { completionSchemas, extensionRequestSchema } from '../../domain/schemas/tasks';
import type { Actor, TaskType } from '../../domain/types';
import { completeTaskUpdate, requestExtensionUpdate, type TaskPayload } from '../../workflows/messages';
import { actorOf } from '../auth';
import { ApiError, errorBody, fieldIssue, wantsEnglish, zodIssues, invalidPayload } from '../errors';
import { findAnswer, idempotencyKeyOf, requestHash, storeAnswer } from '../idempotency';
import { ordering, paging, sendList } from '../simple-rest';
import { fromUpdateError } from '../temporal-errors';
import { precheckCompletion } from '../services/task-prechecks';
import { classifiedFilter, withinRegion } from '../visibility';

/** A task opened by a completion, as its answer names it (`next`). */
export interface NextStep {
  taskId: string;
  type: string;
  regionCode: string;
  regionName: string;
  dueAt: string;
}

/** The user a task is assigned to (claimed by, or assigned by a reviewer). */
const assignees = alias(users, 'assignees');

export const taskColumns = {
  id: tasks.id,
  workflowId: tasks.workflowId,
  patchCode: tasks.patchCode,
  caseNo: tasks.caseNo,
  level: tasks.level,
  type: tasks.type,
  regionCode: tasks.regionCode,
  regionName: regions.name,
  role: tasks.role,
  status: tasks.status,
  restricted: tasks.restricted,
  eventAt: tasks.eventAt,
  dueAt: tasks.dueAt,
  overdue: tasks.overdue,
  overdueAt: tasks.overdueAt,
  escalatedAt: tasks.escalatedAt,
  openedAt: tasks.openedAt,
  closedAt: tasks.closedAt,
  closedByName: tasks.closedByName,
  assigneeId: tasks.assigneeId,
  assigneeName: assignees.displayName,
  policyVersion: tasks.policyVersion,
  context: tasks.context,
  result: tasks.result,
  category: patches.category,
  stage: patches.stage,
  batchCode: patches.batchCode,
  areaMu: patches.areaMu,
};

const sortable = {
  id: tasks.id,
  dueAt: tasks.dueAt,
  openedAt: tasks.openedAt,
  closedAt: tasks.closedAt,
  type: tasks.type,
  status: tasks.status,
  regionCode: tasks.regionCode,
  patchCode: tasks.patchCode,
};

const asList = (v: unknown): string[] | undefined => (v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

/** A task as the actor may see it: 404 for classified tasks without the permission, 403 outside the region. */
export async function findVisibleTask(db: Db, actor: Actor, id: string) {
  const [row] = await db
    .select(taskColumns)
    .from(tasks)
    .leftJoin(patches, eq(patches.code, tasks.patchCode))
    .leftJoin(regions, eq(regions.code, tasks.regionCode))
    .leftJoin(assignees, eq(assignees.id, tasks.assigneeId))
    .where(eq(tasks.id, id));
  if (!row || (row.restricted && !actor.classified)) {
    // A classified task does not exist for those without the permission.
    throw new ApiError('TaskNotFound', `任务 ${id} 不存在`, `task ${id} does not exist`);
  }
  const access = canSeeRegion(actor, row.regionCode);
  if (!access.ok) throw new ApiError('Forbidden', `该任务${access.reason}`, `the task's ${access.reasonEn}`);
  return row;
}
export type TaskRow = Awaited<ReturnType<typeof findVisibleTask>>;

export function registerTaskRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client }) {
  const { db, temporal } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/tasks', { schema: { querystring: listQuerySchema, tags: ['tasks'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(tasks.regionCode, actor.regionCode), classifiedFilter(actor, tasks.restricted)];
    const ids = asList(f.id);
    if (ids) where.push(inArray(tasks.id, ids));
    const status = asList(f.status);
    if (status) where.push(inArray(tasks.status, status));
    const type = asList(f.type);
    if (type) where.push(inArray(tasks.type, type));
    if (typeof f.regionCode === 'string' && f.regionCode) {
      const access = canSeeRegion(actor, f.regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      where.push(withinRegion(tasks.regionCode, f.regionCode));
    }
    if (typeof f.patchCode === 'string' && f.patchCode) where.push(eq(tasks.patchCode, f.patchCode));
    if (typeof f.caseNo === 'string' && f.caseNo) where.push(eq(tasks.caseNo, f.caseNo));
    if (typeof f.q === 'string' && f.q) where.push(like(tasks.patchCode, `%${f.q.replace(/[%_\\]/g, '\\$&')}%`));
    if (f.overdue === true || f.overdue === 'true') where.push(eq(tasks.overdue, true));
    if (f.overdue === false || f.overdue === 'false') where.push(eq(tasks.overdue, false));
    if (f.assignee === 'me') where.push(eq(tasks.assigneeId, actor.userId));
    if (f.assignee === 'none') where.push(isNull(tasks.assigneeId));
    const role = asList(f.role);
    if (role) where.push(inArray(tasks.role, role));
    if (typeof f.dueBefore === 'string' && f.dueBefore) {
      // A calendar date means "due by the end of that day" in Asia/Shanghai.
      const until = /^\d{4}-\d{2}-\d{2}$/.test(f.dueBefore) ? endOfLocalDayString(f.dueBefore) : new Date(f.dueBefore);
      if (Number.isNaN(until.getTime()))
        throw invalidPayload(req, [fieldIssue('querystring.filter.dueBefore', 'date_format', '应为日期 YYYY-MM-DD', 'should be a date YYYY-MM-DD')]);
      where.push(lte(tasks.dueAt, until));
    }
    const category = asList(f.category);
    if (category) where.push(inArray(patches.category, category));
    const batch = asList(f.batchCode);
    if (batch) where.push(inArray(patches.batchCode, batch));
    const stage = asList(f.stage);
    if (stage) where.push(inArray(patches.stage, stage));
    const cond = and(...where);
    // The count joins the patches only when a filter is on them: a supervisor's whole inbox is counted from the tasks alone.
    const needsPatches = !!(category || batch || stage);
    const { offset, limit, start } = paging(req.query);
    const order = ordering(req.query, sortable, [asc(tasks.dueAt), asc(tasks.id)]);
    const joined = () =>
      db
        .select(taskColumns)
        .from(tasks)
        .leftJoin(patches, eq(patches.code, tasks.patchCode))
        .leftJoin(regions, eq(regions.code, tasks.regionCode))
        .leftJoin(assignees, eq(assignees.id, tasks.assigneeId));
    // Without filters on the patches, the page is chosen from the tasks alone and only its rows are joined:
    // a province's inbox sorts its open tasks, not their join with every patch.
    const page = async () => {
      if (needsPatches)
        return joined()
          .where(cond)
          .orderBy(...order)
          .limit(limit)
          .offset(offset);
      const ids = (
        await db
          .select({ id: tasks.id })
          .from(tasks)
          .where(cond)
          .orderBy(...order)
          .limit(limit)
          .offset(offset)
      ).map((r) => r.id);
      if (ids.length === 0) return [];
      const byId = new Map((await joined().where(inArray(tasks.id, ids))).map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id)!).filter(Boolean);
    };
    const [rows, [{ total }]] = await Promise.all([
      page(),
      needsPatches
        ? db.select({ total: sql<number>`count(*)::int` }).from(tasks).leftJoin(patches, eq(patches.code, tasks.patchCode)).where(cond)
        : db.select({ total: sql<number>`count(*)::int` }).from(tasks).where(cond),
    ]);
    return sendList(reply, 'tasks', rows, start, total);
  });

  const visibleTask = (id: string, req: Parameters<typeof actorOf>[0]) => findVisibleTask(db, actorOf(req), id);

  /**
   * What happens next, from the workflow's answer: the tasks now open (not extension decisions, which run
   * beside the main line) with their region's name, so that the form can say "已提交，待银川市内业审核".
   */
  async function nextSteps(snapshot: unknown): Promise<NextStep[]> {
    const open = ((snapshot as { openTasks?: NextStep[] }).openTasks ?? []).filter((t) => t.type !== 'extension_decision');
    if (open.length === 0) return [];
    const codes = [...new Set(open.map((t) => t.regionCode))];
    const names = new Map(
      (await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, codes))).map((r) => [r.code, r.name]),
    );
    return open.map((t) => ({ taskId: t.taskId, type: t.type, regionCode: t.regionCode, regionName: names.get(t.regionCode) ?? t.regionCode, dueAt: t.dueAt }));
  }

  r.get('/tasks/:id', { schema: { params: z.object({ id: z.string().min(1).max(200) }), tags: ['tasks'] } }, async (req) => visibleTask(req.params.id, req));

  r.post(
    '/tasks/:id/complete',
    { schema: { params: z.object({ id: z.string().min(1).max(200) }), body: z.record(z.string(), z.unknown()), tags: ['tasks'] } },
    async (req, reply) => {
      const actor = actorOf(req);
      const key = idempotencyKeyOf(req);
      const hash = requestHash(`complete:${req.params.id}`, req.body);
      if (key) {
        const stored = await findAnswer(db, actor.userId, key, hash);
        if (stored) return reply.status(stored.statusCode).header('Idempotent-Replayed', 'true').send(stored.body);
      }
      const answer = await completeTask(req.params.id, req.body, key);
      if (!key) return reply.status(answer.statusCode).send(answer.body);
      const first = await storeAnswer(db, actor.userId, key, hash, answer);
      return reply.status(first.statusCode).send(first.body);

      async function completeTask(taskId: string, body: unknown, idempotencyKey?: string) {
        try {
          const task = await visibleTask(taskId, req);
          // With an Idempotency-Key a closed task may be this very request's own work (its first copy
          // completed the Update but has not stored its answer yet, or the API died in between): the
          // Update with the same id then answers with that first outcome, and a different one is refused
          // by the workflow's validator.
          if (task.status !== 'open' && !idempotencyKey) {
            throw new ApiError(
              'TaskNotOpen',
              `该任务已${task.status === 'completed' ? '办结' : '关闭'}，不能重复提交`,
              `the task is ${task.status}; it cannot be completed again`,
            );
          }
          if (task.assigneeId !== null && task.assigneeId !== actor.userId) {
            // The workflow's validator refuses it too (it knows the holder); this spares the round trip.
            throw new ApiError(
              'Forbidden',
              `该任务已由${task.assigneeName ?? '他人'}认领，只能由其办理`,
              `the task is held by ${task.assigneeName ?? 'someone else'}; only they can act on it`,
            );
          }
          const schema = completionSchemas[task.type as TaskType];
          // `taskType` (the OpenAPI document's discriminator) is optional; when sent, it must be the task's type.
          const { taskType, ...rest } = body as Record<string, unknown>;
          if (taskType !== undefined && taskType !== task.type) {
            throw invalidPayload(req, [
              fieldIssue(
                'taskType',
                'task_type_mismatch',
                `提交内容的任务类型（${String(taskType)}）与任务类型（${task.type}）不符`,
                `taskType is ${JSON.stringify(taskType)}, but this task is of type ${task.type}`,
                { taskType, expected: task.type },
              ),
            ]);
          }
          const parsed = schema.safeParse(rest);
          if (!parsed.success) throw invalidPayload(req, zodIssues(parsed.error, wantsEnglish(req)));
          const checked = await precheckCompletion(db, task, parsed.data as Record<string, unknown>);
          if (checked.issues.length) throw invalidPayload(req, checked.issues);
          const payload = { kind: task.type, ...checked.payload } as TaskPayload;
          const handle = temporal.workflow.getHandle(task.workflowId);
          const snapshot = await handle
            .executeUpdate(completeTaskUpdate, {
              args: [{ taskId, actor, payload }],
              updateId: idempotencyKey ? `idem:${actor.userId}:${idempotencyKey}` : randomUUID(),
            })
            .catch((err: unknown) => {
              throw fromUpdateError(err) ?? err;
            });
          return { statusCode: 200, body: { ...(snapshot as object), next: await nextSteps(snapshot) } as unknown };
        } catch (err) {
          if (err instanceof ApiError) return { statusCode: err.status, body: errorBody(req, err) as unknown };
          throw err;
        }
      }
    },
  );

  /** 延期申请: a written request with a reason; the level above decides in its own task. */
  r.post(
    '/tasks/:id/extension',
    {
      schema: {
        params: z.object({ id: z.string().min(1).max(200) }),
        body: extensionRequestSchema,
        tags: ['tasks'],
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const task = await visibleTask(req.params.id, req);
      if (task.status !== 'open') throw new ApiError('TaskNotOpen', '该任务已办结，不能申请延期', 'the task is closed');
      return temporal.workflow
        .getHandle(task.workflowId)
        .executeUpdate(requestExtensionUpdate, { args: [{ taskId: task.id, actor, reason: req.body.reason, requestedDate: req.body.requestedDate }] })
        .catch((err: unknown) => {
          throw fromUpdateError(err) ?? err;
        });
    },
  );
}
