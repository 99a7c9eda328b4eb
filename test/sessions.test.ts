/**
 * Sessions against an attacker: login rate limited per IP and locked per username after repeated
 * failures (429 with Retry-After, in both languages; a success resets), an unknown username as slow as a
 * wrong password, CORS only for configured origins, security headers (a CSP the UI and the swagger UI
 * work under), a user's own password change, and the password policy wherever a password is set.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginGuard } from '../api/login-guard';
import { passwordProblem } from '../domain/password-policy';
import { startTestSystem, type TestSystem } from './support/system';

const UI_ORIGIN = 'https://ui.example.gov.cn';
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ ui: true, app: { corsOrigins: [UI_ORIGIN], mapTileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' } });
});
afterAll(async () => {
  await sys?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  ms: number;
}

/**
 * A request from a chosen loopback address (127.x.y.z all reach the API), so each test has its own
 * client IP for the per-IP login limit.
 */
function send(method: string, path: string, opts: { ip?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(sys.baseUrl);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        localAddress: opts.ip,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const login = (username: string, password: string, ip: string, headers?: Record<string, string>) =>
  send('POST', '/api/auth/login', { ip, body: { username, password }, headers });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let userCounter = 0;
async function newUser(password = 'Secret-2026') {
  const username = `ses.user${Date.now().toString(36)}${userCounter++}`;
  const res = await sys.http('POST', '/api/users', {
    token: await sys.login('nx.admin'),
    body: { username, displayName: '会话测试用户', role: 'officer', regionCode: '640104', password },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { username, id: res.body.id as number };
}

describe('login attempts', () => {
  it('are limited per client IP: past 20 a minute, 429 with Retry-After in the caller language; other IPs still log in', async () => {
    const statuses: number[] = [];
    let last: Answer | undefined;
    for (let i = 0; i < 24; i++) {
      last = await login(`nobody${i}`, 'Wrong-pass1', '127.0.0.2', i === 23 ? { 'accept-language': 'en' } : undefined);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toMatchObject({ code: 'TooManyRequests' });
    expect(last!.body.message).toMatch(/too many requests/);
    const zh = await login('nobody', 'Wrong-pass1', '127.0.0.2');
    expect(zh.body.message).toMatch(/请求过于频繁/);
    // The right password from that IP waits too; another IP is not limited.
    expect((await login('xq.officer', 'wpzf2026', '127.0.0.2')).status).toBe(429);
    expect((await login('xq.officer', 'wpzf2026', '127.0.0.3')).status).toBe(200);
  });

  it('lock a username after 5 failures in a row (429 with Retry-After, even to the right password); a success resets the count', async () => {
    const locked = await newUser();
    const other = await newUser();
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await login(locked.username, `Wrong-pass${i}`, '127.0.1.1')).status);
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    const right = await login(locked.username, 'Secret-2026', '127.0.1.2', { 'accept-language': 'en' });
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(right.body).toMatchObject({ code: 'TooManyRequests' });
    expect(right.body.message).toMatch(/too many failed logins/);
    expect((await login(locked.username, 'Secret-2026', '127.0.1.3')).body.message).toMatch(/登录失败次数过多/);
    // Another user is not locked; 4 failures, a success, 4 failures: never locked.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect((await login(other.username, 'Wrong-pass1', '127.0.1.4')).status).toBe(401);
      expect((await login(other.username, 'Secret-2026', '127.0.1.5')).status).toBe(200);
    }
    // An unknown username locks the same way: the lockout does not tell whether a user exists.
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) unknown.push((await login('no.such.user', `Wrong-pass${i}`, '127.0.1.6')).status);
    expect(unknown).toEqual([401, 401, 401, 401, 429]);
  });

  it('a lockout ends after its time; failures far apart do not add up; every API process sees it (LoginGuard)', async () => {
    // Two guards on one database, as two API processes behind the proxy: the failures add up across them.
    const a = new LoginGuard(sys.database.db, { failures: 3, minutes: 10 });
    const b = new LoginGuard(sys.database.db, { failures: 3, minutes: 10 });
    const t0 = Date.UTC(2030, 0, 1);
    expect(await a.failed('guard.u', t0)).toBe(0);
    expect(await b.failed('Guard.U ', t0 + 1)).toBe(0);
    expect(await a.failed('guard.u', t0 + 2)).toBe(600);
    expect(await b.retryAfter('guard.u', t0 + 2 + 5 * 60_000)).toBe(300);
    expect(await a.retryAfter('guard.u', t0 + 2 + 10 * 60_000)).toBe(0);
    for (let i = 0; i < 6; i++) expect(await (i % 2 ? a : b).failed('guard.v', t0 + i * 11 * 60_000)).toBe(0);
    // Concurrent wrong passwords on both processes all count: ten at once lock the name.
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).failed('guard.w', t0)));
    expect(await a.retryAfter('guard.w', t0)).toBeGreaterThan(0);
    await b.succeeded('guard.w');
    expect(await a.retryAfter('guard.w', t0)).toBe(0);
  });

  it('take as long for an unknown username as for a wrong password of a known one', async () => {
    const known = ['nx.reviewer', 'yc.reviewer', 'yc.supervisor', 'xq.supervisor', 'sd.reviewer', 'lc.reviewer', 'gd.reviewer', 'fj.reviewer'];
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 24; i++) {
      const ip = `127.0.2.${i + 1}`;
      const a = await login(known[i % known.length], 'Wrong-pass1', ip);
      const b = await login(`ghost${i}.user`, 'Wrong-pass1', ip);
      expect([a.status, b.status]).toEqual([401, 401]);
      times.known.push(a.ms);
      times.unknown.push(b.ms);
    }
    const ratio = median(times.unknown) / median(times.known);
    console.log(
      `login timing: median known-user wrong password ${median(times.known).toFixed(1)} ms, unknown user ${median(times.unknown).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('browsers', () => {
  it('CORS answers only a configured origin: a foreign Origin gets no Access-Control-Allow-Origin', async () => {
    const foreign = await send('GET', '/api/health', { headers: { origin: 'https://evil.example.com' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send('OPTIONS', '/api/auth/login', {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await send('GET', '/api/health', { headers: { origin: UI_ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  });

  it('security headers on the UI, the API and the swagger UI; the CSP lets in the map tiles and data: images', async () => {
    for (const path of ['/', '/api/health', '/api/docs/static/index.html']) {
      const res = await send('GET', path);
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['x-frame-options'], path).toBeDefined();
      const csp = String(res.headers['content-security-policy']);
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/img-src 'self' data: blob: https:\/\/\*\.tile\.example\.org/);
      expect(csp).not.toContain('unsafe-eval');
    }
  });
});

describe('passwords', () => {
  it('a user changes their own password: the current one checked (field named), the policy applied, other sessions ended, audited', async () => {
    const user = await newUser();
    const session = (await login(user.username, 'Secret-2026', '127.0.3.1')).body.token as string;
    const other = (await login(user.username, 'Secret-2026', '127.0.3.2')).body.token as string;
    const change = (body: unknown, token = session) => send('POST', '/api/auth/password', { token, body, headers: { 'accept-language': 'en' } });

    expect((await send('POST', '/api/auth/password', { body: { currentPassword: 'Secret-2026', newPassword: 'Better-2027x' } })).status).toBe(401);
    const wrong = await change({ currentPassword: 'Not-it-2026', newPassword: 'Better-2027x' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.issues).toEqual([expect.objectContaining({ path: 'currentPassword', code: 'wrong_password', message: 'the current password is wrong' })]);
    for (const [newPassword, code] of [
      ['12345678', 'password_needs_letters_and_digits'],
      ['password1', 'password_too_common'],
      ['short1', 'password_too_short'],
      [`${user.username}9`, 'password_contains_username'],
      ['Secret-2026', 'password_unchanged'],
    ]) {
      const res = await change({ currentPassword: 'Secret-2026', newPassword });
      expect(res.status, newPassword).toBe(422);
      expect(res.body.issues[0], newPassword).toMatchObject({ path: 'newPassword', code });
    }
    // Nothing changed by the refused attempts.
    expect((await send('GET', '/api/auth/me', { token: other })).status).toBe(200);

    const ok = await change({ currentPassword: 'Secret-2026', newPassword: 'Better-2027x' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ username: user.username, sessionsEnded: 1 });
    expect((await send('GET', '/api/auth/me', { token: session })).status).toBe(200);
    expect((await send('GET', '/api/auth/me', { token: other })).status).toBe(401);
    expect((await login(user.username, 'Secret-2026', '127.0.3.3')).status).toBe(401);
    expect((await login(user.username, 'Better-2027x', '127.0.3.4')).status).toBe(200);
    const audit = await sys.sql`select actor_name, after from audit_log where action = 'user.password_changed' and (after->>'userId')::int = ${user.id}`;
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('Better-2027x');
  });

  it('the policy applies to a new user and an administrator reset too (422 naming the field); wpzf2026 stays valid', async () => {
    const admin = await sys.login('nx.admin');
    for (const [password, code] of [
      ['12345678', 'password_needs_letters_and_digits'],
      ['abcdefgh', 'password_needs_letters_and_digits'],
      ['Passw0rd', 'password_too_common'],
      ['qwerty123', 'password_too_common'],
      ['woaini1314', 'password_too_common'],
      ['admin2026', 'password_too_common'],
      ['pol.user1abc9', 'password_contains_username'],
    ]) {
      const res = await sys.http('POST', '/api/users', {
        token: admin,
        body: { username: 'pol.user1', displayName: '策略测试', role: 'officer', regionCode: '640104', password },
      });
      expect(res.status, password).toBe(422);
      expect(
        res.body.issues.map((i: { path: string; code: string }) => `${i.path}:${i.code}`),
        password,
      ).toEqual([`password:${code}`]);
    }
    expect((await sys.sql`select count(*)::int as n from users where username = 'pol.user1'`)[0].n).toBe(0);
    const target = await newUser();
    const before = (await sys.sql`select password_hash from users where id = ${target.id}`)[0].password_hash;
    for (const [password, code] of [
      ['12345678', 'password_needs_letters_and_digits'],
      [`${target.username}1`, 'password_contains_username'],
    ]) {
      const reset = await sys.http('POST', `/api/users/${target.id}/password`, { token: admin, body: { password } });
      expect(reset.status, password).toBe(422);
      expect(reset.body.issues.map((i: { path: string; code: string }) => `${i.path}:${i.code}`)).toEqual([`password:${code}`]);
    }
    expect((await sys.sql`select password_hash from users where id = ${target.id}`)[0].password_hash).toBe(before);
    // The generated reset password and the demo password pass the policy.
    const generated = await sys.http('POST', `/api/users/${target.id}/password`, { token: admin, body: {} });
    expect(passwordProblem(generated.body.password, target.username)).toBeUndefined();
    expect(passwordProblem('wpzf2026', 'nx.admin')).toBeUndefined();
    expect((await login('jm.admin', 'wpzf2026', '127.0.4.1')).status).toBe(200);
  });
});
