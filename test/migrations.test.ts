/** The migrations on a real PostgreSQL: they apply to an empty database, re-apply as a no-op, and match the schema. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { connectDatabase, type Database } from '../db/client';
import { applyMigrations, MIGRATIONS_FOLDER } from '../db/migrate';
import { PROJECT_ROOT } from '../infra/config';

let database: Database;
const name = `m_${Date.now().toString(36)}`;

beforeAll(async () => {
  const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  database = connectDatabase(inject('pgServerUrl').replace(/\/postgres$/, `/${name}`), { max: 2 });
});
afterAll(async () => {
  await database?.close();
});

describe('migrations', () => {
  it('create every table on an empty database and are idempotent', async () => {
    await applyMigrations(database.db);
    await applyMigrations(database.db);
    const tables = (await database.sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`).map((r) => r.table_name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'audit_log',
        'batches',
        'idempotency_keys',
        'meta',
        'notifications',
        'patches',
        'region_policies',
        'regions',
        'sessions',
        'tasks',
        'users',
      ]),
    );
    const [{ n }] = await database.sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(n).toBeGreaterThanOrEqual(2);
  });

  it('make the audit log append-only', async () => {
    await database.sql`insert into audit_log (event_key, actor_name, action) values ('k1', 'tester', 'test.action')`;
    await expect(database.sql`update audit_log set action = 'changed' where event_key = 'k1'`).rejects.toThrow(/append-only/);
    await expect(database.sql`delete from audit_log where event_key = 'k1'`).rejects.toThrow(/append-only/);
    await expect(database.sql`truncate audit_log`).rejects.toThrow(/append-only/);
    const [row] = await database.sql`select action from audit_log where event_key = 'k1'`;
    expect(row.action).toBe('test.action');
  });

  it("derive the province's checks and findings from the review draws and on-site checks (statistics read the columns)", async () => {
    await database.sql`insert into regions (code, name, level) values ('640104', '兴庆区', 'county') on conflict do nothing`;
    const cases: Array<[string, unknown, unknown, boolean, boolean]> = [
      // [code, review_draws, onsite_checks, province_checked, province_found_illegal]
      ['P0', null, null, false, false],
      ['P1', { province: { selected: true, legality: 'legal' } }, null, true, true],
      ['P2', { province: { selected: true, legality: 'illegal' } }, null, true, false],
      ['P3', { city: { selected: true } }, [{ level: 'city', result: 'overturned', from: 'legal', to: 'illegal' }], false, false],
      ['P4', null, [{ level: 'province', result: 'confirmed' }], true, false],
      ['P5', null, [{ level: 'province', result: 'overturned', from: 'legal', to: 'illegal' }], true, true],
      ['P6', null, [{ level: 'province', result: 'overturned', to: 'illegal' }], true, true],
      ['P7', null, [{ level: 'province', result: 'overturned', from: 'illegal', to: 'illegal' }], true, false],
      ['P8', null, [{ level: 'province', result: 'overturned', from: 'illegal', to: 'legal' }], true, false],
      ['P9', null, { level: 'province' }, false, false],
    ];
    for (const [code, draws, checks] of cases)
      await database.sql`insert into patches (code, county_code, city_code, province_code, category, source, batch_kind, area_mu, issued_at, review_draws, onsite_checks)
        values (${code}, '640104', '640100', '640000', 'other_change', 'ministry', 'monthly', 1, now(), ${draws === null ? null : JSON.stringify(draws)}::jsonb, ${checks === null ? null : JSON.stringify(checks)}::jsonb)`;
    const rows = await database.sql`select code, province_checked, province_found_illegal from patches where code like 'P%' order by code`;
    expect(rows.map((r) => [r.code, r.province_checked, r.province_found_illegal])).toEqual(cases.map(([code, , , c, f]) => [code, c, f]));
  });

  it('are in step with db/schema.ts (drizzle-kit finds nothing to generate)', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'wpzf-mig-'));
    try {
      cpSync(MIGRATIONS_FOLDER, out, { recursive: true });
      const output = execFileSync(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'node_modules/drizzle-kit/bin.cjs'),
          'generate',
          '--dialect',
          'postgresql',
          '--schema',
          './db/schema.ts',
          '--out',
          path.relative(PROJECT_ROOT, out),
        ],
        { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(output).toMatch(/No schema changes/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
