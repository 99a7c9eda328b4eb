/**
 * The per-username lockout: after `failures` wrong passwords in a row a username is locked for
 * `minutes` (answered 429 with Retry-After, even to the right password); a successful login resets it.
 * Unknown usernames are counted the same way, so a lockout tells nothing about whether a user exists.
 * Kept in the API process's memory (a restart forgets it; the per-IP rate limit still applies).
 */
export interface LockoutOptions {
  failures: number;
  minutes: number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

const MAX_ENTRIES = 100_000;

export class LoginGuard {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly opts: LockoutOptions) {}

  private key = (username: string) => username.trim().toLowerCase();

  /** Seconds until the username may try again, or 0 when it may. */
  retryAfter(username: string, now = Date.now()): number {
    const e = this.entries.get(this.key(username));
    return e && e.lockedUntil > now ? Math.ceil((e.lockedUntil - now) / 1000) : 0;
  }

  /** Counts a failure; answers the seconds of the lockout it starts (0: not locked yet). */
  failed(username: string, now = Date.now()): number {
    if (this.opts.failures <= 0) return 0;
    const key = this.key(username);
    const windowMs = this.opts.minutes * 60_000;
    let e = this.entries.get(key);
    // Failures spread over more than a lockout window do not add up.
    if (!e || now - e.lastFailure > windowMs) e = { failures: 0, lockedUntil: 0, lastFailure: now };
    e.failures += 1;
    e.lastFailure = now;
    if (e.failures >= this.opts.failures) {
      e.lockedUntil = now + windowMs;
      e.failures = 0;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    if (this.entries.size > MAX_ENTRIES) this.prune(now);
    return this.retryAfter(username, now);
  }

  succeeded(username: string): void {
    this.entries.delete(this.key(username));
  }

  private prune(now: number) {
    const windowMs = this.opts.minutes * 60_000;
    for (const [k, e] of this.entries) {
      if (e.lockedUntil <= now && now - e.lastFailure > windowMs) this.entries.delete(k);
    }
    // Still too many (a flood of distinct names): forget the oldest.
    for (const k of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(k);
    }
  }
}
