/**
 * Sessions: POST /auth/login issues a random bearer token (stored hashed, with an expiry);
 * every other route needs `Authorization: Bearer <token>` and sees `request.actor`. Login is rate
 * limited per client IP (@fastify/rate-limit) and locked per username after repeated failures; an
 * unknown username costs the same password check as a known one. POST /auth/password changes one's own.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, lt, ne } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../db/client';
import { regions, sessions, users } from '../db/schema';
import { writeAudit } from '../db/audit';
import { passwordProblem } from '../domain/password-policy';
import { loginSchema } from '../domain/schemas/auth';
import { changePasswordSchema } from '../domain/schemas/users';
import type { Actor, Role } from '../domain/types';
import { ApiError, fieldIssue } from './errors';
import { LoginGuard, type LockoutOptions } from './login-guard';
import { hashPassword, verifyPassword } from './passwords';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** A route anyone may call without logging in (decided by the matched route, never by the URL's text). */
    public?: boolean;
  }
}

const tooManyAttempts = (seconds: number) => {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new ApiError(
    'TooManyRequests',
    `登录失败次数过多，请${minutes}分钟后再试`,
    `too many failed logins; try again in ${minutes} minute(s)`,
    [],
    undefined,
  );
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const bearer = (req: FastifyRequest) => {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
};

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

export function registerAuth(app: FastifyInstance, deps: { db: Db; sessionTtlHours: number; lockout: LockoutOptions; loginRateLimit: number }) {
  const { db } = deps;
  const guard = new LoginGuard(deps.db, deps.lockout);
  // Verified when the user does not exist (or is inactive), so that answer takes as long as a wrong password.
  const dummyHash = hashPassword(randomBytes(16).toString('hex'));

  app.addHook('onRequest', async (req) => {
    const token = bearer(req);
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
    // Public or not is decided by the route the router matched (any spelling of its path reaches the same
    // route, hence the same flag), never by comparing the URL's text.
    if (!req.actor && req.routeOptions.config?.public !== true) {
      throw new ApiError('Unauthorized', '请先登录', 'login required');
    }
  });

  const r = app.withTypeProvider<ZodTypeProvider>();

  const rateLimit = { max: deps.loginRateLimit, timeWindow: 60_000 };
  r.post('/auth/login', { schema: { body: loginSchema, tags: ['auth'] }, config: { public: true, rateLimit } }, async (req, reply) => {
    const { username, password } = req.body;
    const locked = await guard.retryAfter(username);
    if (locked) {
      reply.header('retry-after', String(locked));
      throw tooManyAttempts(locked);
    }
    const [user] = await db.select().from(users).where(eq(users.username, username));
    const known = user?.active;
    const ok = (await verifyPassword(password, known ? user.passwordHash : await dummyHash)) && known;
    if (!ok) {
      const lockedFor = await guard.failed(username);
      if (lockedFor) {
        reply.header('retry-after', String(lockedFor));
        throw tooManyAttempts(lockedFor);
      }
      throw new ApiError('Unauthorized', '用户名或密码错误', 'wrong username or password');
    }
    await guard.succeeded(username);
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

  /** A user's own password change: the current password, a new one by the policy; the user's other sessions end. */
  r.post('/auth/password', { schema: { body: changePasswordSchema, tags: ['auth'] }, config: { rateLimit } }, async (req, reply) => {
    const actor = actorOf(req);
    const locked = await guard.retryAfter(actor.username);
    if (locked) {
      reply.header('retry-after', String(locked));
      throw tooManyAttempts(locked);
    }
    const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
    if (!(await verifyPassword(req.body.currentPassword, user.passwordHash))) {
      // Guessing the current password from a stolen session counts like a wrong login.
      const lockedFor = await guard.failed(actor.username);
      if (lockedFor) {
        reply.header('retry-after', String(lockedFor));
        throw tooManyAttempts(lockedFor);
      }
      const m = ['当前密码不正确', 'the current password is wrong'] as const;
      throw new ApiError('InvalidPayload', m[0], m[1], [fieldIssue('currentPassword', 'wrong_password', m[0], m[1])]);
    }
    const problem = passwordProblem(req.body.newPassword, user.username);
    if (problem)
      throw new ApiError('InvalidPayload', problem.message, problem.messageEn, [
        fieldIssue('newPassword', problem.code, problem.message, problem.messageEn, problem.params),
      ]);
    if (req.body.newPassword === req.body.currentPassword) {
      const m = ['新密码不能与当前密码相同', 'the new password must differ from the current one'] as const;
      throw new ApiError('InvalidPayload', m[0], m[1], [fieldIssue('newPassword', 'password_unchanged', m[0], m[1])]);
    }
    await guard.succeeded(actor.username);
    const passwordHash = await hashPassword(req.body.newPassword);
    const current = hashToken(bearer(req)!);
    const ended = await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      // Every other session of this user ends (a stolen one among them); this one goes on.
      const gone = await tx
        .delete(sessions)
        .where(and(eq(sessions.userId, user.id), ne(sessions.tokenHash, current)))
        .returning({ userId: sessions.userId });
      await writeAudit(tx, {
        eventKey: `user.password_changed:${user.id}:${randomUUID()}`,
        actor,
        action: 'user.password_changed',
        after: { userId: user.id, username: user.username, sessionsEnded: gone.length },
      });
      return gone.length;
    });
    return { id: user.id, username: user.username, sessionsEnded: ended };
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
