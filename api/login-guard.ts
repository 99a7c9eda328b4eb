/**
 * The per-username lockout: after `failures` wrong passwords in a row a username is locked for
 * `minutes` (answered 429 with Retry-After, even to the right password); a successful login resets it.
 * Unknown usernames are counted the same way, so a lockout tells nothing about whether a user exists.
 * Kept in PostgreSQL (login_failures): every API process behind the proxy sees the same count, and a
 * restart forgets nothing. Each failure is counted by one atomic upsert, so concurrent wrong passwords
 * on several processes all count.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginFailures } from '../db/schema';

export interface LockoutOptions {
  failures: number;
  minutes: number;
}

/** Rows of usernames neither locked nor failing within a window are swept every this many failures. */
const SWEEP_EVERY = 200;

export class LoginGuard {
  private sinceSweep = 0;
  constructor(
    private readonly db: Db,
    private readonly opts: LockoutOptions,
  ) {}

  private key = (username: string) => username.trim().toLowerCase();

  /** Seconds until the username may try again, or 0 when it may. */
  async retryAfter(username: string, now = Date.now()): Promise<number> {
    const [row] = await this.db
      .select({ lockedUntil: loginFailures.lockedUntil })
      .from(loginFailures)
      .where(eq(loginFailures.usernameKey, this.key(username)));
    const until = row?.lockedUntil?.getTime() ?? 0;
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Counts a failure; answers the seconds of the lockout it starts (0: not locked yet). */
  async failed(username: string, now = Date.now()): Promise<number> {
    if (this.opts.failures <= 0) return 0;
    const windowMs = this.opts.minutes * 60_000;
    const at = new Date(now);
    const windowStart = new Date(now - windowMs).toISOString();
    const lockEnd = new Date(now + windowMs).toISOString();
    // Failures spread over more than a lockout window do not add up; reaching the limit locks and restarts the count.
    const count = sql`(case when ${loginFailures.lastFailure} < ${windowStart} then 1 else ${loginFailures.failures} + 1 end)`;
    const first = this.opts.failures <= 1;
    await this.db
      .insert(loginFailures)
      .values({ usernameKey: this.key(username), failures: first ? 0 : 1, lockedUntil: first ? new Date(lockEnd) : null, lastFailure: at })
      .onConflictDoUpdate({
        target: loginFailures.usernameKey,
        set: {
          failures: sql`case when ${count} >= ${this.opts.failures} then 0 else ${count} end`,
          lockedUntil: sql`case when ${count} >= ${this.opts.failures} then ${lockEnd}::timestamptz else ${loginFailures.lockedUntil} end`,
          lastFailure: at,
        },
      });
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      await this.db
        .delete(loginFailures)
        .where(and(lt(loginFailures.lastFailure, new Date(now - windowMs)), or(isNull(loginFailures.lockedUntil), lt(loginFailures.lockedUntil, at))));
    }
    return this.retryAfter(username, now);
  }

  async succeeded(username: string): Promise<void> {
    await this.db.delete(loginFailures).where(eq(loginFailures.usernameKey, this.key(username)));
  }
}
