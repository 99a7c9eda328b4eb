/**
 * A report's lists are read page by page (keyset paging in api/services/reports.ts) while the file is
 * streamed: with more rows than a page, every illegal patch and every case is in the CSV and the XLSX once.
 */
import { buffer } from 'node:stream/consumers';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { buildReport, reportCsv, reportXlsx } from '../api/services/reports';
import { connectDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';

let database: Database;
const name = `r_${Date.now().toString(36)}`;
const PATCHES = 4321; // more than two pages of 2,000
const year = 2025;

beforeAll(async () => {
  const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  database = connectDatabase(inject('pgServerUrl').replace(/\/postgres$/, `/${name}`), { max: 2 });
  await applyMigrations(database.db);
  await database.sql.unsafe(`
    insert into regions (code, name, level, parent_code) values ('640000', '宁夏', 'province', null), ('640100', '银川市', 'city', '640000'),
      ('640104', '兴庆区', 'county', '640100'), ('640105', '西夏区', 'county', '640100');
    insert into patches (code, county_code, city_code, province_code, category, source, batch_kind, area_mu, issued_at, stage, legality, military, case_no)
    select 'P' || lpad(g::text, 6, '0'), case when g % 2 = 0 then '640104' else '640105' end, '640100', '640000', 'other_change', 'ministry', 'monthly', 1,
           '${year}-03-01T00:00:00Z'::timestamptz + (g % 200) * interval '1 day', 'case', 'illegal', g % 1000 = 0, 'AJ' || lpad(g::text, 6, '0')
    from generate_series(1, ${PATCHES}) g;
    insert into cases (case_no, county_code, city_code, province_code, primary_patch_code, year, status, workflow_id, opened_at)
    select p.case_no, p.county_code, p.city_code, p.province_code, p.code, ${year}, 'rectification', p.case_no, p.issued_at + interval '1 day'
    from patches p;
    insert into case_patches (case_no, patch_code) select case_no, code from patches;
  `);
});
afterAll(async () => {
  await database?.close();
});

describe('a report larger than a page', () => {
  it('has every illegal patch and case once, in the CSV and in the XLSX (military ones in neither)', async () => {
    const visible = PATCHES - Math.floor(PATCHES / 1000);
    const report = () => buildReport(database.db, { regionCode: '640000', year, kind: 'annual' });
    for (const sheet of ['patches', 'cases'] as const) {
      const rows: string[][] = parse((await buffer(reportCsv(await report(), sheet))).toString('utf8'), { bom: true });
      const codes = rows.slice(1).map((r) => r[0]);
      expect(codes.length, sheet).toBe(visible);
      expect(new Set(codes).size, sheet).toBe(visible);
    }
    const out = new PassThrough();
    const [file] = await Promise.all([buffer(out), reportXlsx(await report(), out)]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.getWorksheet('违法图斑')!.rowCount).toBe(visible + 1);
    expect(wb.getWorksheet('案件台账')!.rowCount).toBe(visible + 1);
    // The header stays in view (a frozen first row), written without per-cell styles (half the writing time).
    expect(wb.getWorksheet('违法图斑')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
