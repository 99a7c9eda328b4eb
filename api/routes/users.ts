/** Users of the actor's region subtree (simple-rest, read-only), e.g. for the assign picker. */
import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { regions, users } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { actorOf } from '../auth';
import { ApiError } from '../errors';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';

const columns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  regionCode: users.regionCode,
  regionName: regions.name,
  classified: users.classified,
  active: users.active,
};

const asList = (v: unknown): string[] | undefined =>
  v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.map(String) : [String(v)];

export function registerUserRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/users', { schema: { querystring: listQuerySchema, tags: ['users'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(users.regionCode, actor.regionCode)];
    const ids = asList(f.id);
    if (ids) where.push(inArray(users.id, ids.map(Number).filter(Number.isInteger)));
    const role = asList(f.role);
    if (role) where.push(inArray(users.role, role));
    if (typeof f.regionCode === 'string' && f.regionCode) {
      // The region's subtree: the users who may work on that region's tasks.
      const access = canSeeRegion(actor, f.regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      where.push(withinRegion(users.regionCode, f.regionCode));
    }
    if (f.classified === true || f.classified === 'true') where.push(eq(users.classified, true));
    if (f.active !== false && f.active !== 'false') where.push(eq(users.active, true));
    if (typeof f.q === 'string' && f.q) {
      const q = `%${f.q.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(or(like(users.displayName, q), like(users.username, q)));
    }
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query, 50);
    const order = ordering(req.query, { id: users.id, username: users.username, displayName: users.displayName, regionCode: users.regionCode }, [
      asc(users.regionCode),
      asc(users.id),
    ]);
    const [rows, [{ total }]] = await Promise.all([
      db.select(columns).from(users).leftJoin(regions, eq(regions.code, users.regionCode)).where(cond).orderBy(...order).limit(limit).offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(users).where(cond),
    ]);
    return sendList(reply, 'users', rows, start, total);
  });

  r.get('/users/:id', { schema: { params: z.object({ id: z.coerce.number().int().positive() }), tags: ['users'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db.select(columns).from(users).leftJoin(regions, eq(regions.code, users.regionCode)).where(eq(users.id, req.params.id));
    if (!row || !canSeeRegion(actor, row.regionCode).ok) throw new ApiError('NotFound', `用户 ${req.params.id} 不存在`, `user ${req.params.id} does not exist`);
    return row;
  });
}
