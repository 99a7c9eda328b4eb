/** Regions of the actor's subtree (for filters and pickers), simple-rest. */
import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { regions } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { ancestry } from '../../domain/regions';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

export function registerRegionRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const columns = { id: regions.code, code: regions.code, name: regions.name, level: regions.level, parentCode: regions.parentCode };

  r.get('/regions', { schema: { querystring: listQuerySchema, tags: ['regions'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    // The actor's subtree, plus its ancestors so that breadcrumbs can be named.
    const where: Array<SQL | undefined> = [or(withinRegion(regions.code, actor.regionCode), inArray(regions.code, ancestry(actor.regionCode)))];
    if (Array.isArray(f.id)) where.push(inArray(regions.code, f.id.map(String)));
    // Only the subtree (no ancestors): what a region filter may be set to.
    if (f.subtree === true || f.subtree === 'true') where.push(withinRegion(regions.code, actor.regionCode));
    if (typeof f.parentCode === 'string') where.push(eq(regions.parentCode, f.parentCode));
    if (typeof f.level === 'string') where.push(eq(regions.level, f.level));
    if (typeof f.q === 'string' && f.q) where.push(or(like(regions.name, `%${f.q}%`), like(regions.code, `${f.q}%`)));
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query, 100);
    const order = ordering(req.query, { id: regions.code, code: regions.code, name: regions.name }, [asc(regions.code)]);
    const [rows, [{ total }]] = await Promise.all([
      db
        .select(columns)
        .from(regions)
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(regions).where(cond),
    ]);
    return sendList(reply, 'regions', rows, start, total);
  });

  r.get('/regions/:code', { schema: { params: z.object({ code: z.string().regex(/^\d{6}$/) }), tags: ['regions'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db.select(columns).from(regions).where(eq(regions.code, req.params.code));
    if (!row) throw new ApiError('NotFound', `行政区 ${req.params.code} 不存在`, `region ${req.params.code} does not exist`);
    const access = canSeeRegion(actor, row.code);
    if (!access.ok && !ancestry(actor.regionCode).includes(row.code)) throw new ApiError('Forbidden', access.reason, access.reasonEn);
    return row;
  });
}
