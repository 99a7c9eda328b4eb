/** Batches (下发批次) with their source, kind, dates, T+10 lateness and patch counts; simple-rest. */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { batches } from '../../db/schema';
import { regionPrefix } from '../../domain/regions';
import type { Actor } from '../../domain/types';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { ordering, paging, sendList } from '../simple-rest';

export function registerBatchRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const columns = {
    id: batches.code,
    code: batches.code,
    name: batches.name,
    source: batches.source,
    kind: batches.kind,
    imagedAt: batches.imagedAt,
    issuedAt: batches.issuedAt,
    t10Late: batches.t10Late,
    t10LateDays: batches.t10LateDays,
    createdAt: batches.createdAt,
  };
  // Patches of the batch that the actor may see (its region subtree).
  // Military patches are counted only for holders of the classified-handling permission (000 二(二); 002 三(三); 004 三(二)).
  const patchCount = (actor: Actor) =>
    sql<number>`(select count(*)::int from patches p where p.batch_code = "batches"."code" and p.county_code like ${`${regionPrefix(actor.regionCode)}%`}${actor.classified ? sql`` : sql` and not p.military`})`;

  r.get('/batches', { schema: { querystring: listQuerySchema, tags: ['batches'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [];
    if (Array.isArray(f.id)) where.push(inArray(batches.code, f.id.map(String)));
    for (const key of ['source', 'kind'] as const) if (typeof f[key] === 'string') where.push(eq(batches[key], f[key] as string));
    if (f.t10Late === true || f.t10Late === 'true') where.push(eq(batches.t10Late, true));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query);
    const order = ordering(req.query, { id: batches.code, code: batches.code, issuedAt: batches.issuedAt, imagedAt: batches.imagedAt }, [
      desc(batches.issuedAt),
      asc(batches.code),
    ]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select({ ...columns, patchCount: patchCount(actor) })
        .from(batches)
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(batches).where(cond),
    ]);
    return sendList(reply, 'batches', rows, start, total);
  });

  r.get('/batches/:code', { schema: { params: z.object({ code: z.string().min(1).max(60) }), tags: ['batches'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db
      .select({ ...columns, patchCount: patchCount(actor) })
      .from(batches)
      .where(eq(batches.code, req.params.code));
    if (!row) throw new ApiError('NotFound', `批次 ${req.params.code} 不存在`, `batch ${req.params.code} does not exist`);
    return row;
  });
}
