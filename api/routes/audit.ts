/** The audit trail, read-only: a patch's timeline, or everything in the actor's region. */
import { and, asc, eq, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../db/client';
import { auditLog, casePatches, patches } from '../../db/schema';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { drawsWithoutSeed, maySeeSamplingSeed, withoutSeed } from '../services/sampling-seed';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A policy version recorded in policy.changed ({ regionCode, version, overrides, note }) without review.sampleSeed. */
const policyWithoutSeed = (v: unknown) => (isObject(v) && 'overrides' in v ? { ...v, overrides: withoutSeed(v.overrides) } : v);

function redactSeed<T extends { action: string; before: unknown; after: unknown }>(row: T): T {
  if (row.action === 'review.coverage') return { ...row, after: drawsWithoutSeed(row.after) };
  if (row.action === 'policy.changed') return { ...row, before: policyWithoutSeed(row.before), after: policyWithoutSeed(row.after) };
  return row;
}

export function registerAuditRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/audit', { schema: { querystring: listQuerySchema, tags: ['audit'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    // Every row is scoped to the region it concerns (its patch's or case's county, the managed user's region,
    // the policy's region; 000000 when nothing narrower — set on insert, migration 0019): only actors of that
    // region's subtree see it. Rows of neither a patch nor a case (user management, policies) are the
    // administrators'. Rows about military land or holders of the classified-handling permission exist only
    // for holders (000 二(二); 002 三(三); 004 三(二)).
    const where: Array<SQL | undefined> = [withinRegion(auditLog.regionCode, actor.regionCode)];
    if (actor.role !== 'administrator') where.push(or(isNotNull(auditLog.patchCode), isNotNull(auditLog.caseNo)));
    if (!actor.classified) where.push(eq(auditLog.classified, false), or(isNull(patches.military), eq(patches.military, false)));
    // A patch's timeline: everything that happened to it, and to its case (or cases: a re-check may open another).
    if (typeof f.patchCode === 'string') {
      where.push(
        or(
          eq(auditLog.patchCode, f.patchCode),
          inArray(auditLog.caseNo, db.select({ caseNo: casePatches.caseNo }).from(casePatches).where(eq(casePatches.patchCode, f.patchCode))),
        ),
      );
    }
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
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(auditLog).leftJoin(patches, eq(patches.code, auditLog.patchCode)).where(cond),
    ]);
    // The sampling seed, in a coverage decision's draws or a policy change's overrides, is shown to whom the
    // policy API shows it: administrators (002 三(一)).
    const shown = maySeeSamplingSeed(actor) ? rows : rows.map(redactSeed);
    return sendList(reply, 'audit', shown, start, total);
  });
}
