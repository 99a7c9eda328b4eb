/**
 * The half-year and annual reports on a system of their own: ministry and province patches reported
 * apart (004 二(二)); rectification as of the policy's cut-off (002 三(二), 003 三(四)).
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate, localDateOf } from '../domain/deadlines';
import { caseTaskOf, completeAs, decision, determination, issueAndWaitForTask, openTaskOf, registration } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
const year = localDateOf(Date.now()).year;
const patch: Record<string, { code: string; caseNo: string }> = {};

/** An illegal patch of Nan'an handed to its case, registered (which freezes its farmland quota). */
async function registeredIllegal(over: Record<string, unknown>, farmlandMu: number, party = registration().party) {
  const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', areaMu: 6, category: 'new_non_agricultural_construction', ...over });
  await completeAs(sys, 'na.officer', task.id, determination('illegal', { totalMu: 6, farmlandMu }));
  const final = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
  const caseNo = final.caseNo as string;
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'na.officer')).id, { ...registration(), party });
  await eventually(async () => (await sys.sql`select count(*)::int as n from quota_ledger where case_no = ${caseNo}`)[0].n > 0);
  return { code, caseNo };
}

const DAY = 24 * 3600_000;

/** Takes a registered case down the legalisation path (补办) to the elimination of the illegal state, today. */
async function legalise(caseNo: string) {
  const today = formatLocalDate(Date.now());
  const task = (type: string) => caseTaskOf(sys, caseNo, type, 'na.officer');
  await completeAs(sys, 'na.officer', (await task('stop_order')).id, { documentNumber: '南自然资停〔2026〕9号', issuedOn: today, stopped: true });
  await completeAs(sys, 'na.officer', (await task('case_decision')).id, decision({ path: 'legalise', demolition: false, recultivation: false }));
  await completeAs(sys, 'na.officer', (await task('rectification_plan')).id, {
    responsiblePerson: '林某',
    measures: '补办用地手续',
    plannedBy: formatLocalDate(Date.now() + 30 * DAY),
  });
  await completeAs(sys, 'na.officer', (await task('rectification')).id, {
    completedOn: today,
    rectifiedMu: 0,
    approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕9号', date: today },
  });
  await eventually(async () => (await sys.sql`select eliminated_at from cases where case_no = ${caseNo}`)[0].eliminated_at);
}

async function download(kind: 'half-year' | 'annual', query: string, token: string) {
  const res = await fetch(`${sys.baseUrl}/api/reports/${kind}?${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return res;
}

async function workbook(kind: 'half-year' | 'annual', query: string, token: string) {
  const res = await download(kind, query, token);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  return { wb, fileName: decodeURIComponent(res.headers.get('content-disposition') ?? '') };
}

/** Column `col` (1-based) of a sheet's rows below its header. */
function column(wb: ExcelJS.Workbook, sheet: string, col: number): unknown[] {
  const out: unknown[] = [];
  wb.getWorksheet(sheet)!.eachRow((row, i) => i > 1 && out.push(row.getCell(col).value));
  return out;
}

function summaryValue(wb: ExcelJS.Workbook, label: string): unknown {
  let found: unknown;
  wb.getWorksheet('汇总')!.eachRow((row) => {
    if (row.getCell(1).value === label) found = row.getCell(2).value;
  });
  return found;
}

beforeAll(async () => {
  sys = await startTestSystem();
  patch.ministry = await registeredIllegal({ source: 'ministry' }, 2);
  // The party's name is what an officer typed: a spreadsheet formula, here.
  patch.province = await registeredIllegal({ source: 'province' }, 3, { ...registration().party, name: '=1+1' });
});
afterAll(async () => {
  await sys?.stop();
});

describe('部卫片 and 省卫片 apart (004 二(二))', () => {
  it('the statistics of one source count only its patches and their quota', async () => {
    const token = await sys.login('na.supervisor');
    const province = await sys.http('GET', '/api/statistics?regionCode=350583&source=province', { token });
    expect(province.body.figures).toMatchObject({ issued: 1, illegal: { count: 1, farmlandMu: 3 } });
    expect(province.body.quota).toEqual([{ account: 'farmland', frozenMu: 3, unfrozenMu: 0, deductedMu: 0 }]);
    const all = await sys.http('GET', '/api/statistics?regionCode=350583', { token });
    expect(all.body.figures).toMatchObject({ issued: 2, illegal: { count: 2, farmlandMu: 5 } });
    const bad = await sys.http('GET', '/api/reports/annual?regionCode=350583&source=city', { token });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toContain('querystring.source');
  });

  it("each source's report lists only its own patches, cases and quota entries", async () => {
    const token = await sys.login('na.supervisor');
    for (const [source, label, own, other] of [
      ['province', '省卫片', patch.province, patch.ministry],
      ['ministry', '部卫片', patch.ministry, patch.province],
    ] as const) {
      const { wb, fileName } = await workbook('annual', `regionCode=350583&year=${year}&source=${source}`, token);
      expect(fileName).toContain(`南安市${year}年度卫片执法成果（${label}）.xlsx`);
      expect(summaryValue(wb, '图斑来源')).toBe(label);
      expect(summaryValue(wb, '下发图斑（个）')).toBe(1);
      expect(column(wb, '违法图斑', 1)).toEqual([own.code]);
      expect(column(wb, '案件台账', 1)).toEqual([own.caseNo]);
      expect(column(wb, '指标冻结解冻', 7)).toEqual([own.code]);
      expect(column(wb, '违法图斑', 1)).not.toContain(other.code);
    }
    const { wb } = await workbook('annual', `regionCode=350583&year=${year}`, token);
    expect(column(wb, '违法图斑', 1).sort()).toEqual([patch.ministry.code, patch.province.code].sort());
  });
});

describe('CSV', () => {
  it('every sheet as CSV holds what the XLSX sheet holds', async () => {
    const token = await sys.login('na.supervisor');
    const { wb } = await workbook('annual', `regionCode=350583&year=${year}`, token);
    for (const [sheet, name] of Object.entries({ summary: '汇总', regions: '分区统计', patches: '违法图斑', cases: '案件台账', quota: '指标冻结解冻' })) {
      const res = await download('annual', `regionCode=350583&year=${year}&format=csv&sheet=${sheet}`, token);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const csv: string[][] = parse(await res.text(), { bom: true, relax_column_count: true, skip_empty_lines: true });
      const xlsx: string[][] = [];
      // An empty text cell is written as no cell at all (a hole in row.values): both read as ''.
      wb.getWorksheet(name)!.eachRow((row) =>
        xlsx.push(
          Array.from(row.values as unknown[])
            .slice(1)
            .map((v) => (v === undefined || v === null ? '' : String(v))),
        ),
      );
      // The CSV neutralises formulas with a leading quote; the XLSX stores them as plain text.
      expect(
        csv.map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/, ''))),
        sheet,
      ).toEqual(xlsx);
      expect(csv.length, sheet).toBeGreaterThan(sheet === 'regions' ? 0 : 1);
    }
  });

  it('neutralises a cell a spreadsheet would run as a formula (a party named =1+1), keeps numbers, quotes line breaks', async () => {
    const token = await sys.login('na.supervisor');
    const res = await download('annual', `regionCode=350583&year=${year}&format=csv&sheet=cases`, token);
    const text = await res.text();
    const rows: string[][] = parse(text, { bom: true, relax_column_count: true });
    expect(rows.find((r) => r[0] === patch.province.caseNo)?.[2]).toBe("'=1+1");
    expect(text).not.toMatch(/(^|,)=1\+1/m);
    const quota: string[][] = parse(await (await download('annual', `regionCode=350583&year=${year}&format=csv&sheet=quota`, token)).text(), { bom: true });
    expect(
      quota
        .slice(1)
        .map((r) => r[4])
        .sort(),
    ).toEqual(['2', '3']);
  });
});

describe('rectification as of the cut-off (002 三(二); 003 三(四))', () => {
  it("a case eliminated after the cut-off is not rectified in that year's report; one eliminated before it is", async () => {
    const admin = await sys.login('admin');
    // Nan'an takes Liaocheng's rule: what is eliminated by 15 January of the next year counts for the year.
    const current = await sys.http('GET', '/api/regions/350583/policy', { token: admin });
    const overrides = {
      ...current.body.own,
      reports: { ...current.body.own?.reports, rectifiedBy: { annual: { kind: 'fixedDate', month: 1, day: 15, yearOffset: 1, from: 'event' } } },
    };
    const saved = await sys.http('PUT', '/api/regions/350583/policy', { token: admin, body: { overrides, note: '整改截止时间：次年1月15日' } });
    expect(saved.status).toBe(200);

    // Issued last year and legalised today — after last year's cut-off; issued this year, legalised today — before this year's.
    const lastYear = await registeredIllegal({ issuedAt: `${year - 1}-11-10T02:00:00.000Z` }, 4);
    const thisYear = await registeredIllegal({}, 1);
    await legalise(lastYear.caseNo);
    await legalise(thisYear.caseNo);

    const token = await sys.login('na.supervisor');
    const before = await sys.http('GET', `/api/statistics?regionCode=350583&from=${year - 1}-01-01&to=${year}-01-01`, { token });
    expect(before.body.rectifiedBy).toBe(`${year}-01-15`);
    expect(before.body.figures).toMatchObject({ illegal: { count: 1, farmlandMu: 4 }, rectified: { count: 0 }, legalisedFarmlandMu: 0 });
    expect(before.body.figures.accountability).toMatchObject({ numeratorMu: 4, denominatorMu: 4 });
    // As of today instead, it is rectified: the cut-off made the difference.
    const asOfNow = await sys.http(
      'GET',
      `/api/statistics?regionCode=350583&from=${year - 1}-01-01&to=${year}-01-01&rectifiedBy=${formatLocalDate(Date.now() + DAY)}`,
      { token },
    );
    expect(asOfNow.body.figures).toMatchObject({ rectified: { count: 1, farmlandMu: 4 }, legalisedFarmlandMu: 4 });

    const { wb } = await workbook('annual', `regionCode=350583&year=${year - 1}`, token);
    expect(summaryValue(wb, '整改消除违法状态截止日期')).toBe(`${year}-01-15`);
    expect(summaryValue(wb, '已整改违法图斑（个）')).toBe(0);
    // 拆分 (docs/domain.md §13): the report says which patches its figures count.
    expect(summaryValue(wb, '计数口径')).toBe('下发图斑数按未拆分图斑和被拆分的原图斑计；判定、面积、违法图斑数和整改按未拆分图斑和拆分后的子图斑计');
    const rows: unknown[][] = [];
    wb.getWorksheet('违法图斑')!.eachRow((row, i) => i > 1 && rows.push([row.getCell(1).value, row.getCell(13).value]));
    expect(rows).toEqual([[lastYear.code, '否']]);

    const now = await sys.http('GET', `/api/statistics?regionCode=350583&from=${year}-01-01&to=${year + 1}-01-01`, { token });
    expect(now.body.rectifiedBy).toBe(`${year + 1}-01-15`);
    expect(now.body.figures.rectified).toMatchObject({ count: 1, farmlandMu: 1 });
  });
});
