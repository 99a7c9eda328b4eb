/** The actor's in-app notifications: those addressed to its region and role, and those addressed to it by name. */
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { notifications } from '../../db/schema';
import { listQuerySchema } from '../../domain/schemas/list-query';
import type { Actor } from '../../domain/types';
import { actorOf } from '../auth';
import { paging, sendList } from '../simple-rest';
import { classifiedFilter } from '../visibility';
import { rowIdParam } from '../../domain/schemas/ids';

/**
 * A notice for the actor: to it by name, or to its region and role (and nobody in particular); a notice
 * about a restricted (military) task only with the classified-handling permission (000, 002, 004).
 */
export const addressedTo = (actor: Actor) =>
  and(
    or(
      eq(notifications.userId, actor.userId),
      and(isNull(notifications.userId), eq(notifications.regionCode, actor.regionCode), eq(notifications.role, actor.role)),
    ),
    classifiedFilter(actor, notifications.restricted),
  );

export function registerNotificationRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/notifications', { schema: { querystring: listQuerySchema, tags: ['notifications'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const cond = and(
      addressedTo(actor),
      f.unread === true || f.unread === 'true' ? isNull(notifications.readAt) : undefined,
      typeof f.kind === 'string' ? eq(notifications.kind, f.kind) : undefined,
    );
    const { offset, limit, start } = paging(req.query);
    const [rows, [{ total }]] = await Promise.all([
      db.select().from(notifications).where(cond).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(limit).offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(notifications).where(cond),
    ]);
    return sendList(reply, 'notifications', rows, start, total);
  });

  r.post('/notifications/:id/read', { schema: { params: z.object({ id: rowIdParam }), tags: ['notifications'] } }, async (req) => {
    const actor = actorOf(req);
    const [row] = await db
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
      .where(and(eq(notifications.id, req.params.id), addressedTo(actor)))
      .returning();
    return row ?? { id: req.params.id };
  });

  /** Marks every unread notice of the actor read; answers how many were. */
  r.post('/notifications/read-all', { schema: { tags: ['notifications'] } }, async (req) => {
    const actor = actorOf(req);
    const rows = await db
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(and(addressedTo(actor), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return { read: rows.length };
  });
}
