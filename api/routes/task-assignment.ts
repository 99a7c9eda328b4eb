/**
 * Work distribution: claim, unclaim and assign a task (POST /tasks/:id/claim, /unclaim, /assign).
 * Who holds a task is not process state: it lives in tasks.assignee_id, written here with one conditional
 * UPDATE each (so concurrent requests take effect once) and an audit entry in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../activities/audit';
import type { Db } from '../../db/client';
import { tasks, users } from '../../db/schema';
import { ASSIGNER_ROLES, assignmentProblem } from '../../domain/assignment';
import { canActOnTask } from '../../domain/authorization';
import type { Actor, Role, TaskType } from '../../domain/types';
import { actorOf, requireRole } from '../auth';
import { ApiError } from '../errors';
import { findVisibleTask, type TaskRow } from './tasks';


const params = z.object({ id: z.string().min(1).max(200) });
const assignBody = z.object({ userId: z.number().int().positive() });

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export function registerTaskAssignmentRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function openTask(req: FastifyRequest, id: string): Promise<{ actor: Actor; task: TaskRow }> {
    const actor = actorOf(req);
    const task = await findVisibleTask(db, actor, id);
    if (task.status !== 'open') {
      throw new ApiError('TaskNotOpen', '该任务已不在办理中，不能认领或分派', `the task is ${task.status}; it cannot be claimed or assigned`);
    }
    return { actor, task };
  }

  const heldByOther = (name: string | null) =>
    new ApiError('Conflict', `该任务已由${name ?? '他人'}认领`, `the task is already claimed by ${name ?? 'someone else'}`);

  async function audit(tx: Tx, actor: Actor, task: TaskRow, action: string, before: number | null, after: number | null, extra: object = {}) {
    await writeAudit(tx, {
      eventKey: `${action}:${task.id}:${randomUUID()}`,
      actor,
      action,
      patchCode: task.patchCode ?? undefined,
      taskId: task.id,
      before: { assigneeId: before },
      after: { assigneeId: after, ...extra },
      workflowId: task.workflowId,
    });
  }

  const reread = (req: FastifyRequest, id: string) => findVisibleTask(db, actorOf(req), id);

  r.post('/tasks/:id/claim', { schema: { params, tags: ['tasks'] } }, async (req) => {
    const { actor, task } = await openTask(req, req.params.id);
    const access = canActOnTask(actor, { regionCode: task.regionCode, role: task.role as Role, restricted: task.restricted, type: task.type as TaskType });
    if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(tasks)
        .set({ assigneeId: actor.userId })
        .where(and(eq(tasks.id, task.id), eq(tasks.status, 'open'), isNull(tasks.assigneeId)))
        .returning({ id: tasks.id });
      if (row) await audit(tx, actor, task, 'task.claimed', null, actor.userId, { assigneeName: actor.displayName });
      return Boolean(row);
    });
    const now = await reread(req, task.id);
    // Claiming what one already holds is a harmless repeat; anyone else holding it is a conflict.
    if (!claimed && now.assigneeId !== actor.userId) {
      if (now.status !== 'open') throw new ApiError('TaskNotOpen', '该任务已不在办理中', `the task is ${now.status}`);
      throw heldByOther(now.assigneeName);
    }
    return now;
  });

  r.post('/tasks/:id/unclaim', { schema: { params, tags: ['tasks'] } }, async (req) => {
    const { actor, task } = await openTask(req, req.params.id);
    const mayRelease = ASSIGNER_ROLES.includes(actor.role);
    if (task.assigneeId !== null && task.assigneeId !== actor.userId && !mayRelease) throw heldByOther(task.assigneeName);
    if (task.assigneeId === null) return task;
    const holder = task.assigneeId;
    const released = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(tasks)
        .set({ assigneeId: null })
        .where(and(eq(tasks.id, task.id), eq(tasks.status, 'open'), eq(tasks.assigneeId, holder)))
        .returning({ id: tasks.id });
      if (row) await audit(tx, actor, task, 'task.unclaimed', holder, null);
      return Boolean(row);
    });
    const now = await reread(req, task.id);
    if (!released && now.assigneeId !== null && now.assigneeId !== actor.userId && !mayRelease) throw heldByOther(now.assigneeName);
    return now;
  });

  r.post('/tasks/:id/assign', { schema: { params, body: assignBody, tags: ['tasks'] } }, async (req) => {
    requireRole(req, ...ASSIGNER_ROLES);
    const { actor, task } = await openTask(req, req.params.id);
    const [target] = await db.select().from(users).where(eq(users.id, req.body.userId));
    const problem = assignmentProblem({ role: task.role, regionCode: task.regionCode, restricted: task.restricted, type: task.type }, target);
    if (problem || !target) {
      const p = problem ?? { message: '用户不存在或已停用', messageEn: 'no such active user' };
      throw new ApiError('InvalidPayload', `不能分派给该用户：${p.message}`, `cannot assign to this user: ${p.messageEn}`, [{ path: 'userId', message: p.message }]);
    }
    if (task.assigneeId === target.id) return task;
    const before = task.assigneeId;
    const assigned = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(tasks)
        .set({ assigneeId: target.id })
        // Only over the holder this request saw: a concurrent change makes this one a conflict.
        .where(and(eq(tasks.id, task.id), eq(tasks.status, 'open'), sql`${tasks.assigneeId} is not distinct from ${before}`))
        .returning({ id: tasks.id });
      if (row) await audit(tx, actor, task, 'task.assigned', before, target.id, { assigneeName: target.displayName });
      return Boolean(row);
    });
    const now = await reread(req, task.id);
    if (!assigned && now.assigneeId !== target.id) {
      throw new ApiError('Conflict', '该任务的承办人刚刚被他人更改，请刷新后重试', 'the assignee was just changed by someone else; reload and retry');
    }
    return now;
  });
}
