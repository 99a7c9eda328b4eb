/**
 * Users of the actor's region subtree (simple-rest): the list (also the assign picker) and, for
 * administrators, creating users, editing role, region, classified-handling permission and active, and
 * resetting passwords — each change audited. An administrator manages only users of its subtree and
 * places them only inside it.
 *
 * Who holds the classified-handling permission is itself classified (000 二(二); 002 三(三); 004 三(二)):
 * a user who holds it is managed (role, region, active, password, the permission) only by an administrator
 * who holds it — otherwise anyone able to reset that user's password could read military patches as them —
 * and to users without it the permission is not shown or filterable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../db/audit';
import type { Db } from '../../db/client';
import { regions, sessions, users } from '../../db/schema';
import { canSeeRegion } from '../../domain/authorization';
import { commonRegion } from '../../domain/regions';
import { listQuerySchema } from '../../domain/schemas/list-query';
import { createUserSchema, resetPasswordSchema, updateUserSchema } from '../../domain/schemas/users';
import type { Actor } from '../../domain/types';
import { actorOf, requireRole } from '../auth';
import { ApiError, fieldIssue } from '../errors';
import { hashPassword } from '../passwords';
import { passwordProblem } from '../../domain/password-policy';
import { ordering, paging, sendList } from '../simple-rest';
import { withinRegion } from '../visibility';
import { isRowId, rowIdParam } from '../../domain/schemas/ids';

const columns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  regionCode: users.regionCode,
  regionName: regions.name,
  classified: users.classified,
  active: users.active,
  createdAt: users.createdAt,
};

const asList = (v: unknown): string[] | undefined => (v === undefined || v === null || v === '' ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);

const idParams = z.object({ id: rowIdParam });

/** A field error (422) in both languages. */
const fieldError = (path: string, code: string, message: string, messageEn: string, params?: Record<string, unknown>) =>
  new ApiError('InvalidPayload', message, messageEn, [fieldIssue(path, code, message, messageEn, params)]);

export function registerUserRoutes(app: FastifyInstance, deps: { db: Db }) {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const one = async (id: number) => (await db.select(columns).from(users).leftJoin(regions, eq(regions.code, users.regionCode)).where(eq(users.id, id)))[0];

  /** A region the administrator may place a user in: an existing region of its subtree. */
  async function placeable(actor: Actor, regionCode: string) {
    if (!canSeeRegion(actor, regionCode).ok) {
      throw fieldError(
        'regionCode',
        'region_outside_jurisdiction',
        `行政区 ${regionCode} 不在您的辖区（${actor.regionCode}）内`,
        `region ${regionCode} is outside your jurisdiction (${actor.regionCode})`,
        { regionCode, jurisdiction: actor.regionCode },
      );
    }
    const [row] = await db.select({ code: regions.code }).from(regions).where(eq(regions.code, regionCode));
    if (!row) throw fieldError('regionCode', 'region_not_found', `行政区 ${regionCode} 不存在`, `region ${regionCode} does not exist`, { regionCode });
  }

  /** Granting (or removing) the classified-handling permission takes an administrator who holds it. */
  function mayGrantClassified(actor: Actor, classified: boolean | undefined, had = false) {
    if (classified !== undefined && classified !== had && !actor.classified) {
      throw fieldError(
        'classified',
        'classified_not_grantable',
        '只有具备涉密处理权限的管理员才能授予该权限',
        'only an administrator with the classified-handling permission can grant it',
      );
    }
  }

  /** A user row as the actor may see it: the classified flag only for actors holding the permission. */
  const shown = <T extends { classified: boolean }>(actor: Actor, row: T): T | Omit<T, 'classified'> => {
    if (actor.classified) return row;
    const { classified: _hidden, ...rest } = row;
    return rest;
  };

  r.get('/users', { schema: { querystring: listQuerySchema, tags: ['users'] } }, async (req, reply) => {
    const actor = actorOf(req);
    const f = req.query.filter ?? {};
    const where: Array<SQL | undefined> = [withinRegion(users.regionCode, actor.regionCode)];
    const ids = asList(f.id);
    if (ids) where.push(inArray(users.id, ids.map(Number).filter(isRowId)));
    const role = asList(f.role);
    if (role) where.push(inArray(users.role, role));
    if (typeof f.regionCode === 'string' && f.regionCode) {
      // The region's subtree: the users who may work on that region's tasks.
      const access = canSeeRegion(actor, f.regionCode);
      if (!access.ok) throw new ApiError('Forbidden', access.reason, access.reasonEn);
      where.push(withinRegion(users.regionCode, f.regionCode));
    }
    // Without the permission, "who holds it" has no answer (the list is empty, not the whole subtree).
    if (f.classified === true || f.classified === 'true') where.push(actor.classified ? eq(users.classified, true) : sql`false`);
    // Active users unless asked otherwise: "all" (or false, as before) lists inactive ones too.
    if (f.active === 'inactive') where.push(eq(users.active, false));
    else if (f.active !== false && f.active !== 'false' && f.active !== 'all') where.push(eq(users.active, true));
    if (typeof f.q === 'string' && f.q) {
      const q = `%${f.q.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(or(like(users.displayName, q), like(users.username, q)));
    }
    const cond = and(...where);
    const { offset, limit, start } = paging(req.query, 50);
    const order = ordering(
      req.query,
      { id: users.id, username: users.username, displayName: users.displayName, regionCode: users.regionCode, role: users.role },
      [asc(users.regionCode), asc(users.id)],
    );
    const [rows, [{ total }]] = await Promise.all([
      db
        .select(columns)
        .from(users)
        .leftJoin(regions, eq(regions.code, users.regionCode))
        .where(cond)
        .orderBy(...order)
        .limit(limit)
        .offset(offset),
      db.select({ total: sql<number>`count(*)::int` }).from(users).where(cond),
    ]);
    return sendList(
      reply,
      'users',
      rows.map((row) => shown(actor, row)),
      start,
      total,
    );
  });

  r.get('/users/:id', { schema: { params: idParams, tags: ['users'] } }, async (req) => {
    const actor = actorOf(req);
    const row = await one(req.params.id);
    if (!row || !canSeeRegion(actor, row.regionCode).ok) throw new ApiError('NotFound', `用户 ${req.params.id} 不存在`, `user ${req.params.id} does not exist`);
    return shown(actor, row);
  });

  /** The user an administrator manages: 404 outside its subtree (it does not exist for them). */
  async function managed(actor: Actor, id: number) {
    const [row] = await db.select().from(users).where(eq(users.id, id));
    if (!row || !canSeeRegion(actor, row.regionCode).ok) throw new ApiError('NotFound', `用户 ${id} 不存在`, `user ${id} does not exist`);
    // A holder of the classified-handling permission is managed only by an administrator who holds it.
    if (row.classified && !actor.classified) {
      throw new ApiError(
        'Forbidden',
        '该用户具备涉密处理权限，只有具备该权限的管理员才能管理',
        'this user holds the classified-handling permission: only an administrator who holds it can manage them',
      );
    }
    return row;
  }

  r.post('/users', { schema: { body: createUserSchema, tags: ['users'] } }, async (req, reply) => {
    const actor = requireRole(req, 'administrator');
    const body = req.body;
    await placeable(actor, body.regionCode);
    mayGrantClassified(actor, body.classified);
    const passwordHash = await hashPassword(body.password);
    const created = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          regionCode: body.regionCode,
          classified: body.classified,
          passwordHash,
        })
        .onConflictDoNothing({ target: users.username })
        .returning({ id: users.id });
      if (!row)
        throw fieldError('username', 'username_taken', `用户名 ${body.username} 已被使用`, `the username ${body.username} is taken`, {
          username: body.username,
        });
      await writeAudit(tx, {
        eventKey: `user.created:${row.id}`,
        actor,
        action: 'user.created',
        regionCode: body.regionCode,
        classified: body.classified,
        after: {
          userId: row.id,
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          regionCode: body.regionCode,
          classified: body.classified,
        },
      });
      return row;
    });
    return reply.status(201).send(shown(actor, (await one(created.id))!));
  });

  r.put('/users/:id', { schema: { params: idParams, body: updateUserSchema, tags: ['users'] } }, async (req) => {
    const actor = requireRole(req, 'administrator');
    const before = await managed(actor, req.params.id);
    const body = req.body;
    const self = before.id === actor.userId;
    if (self && ((body.role && body.role !== before.role) || (body.regionCode && body.regionCode !== before.regionCode) || body.active === false)) {
      throw new ApiError('Conflict', '不能修改自己的角色、行政区或停用自己', 'you cannot change your own role or region, or deactivate yourself');
    }
    if (body.regionCode && body.regionCode !== before.regionCode) await placeable(actor, body.regionCode);
    mayGrantClassified(actor, body.classified, before.classified);
    const changes: Partial<typeof users.$inferInsert> = {};
    for (const key of ['displayName', 'role', 'regionCode', 'classified', 'active'] as const) {
      if (body[key] !== undefined && body[key] !== before[key]) (changes as Record<string, unknown>)[key] = body[key];
    }
    if (Object.keys(changes).length) {
      await db.transaction(async (tx) => {
        await tx.update(users).set(changes).where(eq(users.id, before.id));
        // A deactivated user, or one whose role or region changed, logs in again.
        if (changes.active === false || changes.role || changes.regionCode) await tx.delete(sessions).where(eq(sessions.userId, before.id));
        const was = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof typeof before]]));
        await writeAudit(tx, {
          eventKey: `user.updated:${before.id}:${randomUUID()}`,
          actor,
          action: 'user.updated',
          regionCode: commonRegion(before.regionCode, changes.regionCode ?? before.regionCode),
          classified: before.classified || changes.classified === true,
          before: was,
          after: { userId: before.id, username: before.username, ...changes },
        });
      });
    }
    return shown(actor, (await one(before.id))!);
  });

  /** Sets a new password (or generates one, answered once); the user's sessions end. */
  r.post('/users/:id/password', { schema: { params: idParams, body: resetPasswordSchema.optional(), tags: ['users'] } }, async (req) => {
    const actor = requireRole(req, 'administrator');
    const target = await managed(actor, req.params.id);
    const problem = req.body?.password ? passwordProblem(req.body.password, target.username) : undefined;
    if (problem) throw fieldError('password', problem.code, problem.message, problem.messageEn, problem.params);
    const generated = req.body?.password ? undefined : `Wp${randomBytes(6).toString('base64url')}9`;
    const passwordHash = await hashPassword(req.body?.password ?? generated!);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, target.id));
      await tx.delete(sessions).where(eq(sessions.userId, target.id));
      await writeAudit(tx, {
        eventKey: `user.password_reset:${target.id}:${randomUUID()}`,
        actor,
        action: 'user.password_reset',
        regionCode: target.regionCode,
        classified: target.classified,
        after: { userId: target.id, username: target.username, generated: Boolean(generated) },
      });
    });
    return { id: target.id, username: target.username, ...(generated ? { password: generated } : {}) };
  });
}
