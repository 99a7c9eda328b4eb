/**
 * Sessions: POST /auth/login issues a random bearer token (stored hashed, with an expiry);
 * every other route needs `Authorization: Bearer <token>` and sees `request.actor`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client';
import { regions, sessions, users } from '../db/schema';
import { loginSchema } from '../domain/schemas/auth';
import type { Actor, Role } from '../domain/types';
import { ApiError } from './errors';
import { verifyPassword } from './passwords';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new ApiError('Unauthorized', '请先登录', 'login required');
  return req.actor;
}

export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  const actor = actorOf(req);
  if (!roles.includes(actor.role)) {
    throw new ApiError('Forbidden', `此操作需要以下角色之一：${roles.join('、')}`, `this action needs one of the roles: ${roles.join(', ')}`);
  }
  return actor;
}

export function registerAuth(app: FastifyInstance, deps: { db: Db; sessionTtlHours: number; publicPaths: (url: string) => boolean }) {
  const { db } = deps;

  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (token) {
      const [row] = await db
        .select({ user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date()), eq(users.active, true)));
      if (row) {
        req.actor = {
          userId: row.user.id,
          username: row.user.username,
          displayName: row.user.displayName,
          role: row.user.role as Role,
          regionCode: row.user.regionCode,
          classified: row.user.classified,
        };
      }
    }
    if (!req.actor && !deps.publicPaths(req.url)) {
      throw new ApiError('Unauthorized', '请先登录', 'login required');
    }
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/auth/login', { schema: { body: loginSchema, tags: ['auth'] } }, async (req, reply) => {
    const [user] = await db.select().from(users).where(eq(users.username, req.body.username));
    const ok = user && user.active && (await verifyPassword(req.body.password, user.passwordHash));
    if (!ok) throw new ApiError('Unauthorized', '用户名或密码错误', 'wrong username or password');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + deps.sessionTtlHours * 3600_000);
    await db.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, expiresAt });
    // Expired sessions are swept on login.
    await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    const [region] = await db.select().from(regions).where(eq(regions.code, user.regionCode));
    return reply.send({
      token,
      expiresAt: expiresAt.toISOString(),
      user: {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        regionCode: user.regionCode,
        regionName: region?.name,
        classified: user.classified,
      },
    });
  });

  r.post('/auth/logout', async (req, reply) => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(header.slice(7).trim())));
    return reply.status(204).send();
  });

  r.get('/auth/me', async (req) => {
    const actor = actorOf(req);
    const [region] = await db.select().from(regions).where(eq(regions.code, actor.regionCode));
    return { ...actor, id: actor.userId, regionName: region?.name };
  });
}
