/**
 * User management by administrators (api/routes/users.ts): create, edit role / region / classified /
 * active, reset the password — inside the administrator's subtree only, validated with the field named,
 * audited, a refused request changing nothing; sessions end when a user is deactivated, moved or reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const as = async (user: string, method: string, path: string, body?: unknown) => sys.http(method, path, { token: await sys.login(user), body });
const login = (username: string, password: string) => sys.http('POST', '/api/auth/login', { body: { username, password } });
const audits = async (action: string, userId: number) =>
  sys.sql`select actor_name, before, after from audit_log where action = ${action} and (after->>'userId')::int = ${userId} order by id`;
const count = async (username: string) => (await sys.sql`select count(*)::int as n from users where username = ${username}`)[0].n as number;

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `xq.new${Math.random().toString(36).slice(2, 7)}`,
  displayName: '兴庆区新核查员',
  role: 'officer',
  regionCode: '640104',
  password: 'Secret-2026',
  ...over,
});

describe('creating users', () => {
  it('an administrator creates a user of its subtree, who can log in; audited without the password', async () => {
    const body = newUser();
    const res = await as('nx.admin', 'POST', '/api/users', body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ username: body.username, role: 'officer', regionCode: '640104', regionName: '兴庆区', active: true });
    // Who holds the classified-handling permission is shown only to holders.
    expect(res.body).not.toHaveProperty('classified');
    expect(res.body.passwordHash).toBeUndefined();
    expect((await login(body.username, 'Secret-2026')).status).toBe(200);
    const [entry] = await audits('user.created', res.body.id);
    expect(entry).toMatchObject({ actor_name: '宁夏自然资源厅管理员', after: { username: body.username, role: 'officer' } });
    expect(JSON.stringify(entry)).not.toContain('Secret-2026');
    // The new user is in the list (and the assign picker).
    const list = await as('yc.reviewer', 'GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ regionCode: '640104', role: 'officer' }))}`);
    expect(list.body.map((u: { username: string }) => u.username)).toContain(body.username);
  });

  it('422 naming the field: a taken username, a region outside or unknown, a short password, a bad username', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ username: 'xq.officer' }, 'username'],
      [{ regionCode: '371502' }, 'regionCode'],
      [{ regionCode: '640199' }, 'regionCode'],
      [{ password: 'short' }, 'password'],
      [{ username: 'Bad Name' }, 'username'],
      [{ role: 'superuser' }, 'role'],
    ];
    for (const [over, path] of cases) {
      const body = newUser(over);
      const res = await as('nx.admin', 'POST', '/api/users', body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([path]);
      if (path !== 'username') expect(await count(body.username as string)).toBe(0);
    }
    expect(await count('xq.officer')).toBe(1);
  });

  it('only administrators manage users; the classified permission is granted only by an administrator who holds it', async () => {
    expect((await as('nx.supervisor', 'POST', '/api/users', newUser())).status).toBe(403);
    const secret = newUser({ classified: true });
    const refused = await as('nx.admin', 'POST', '/api/users', secret);
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.errors)).toEqual(['classified']);
    expect(await count(secret.username)).toBe(0);
    const granted = await as('admin', 'POST', '/api/users', secret);
    expect(granted.status).toBe(201);
    expect(granted.body.classified).toBe(true);
  });
});

describe('editing users', () => {
  it('changes the role and region (the user logs in again), audited with before and after', async () => {
    const body = newUser();
    const { body: created } = await as('nx.admin', 'POST', '/api/users', body);
    const token = (await login(body.username, body.password)).body.token;
    const res = await as('nx.admin', 'PUT', `/api/users/${created.id}`, { ...created, role: 'supervisor', regionCode: '640100', regionName: 'ignored' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'supervisor', regionCode: '640100', regionName: '银川市', username: body.username });
    expect((await sys.http('GET', '/api/auth/me', { token })).status).toBe(401);
    const [entry] = await audits('user.updated', created.id);
    expect(entry).toMatchObject({ before: { role: 'officer', regionCode: '640104' }, after: { role: 'supervisor', regionCode: '640100' } });
  });

  it('deactivating ends the sessions and the login; an administrator cannot deactivate itself; other subtrees are 404', async () => {
    const body = newUser();
    const { body: created } = await as('nx.admin', 'POST', '/api/users', body);
    expect((await as('nx.admin', 'PUT', `/api/users/${created.id}`, { active: false })).body.active).toBe(false);
    expect((await login(body.username, body.password)).status).toBe(401);
    // Inactive users are listed on request.
    const all = await as('nx.admin', 'GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ active: 'all', q: body.username }))}`);
    expect(all.body.map((u: { id: number }) => u.id)).toEqual([created.id]);
    const active = await as('nx.admin', 'GET', `/api/users?filter=${encodeURIComponent(JSON.stringify({ q: body.username }))}`);
    expect(active.body).toEqual([]);

    const me = (await sys.sql`select id from users where username = 'nx.admin'`)[0].id;
    const self = await as('nx.admin', 'PUT', `/api/users/${me}`, { active: false });
    expect(self.status).toBe(409);
    expect((await sys.sql`select active from users where id = ${me}`)[0].active).toBe(true);
    expect((await as('lc.admin', 'PUT', `/api/users/${created.id}`, { active: true })).status).toBe(404);
    const outside = await as('nx.admin', 'PUT', `/api/users/${created.id}`, { regionCode: '371500' });
    expect(outside.status).toBe(422);
    expect(Object.keys(outside.body.errors)).toEqual(['regionCode']);
    expect((await sys.sql`select region_code from users where id = ${created.id}`)[0].region_code).toBe('640104');
  });
});

describe('resetting a password', () => {
  it('generates one (answered once) or sets the given one; the old password and sessions stop working', async () => {
    const body = newUser();
    const { body: created } = await as('nx.admin', 'POST', '/api/users', body);
    const token = (await login(body.username, body.password)).body.token;
    const reset = await as('nx.admin', 'POST', `/api/users/${created.id}/password`, {});
    expect(reset.status).toBe(200);
    expect(reset.body.password).toMatch(/^.{8,}$/);
    expect((await login(body.username, body.password)).status).toBe(401);
    expect((await login(body.username, reset.body.password)).status).toBe(200);
    expect((await sys.http('GET', '/api/auth/me', { token })).status).toBe(401);

    const chosen = await as('nx.admin', 'POST', `/api/users/${created.id}/password`, { password: 'Chosen-2026' });
    expect(chosen.body.password).toBeUndefined();
    expect((await login(body.username, 'Chosen-2026')).status).toBe(200);
    const short = await as('nx.admin', 'POST', `/api/users/${created.id}/password`, { password: 'x' });
    expect(short.status).toBe(422);
    expect(Object.keys(short.body.errors)).toEqual(['password']);
    expect((await login(body.username, 'Chosen-2026')).status).toBe(200);
    const entries = await audits('user.password_reset', created.id);
    expect(entries).toHaveLength(2);
    expect(JSON.stringify(entries)).not.toContain('Chosen-2026');
    expect((await as('yc.supervisor', 'POST', `/api/users/${created.id}/password`, {})).status).toBe(403);
  });
});
