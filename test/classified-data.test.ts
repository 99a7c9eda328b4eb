/**
 * Classified data and accounts (000 二(二); 002 三(三); 004 三(二)): who holds the classified-handling
 * permission is managed only by administrators who hold it; audit rows are scoped to the region they concern
 * and classified rows are shown only to holders; the sampling seed is redacted in the audit as in the policy
 * API; military patches are in no figure, list or file of a user without the permission; and a military
 * patch's workflow tells the Temporal server nothing classified.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../db/client';
import { MIGRATIONS_FOLDER } from '../db/migrate';
import { issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
  // A classified administrator of Ningxia (the demo has only the national admin with the permission).
  await sys.sql`insert into users (username, display_name, role, region_code, classified, password_hash)
    select 'nx.secret.admin', '宁夏涉密管理员', 'administrator', '640000', true, password_hash from users where username = 'nx.admin'`;
  await sys.sql`insert into users (username, display_name, role, region_code, classified, password_hash)
    select 'nx.secret.supervisor', '宁夏涉密督办员', 'supervisor', '640000', true, password_hash from users where username = 'nx.admin'`;
});
afterAll(async () => {
  await sys?.stop();
});

const as = async (user: string, method: string, path: string, body?: unknown) => sys.http(method, path, { token: await sys.login(user), body });
const filter = (f: Record<string, unknown>) => `filter=${encodeURIComponent(JSON.stringify(f))}`;
const get = async (user: string, path: string) => {
  const res = await as(user, 'GET', path);
  expect(res.status, `${user} GET ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};
const login = (username: string, password: string) => sys.http('POST', '/api/auth/login', { body: { username, password } });
const userRow = async (username: string) =>
  (await sys.sql`select id, role, region_code, classified, active, password_hash from users where username = ${username}`)[0];

describe('accounts holding the classified-handling permission', () => {
  it('a non-classified administrator cannot reset, edit, deactivate or strip xq.secret (403, nothing changed); a classified one can', async () => {
    const secret = await userRow('xq.secret');
    const before = (await sys.sql`select count(*)::int as n from audit_log where action like 'user.%'`)[0].n;
    const attempts: Array<[string, string, unknown]> = [
      ['POST', `/api/users/${secret.id}/password`, { password: 'Taken-Over-2026' }],
      ['POST', `/api/users/${secret.id}/password`, {}],
      ['PUT', `/api/users/${secret.id}`, { role: 'administrator' }],
      ['PUT', `/api/users/${secret.id}`, { regionCode: '640100' }],
      ['PUT', `/api/users/${secret.id}`, { active: false }],
      ['PUT', `/api/users/${secret.id}`, { classified: false }],
      ['PUT', `/api/users/${secret.id}`, { displayName: '改名' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await as('nx.admin', method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(403);
    }
    expect(await userRow('xq.secret')).toEqual(secret);
    expect((await login('xq.secret', 'Taken-Over-2026')).status).toBe(401);
    expect((await login('xq.secret', 'wpzf2026')).status).toBe(200);
    expect((await sys.sql`select count(*)::int as n from audit_log where action like 'user.%'`)[0].n).toBe(before);

    // A classified administrator of the same province manages them.
    const renamed = await as('nx.secret.admin', 'PUT', `/api/users/${secret.id}`, { displayName: '兴庆区涉密核查员（机要）' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ classified: true, displayName: '兴庆区涉密核查员（机要）' });
    const reset = await as('nx.secret.admin', 'POST', `/api/users/${secret.id}/password`, { password: 'wpzf2026' });
    expect(reset.status).toBe(200);
  });

  it('removing or granting the permission takes a holder; a non-holder sees no one as holding it', async () => {
    const { body: plain } = await as('nx.admin', 'POST', '/api/users', {
      username: sys.unique('xq.plain').toLowerCase(),
      displayName: '兴庆区普通核查员',
      role: 'officer',
      regionCode: '640104',
      password: 'Plain-2026',
    });
    expect(plain).not.toHaveProperty('classified');
    const granted = await as('nx.admin', 'PUT', `/api/users/${plain.id}`, { classified: true });
    expect(granted.status).toBe(422);
    expect(Object.keys(granted.body.errors)).toEqual(['classified']);
    expect((await as('nx.secret.admin', 'PUT', `/api/users/${plain.id}`, { classified: true })).body.classified).toBe(true);
    // Now a holder: out of the non-holder's hands, revoking included.
    expect((await as('nx.admin', 'PUT', `/api/users/${plain.id}`, { classified: false })).status).toBe(403);
    expect((await userRow(plain.username)).classified).toBe(true);
    expect((await as('nx.secret.admin', 'PUT', `/api/users/${plain.id}`, { classified: false })).body.classified).toBe(false);

    // Lists and details: the flag and the filter only for holders.
    const secret = await userRow('xq.secret');
    const listed = await get('nx.admin', `/api/users?${filter({ q: 'xq.secret' })}`);
    expect(listed.map((u: { username: string }) => u.username)).toContain('xq.secret');
    for (const u of listed) expect(u).not.toHaveProperty('classified');
    expect(await get('nx.admin', `/api/users/${secret.id}`)).not.toHaveProperty('classified');
    expect(await get('nx.admin', `/api/users?${filter({ classified: true })}`)).toEqual([]);
    expect((await get('nx.secret.admin', `/api/users?${filter({ classified: true })}`)).map((u: { username: string }) => u.username)).toContain('xq.secret');
    expect((await get('nx.secret.admin', `/api/users/${secret.id}`)).classified).toBe(true);
  });
});

describe('the audit log', () => {
  const actions = async (user: string, f: Record<string, unknown>) =>
    (await get(user, `/api/audit?${filter(f)}&range=${encodeURIComponent('[0,999]')}`)) as Array<{
      action: string;
      after: Record<string, unknown>;
      before: Record<string, unknown> | null;
    }>;

  it("user rows reach only administrators of the user's subtree; rows about holders only classified ones", async () => {
    const username = sys.unique('xq.audited').toLowerCase();
    const { body: created } = await as('nx.admin', 'POST', '/api/users', {
      username,
      displayName: '兴庆区新核查员',
      role: 'officer',
      regionCode: '640104',
      password: 'Audited-2026',
    });
    const mine = (rows: Array<{ after: Record<string, unknown> }>) => rows.filter((r) => r.after?.userId === created.id);
    expect(mine(await actions('nx.admin', { action: 'user.created' }))).toHaveLength(1);
    expect(mine(await actions('admin', { action: 'user.created' }))).toHaveLength(1);
    for (const other of ['lc.admin', 'jm.admin']) expect(mine(await actions(other, { action: 'user.created' })), other).toEqual([]);

    // Moved from the county to the city: the row concerns both, so the city's subtree (and above).
    await as('nx.admin', 'PUT', `/api/users/${created.id}`, { regionCode: '640100' });
    expect(mine(await actions('nx.admin', { action: 'user.updated' }))).toHaveLength(1);
    expect(mine(await actions('lc.admin', { action: 'user.updated' }))).toEqual([]);

    // A holder's password reset by a holder: only holders see the row.
    const secret = await userRow('xq.secret');
    await as('nx.secret.admin', 'POST', `/api/users/${secret.id}/password`, { password: 'wpzf2026' });
    const resets = (user: string) => actions(user, { action: 'user.password_reset' }).then((rows) => rows.filter((r) => r.after?.userId === secret.id));
    expect(await resets('nx.admin')).toEqual([]);
    expect((await resets('nx.secret.admin')).length).toBeGreaterThan(0);
    expect((await resets('admin')).length).toBeGreaterThan(0);
  });

  it("a province's policy change reaches only its subtree's administrators, its sampling seed only whom the policy API shows it", async () => {
    const SEED = 'gd-audit-不公开';
    const own = (await get('admin', '/api/regions/440000/policy')).own;
    const saved = await as('admin', 'PUT', '/api/regions/440000/policy', {
      note: '省级抽查种子',
      overrides: { ...own, review: { ...own.review, sampleSeed: SEED } },
    });
    expect(saved.status).toBe(200);
    const gd = (rows: Array<{ after: Record<string, unknown> }>) => rows.filter((r) => r.after?.regionCode === '440000');
    // Outside Guangdong: nothing (before, every administrator in the country read the seed here).
    for (const other of ['nx.admin', 'lc.admin']) expect(gd(await actions(other, { action: 'policy.changed' })), other).toEqual([]);
    // The national administrator sees it with the seed, as the policy API shows it to administrators.
    const rows = gd(await actions('admin', { action: 'policy.changed' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows.at(-1))).toContain(SEED);
    // Whoever may not see the seed in the policy API does not see it in any audit row.
    for (const user of ['jm.reviewer', 'gd.reviewer', 'pj.officer']) {
      expect((await get(user, '/api/regions/440000/policy')).effective.review).not.toHaveProperty('sampleSeed');
      expect(JSON.stringify(await actions(user, {})), user).not.toContain(SEED);
    }
  });
});

describe('military patches in figures, counts and files', () => {
  it('count for a holder of the permission (issued and military, exactly the patch) and nowhere for anyone else', async () => {
    // A batch of March 2025 in 兴庆区: two ordinary patches and a military one, all overdue by now.
    const batchCode = sys.unique('B');
    const over = { countyCode: '640104', batchCode, issuedAt: '2025-03-10T02:00:00Z' };
    await issueAndWaitForTask(sys, over);
    await issueAndWaitForTask(sys, over);
    const military = await issueAndWaitForTask(sys, { ...over, military: true }, { taskType: 'military_report' });
    await eventually(async () => (await sys.sql`select 1 from tasks where patch_code = ${military.code} and overdue`).length > 0);

    const read = async (admin: string, supervisor: string) => {
      const stats = await get(admin, '/api/statistics?regionCode=640104&from=2025-03-01&to=2025-04-01');
      const batch = await get(admin, `/api/batches/${batchCode}`);
      const listed = (await get(admin, `/api/batches?${filter({ id: [batchCode] })}`))[0];
      const preview = await as(admin, 'POST', '/api/regions/640104/policy/preview', {
        overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 60, from: 'issuance' } } } },
        samples: [],
      });
      expect(preview.status).toBe(200);
      const overdue = await get(supervisor, '/api/supervision/overdue?regionCode=640104');
      const clearance = await get(supervisor, '/api/supervision/clearance?regionCode=640104&month=2025-03');
      const csv = await (
        await fetch(`${sys.baseUrl}/api/reports/annual?regionCode=640104&year=2025&format=csv&sheet=summary`, {
          headers: { authorization: `Bearer ${await sys.login(admin)}` },
        })
      ).text();
      return { stats, batch, listed, affected: preview.body.affected, overdue, clearance, csv };
    };
    const plain = await read('nx.admin', 'nx.supervisor');
    const holder = await read('nx.secret.admin', 'nx.secret.supervisor');

    // Without the permission: nothing of it, so no difference of figures tells it.
    expect(plain.stats.figures).toMatchObject({ issued: 2, military: 0, verificationOpen: 2, overdueNow: 2 });
    expect(plain.batch.patchCount).toBe(2);
    expect(plain.listed.patchCount).toBe(2);
    expect(plain.affected).toMatchObject({ workflows: 2, openTasksInSubtree: 2 });
    expect(plain.overdue.total.count).toBe(2);
    expect(plain.clearance.total.total).toBe(2);
    expect(plain.csv).not.toContain('军用');
    // With it: exactly the military patch more, as issued and military only (000 二(二); 002 三(三); 004 三(二)).
    expect(holder.stats.figures).toEqual({ ...plain.stats.figures, issued: 3, military: 1 });
    expect(holder.batch.patchCount).toBe(3);
    expect(holder.listed.patchCount).toBe(3);
    expect(holder.affected).toMatchObject({ workflows: 3, openTasksInSubtree: 3 });
    expect(holder.overdue.total.count).toBe(3);
    expect(holder.clearance.total.total).toBe(3);
    // A report file travels over ordinary channels: the same for both, without the military patch.
    expect(holder.csv).toBe(plain.csv);
    expect(plain.csv).toContain('下发图斑（个）,2');
  });

  it("a policy change's fan-out counts military workflows only for holders, now and in the versions", async () => {
    await issueAndWaitForTask(sys, { countyCode: '640104' });
    await issueAndWaitForTask(sys, { countyCode: '640104', military: true }, { taskType: 'military_report' });
    const [{ n: militaryOpen }] = await sys.sql`select count(distinct t.workflow_id)::int as n from tasks t join patches p on p.code = t.patch_code
      where t.status = 'open' and p.military and p.county_code = '640104'`;
    expect(militaryOpen).toBeGreaterThan(0);
    const own = (await get('admin', '/api/regions/640104/policy')).own ?? {};
    const saved = await as('nx.admin', 'PUT', '/api/regions/640104/policy', { note: '核查期限调整', overrides: own });
    expect(saved.status).toBe(200);
    const id = saved.body.broadcastWorkflowId;
    const done = await eventually(async () => {
      const res = await get('nx.secret.admin', `/api/policy-broadcasts/${id}`);
      return res.progress?.done ? res : undefined;
    });
    expect(done.progress.signalled).toBeGreaterThan(militaryOpen);
    const plain = await get('nx.admin', `/api/policy-broadcasts/${id}`);
    const { cursor: _cursor, ...rest } = done.progress;
    expect(plain.progress).toEqual({ ...rest, total: done.progress.total - militaryOpen, signalled: done.progress.signalled - militaryOpen });
    // A past fan-out's count: holders only.
    const versions = (user: string) =>
      get(user, '/api/regions/640104/policy/versions').then((rows) => rows.find((v: { id: number }) => v.id === saved.body.id));
    await eventually(async () => (await versions('nx.secret.admin'))?.broadcastSignalled === done.progress.signalled);
    expect((await versions('nx.admin')).broadcastSignalled).toBeNull();
  });
});

describe('what the Temporal server holds of a military patch', () => {
  it('no geometry and nothing that says military or classified in its input, memo or search attributes', async () => {
    const { code, task } = await issueAndWaitForTask(
      sys,
      { military: true, areaMu: 37.5, farmlandMu: 12 },
      { asUser: 'xq.secret', taskType: 'military_report' },
    );
    const handle = sys.temporal.workflow.getHandle(code);
    const exposed = async () => {
      const description = await handle.describe();
      const history = await handle.fetchHistory();
      const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
      const decode = (payloads?: Array<{ data?: Uint8Array | null }> | null) =>
        (payloads ?? []).map((p) => JSON.parse(Buffer.from(p.data ?? []).toString('utf8')));
      const searchAttributes = Object.fromEntries(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
      return { input: decode(started?.input?.payloads), memo: description.memo ?? {}, searchAttributes };
    };
    const check = (seen: Awaited<ReturnType<typeof exposed>>) => {
      const text = JSON.stringify(seen);
      expect(text).not.toMatch(/military|classified|restricted|geometry|coordinates|centroid|涉密|军/i);
      // The area and a longitude as values (not the digits of a timestamp such as 05:01:37.512Z).
      expect(text).not.toMatch(/(?<!\d:)(?<!\d)37\.5(?!\d)/);
      expect(text).not.toMatch(/(?<!\d)106\.28/);
    };
    // The search attributes are upserted by the workflow, possibly after its first task is in the read model.
    const opened = await eventually(async () => {
      const seen = await exposed();
      return seen.searchAttributes.Stage ? seen : undefined;
    });
    expect(opened.input[0].patch.code).toBe(code);
    expect(opened.searchAttributes).toMatchObject({ CountyCode: '640104', Stage: 'verification' });
    check(opened);
    // Reported offline: the workflow ends as an ordinary close, as far as the server shows.
    const done = await as('xq.secret', 'POST', `/api/tasks/${task.id}/complete`, { reportedOffline: true });
    expect(done.status).toBe(200);
    expect(done.body.stage).toBe('military_offline');
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED');
    const closed = await eventually(async () => {
      const seen = await exposed();
      return seen.searchAttributes.Stage === 'closed' ? seen : undefined;
    });
    expect(closed.searchAttributes).toMatchObject({ Stage: 'closed' });
    check(closed);
  });
});

describe('the migration that scopes the audit', () => {
  it('backfills the rows written before it: region and classified mark from the patch, user or policy', async () => {
    const name = `m_audit_${Date.now().toString(36)}`;
    const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const database = connectDatabase(inject('pgServerUrl').replace(/\/postgres$/, `/${name}`), { max: 2 });
    // The migrations up to the one before the backfill.
    const older = mkdtempSync(path.join(os.tmpdir(), 'wpzf-mig-'));
    try {
      cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
      const journalPath = path.join(older, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
      const at = journal.entries.findIndex((e: { tag: string }) => e.tag === '0019_audit_region_backfill');
      journal.entries = journal.entries.slice(0, at);
      writeFileSync(journalPath, JSON.stringify(journal));
      await migrate(database.db, { migrationsFolder: older });
      const sql = database.sql;
      await sql`insert into regions (code, name, level, parent_code) values ('000000', '全国', 'national', null), ('640000', '宁夏', 'province', '000000'),
        ('640100', '银川市', 'city', '640000'), ('640104', '兴庆区', 'county', '640100'), ('440000', '广东', 'province', '000000')`;
      const [plain] =
        await sql`insert into users (username, password_hash, display_name, role, region_code) values ('u1', 'x', '甲', 'officer', '640104') returning id`;
      const [secret] =
        await sql`insert into users (username, password_hash, display_name, role, region_code, classified) values ('u2', 'x', '乙', 'officer', '640104', true) returning id`;
      await sql`insert into patches (code, county_code, city_code, province_code, category, source, batch_kind, area_mu, military, issued_at)
        values ('PM1', '640104', '640100', '640000', 'other_new_construction', 'ministry', 'monthly', 1, true, now()),
               ('PN1', '640104', '640100', '640000', 'other_new_construction', 'ministry', 'monthly', 1, false, now())`;
      const rows: Array<[string, string, string | null, unknown, unknown]> = [
        ['k1', 'user.created', null, null, { userId: plain.id, regionCode: '640104' }],
        ['k2', 'user.updated', null, { regionCode: '640104' }, { userId: plain.id, regionCode: '640100' }],
        ['k3', 'user.password_reset', null, null, { userId: secret.id }],
        ['k4', 'policy.changed', null, null, { regionCode: '440000', overrides: {} }],
        ['k5', 'patch.issued', 'PM1', null, {}],
        ['k6', 'patch.issued', 'PN1', null, {}],
        ['k7', 'something.else', null, null, {}],
      ];
      for (const [key, action, patchCode, before, after] of rows) {
        await sql`insert into audit_log (event_key, actor_name, action, patch_code, before, after) values (${key}, '系统', ${action}, ${patchCode}, ${before === null ? null : JSON.stringify(before)}::jsonb, ${JSON.stringify(after)}::jsonb)`;
      }
      await migrate(database.db, { migrationsFolder: MIGRATIONS_FOLDER });
      const scoped = await sql`select event_key, region_code, classified from audit_log order by event_key`;
      expect(scoped.map((r) => [r.event_key, r.region_code, r.classified])).toEqual([
        ['k1', '640104', false],
        ['k2', '640100', false],
        ['k3', '640104', true],
        ['k4', '440000', false],
        ['k5', '640104', true],
        ['k6', '640104', false],
        ['k7', '000000', false],
      ]);
      // Still append-only after the backfill.
      await expect(sql`update audit_log set region_code = '640000' where event_key = 'k1'`).rejects.toThrow(/append-only/);
    } finally {
      rmSync(older, { recursive: true, force: true });
      await database.close();
    }
  });
});
