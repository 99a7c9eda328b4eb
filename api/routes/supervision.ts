/**
 * Supervision (督办) for supervisors: overdue work by region and stage, monthly clearance (月清) per region,
 * and bulk remind / reassign. Region-scoped: a region parameter must lie in the actor's subtree.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { ASSIGNER_ROLES } from '../../domain/assignment';
import { msg, REGION_CODE_FORMAT } from '../../domain/schemas/messages';
import { requireRole } from '../auth';
import { currentMonth, monthlyClearance, overdueSummary, reassignTasks, regionWithin, remindTasks } from '../services/supervision';
import { rowId } from '../../domain/schemas/ids';

const regionQuery = z.object({
  regionCode: z
    .string()
    .regex(/^\d{6}$/, REGION_CODE_FORMAT)
    .optional(),
});
const taskIds = z
  .array(z.string().min(1).max(200))
  .min(1, msg('请至少选择一个任务', 'choose at least one task', 'tasks_required'))
  .max(200, msg('一次最多200个任务', 'at most 200 tasks at a time', 'too_many_tasks'))
  .refine((ids) => new Set(ids).size === ids.length, msg('任务不能重复', 'each task may be named once', 'tasks_repeated'));

const READERS = ['supervisor', 'administrator', 'reviewer'] as const;

export function registerSupervisionRoutes(app: FastifyInstance, deps: { db: Db; temporal: Client }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/supervision/overdue', { schema: { querystring: regionQuery, tags: ['supervision'] } }, async (req) => {
    const actor = requireRole(req, ...READERS);
    return overdueSummary(db, actor, regionWithin(actor, req.query.regionCode));
  });

  r.get(
    '/supervision/clearance',
    {
      schema: {
        querystring: regionQuery.extend({
          month: z
            .string()
            .regex(/^\d{4}-(0[1-9]|1[0-2])$/, msg('月份格式应为 YYYY-MM', 'the month should be YYYY-MM', 'month_format'))
            .optional(),
        }),
        tags: ['supervision'],
      },
    },
    async (req) => {
      const actor = requireRole(req, ...READERS);
      return monthlyClearance(db, actor, regionWithin(actor, req.query.regionCode), req.query.month ?? currentMonth());
    },
  );

  r.post(
    '/supervision/remind',
    { schema: { body: z.strictObject({ taskIds, message: z.string().trim().max(500).optional() }), tags: ['supervision'] } },
    async (req) => {
      const actor = requireRole(req, 'supervisor', 'administrator');
      return remindTasks(db, actor, req.body.taskIds, req.body.message || undefined);
    },
  );

  r.post('/supervision/reassign', { schema: { body: z.strictObject({ taskIds, userId: rowId }), tags: ['supervision'] } }, async (req) => {
    const actor = requireRole(req, ...ASSIGNER_ROLES);
    return reassignTasks(db, deps.temporal, actor, req.body.taskIds, req.body.userId);
  });
}
