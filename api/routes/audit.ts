/** The audit trail, read-only: a patch's timeline, or everything in the actor's region. */
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client';
import { auditLog, cases, patches } from '../../db/schema';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { drawsWithoutSeed, maySeeSamplingSeed } from '../services/sampling-seed';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

export function registerAuditRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/audit', { schema: { querystring: listQuerySchema, tags: ['audit'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    // An entry is visible through its patch's county or its case's county (case steps such as the
    // strike-off name only the case); administrators also see entries of neither (user management, …).
    const inRegion = or(withinRegion(patches.countyCode, actor.regionCode), withinRegion(cases.countyCode, actor.regionCode));
    const visible = actor.role === 'administrator' ? or(and(isNull(auditLog.patchCode), isNull(auditLog.caseNo)), inRegion) : inRegion;
    const where: Array<SQL | undefined> = [visible];
    if (!actor.classified) where.push(or(isNull(patches.military), eq(patches.military, false)));
    if (typeof f.patchCode === 'string') where.push(eq(auditLog.patchCode, f.patchCode));
    if (typeof f.caseNo === 'string') where.push(eq(auditLog.caseNo, f.caseNo));
    if (typeof f.taskId === 'string') where.push(eq(auditLog.taskId, f.taskId));
    if (typeof f.action === 'string') where.push(eq(auditLog.action, f.action));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query, 50);
    const order = ordering(req.query, { id: auditLog.id, at: auditLog.at }, [asc(auditLog.at), asc(auditLog.id)]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select({
          id: auditLog.id,
          at: auditLog.at,
          actorId: auditLog.actorId,
          actorName: auditLog.actorName,
          action: auditLog.action,
          patchCode: auditLog.patchCode,
          caseNo: auditLog.caseNo,
          taskId: auditLog.taskId,
          before: auditLog.before,
          after: auditLog.after,
          workflowId: auditLog.workflowId,
          runId: auditLog.runId,
        })
        .from(auditLog)
        .leftJoin(patches, eq(patches.code, auditLog.patchCode))
        .leftJoin(cases, eq(cases.caseNo, auditLog.caseNo))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db
        .select({ total: sql<number>`count(*)::int` })
        .from(auditLog)
        .leftJoin(patches, eq(patches.code, auditLog.patchCode))
        .leftJoin(cases, eq(cases.caseNo, auditLog.caseNo))
        .where(cond),
    ]);
    // A coverage decision records the sampling seed: administrators only (002 三(一)).
    const shown = maySeeSamplingSeed(actor) ? rows : rows.map((r) => (r.action === 'review.coverage' ? { ...r, after: drawsWithoutSeed(r.after) } : r));
    return sendList(reply, 'audit', shown, start, total);
  });
}
