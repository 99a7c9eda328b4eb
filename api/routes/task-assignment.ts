/**
 * Work distribution: claim, unclaim and assign a task (POST /tasks/:id/claim, /unclaim, /assign).
 * Who holds a task is process state: each request is a workflow Update (assignTask) whose validator
 * decides who may, against the workflow's own record of the holder, so two racing claims take effect
 * once and only the holder completes the task. The workflow writes tasks.assignee_id and the audit entry.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { ASSIGNER_ROLES } from '../../domain/assignment';
import type { Actor } from '../../domain/types';
import type { AssignTaskRequest } from '../../workflows/messages';
import { actorOf, requireRole } from '../auth';
import { assigneeRecord, sendAssignment } from '../services/task-assignment';
import { findVisibleTask, type TaskRow } from './tasks';
import { rowId } from '../../domain/schemas/ids';

const params = z.object({ id: z.string().min(1).max(200) });
const assignBody = z.object({ userId: rowId });

export function registerTaskAssignmentRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client }) {
  const { db, temporal } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const visible = (req: FastifyRequest, id: string): Promise<TaskRow> => findVisibleTask(db, actorOf(req), id);
  const act = async (req: FastifyRequest, id: string, request: (actor: Actor) => Promise<Omit<AssignTaskRequest, 'taskId'>>) => {
    const actor = actorOf(req);
    const task = await visible(req, id);
    await sendAssignment(temporal, task, await request(actor));
    return visible(req, id);
  };

  r.post('/tasks/:id/claim', { schema: { params, tags: ['tasks'] } }, async (req) => act(req, req.params.id, async (actor) => ({ actor, action: 'claim' })));

  r.post('/tasks/:id/unclaim', { schema: { params, tags: ['tasks'] } }, async (req) =>
    act(req, req.params.id, async (actor) => ({ actor, action: 'unclaim' })),
  );

  r.post('/tasks/:id/assign', { schema: { params, body: assignBody, tags: ['tasks'] } }, async (req) => {
    requireRole(req, ...ASSIGNER_ROLES);
    return act(req, req.params.id, async (actor) => ({ actor, action: 'assign', assignee: await assigneeRecord(db, req.body.userId) }));
  });
}
