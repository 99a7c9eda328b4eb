/**
 * The half-year and annual reports on a system of their own: ministry and province patches reported
 * apart (004 二(二)).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf } from '../domain/deadlines';
import { caseTaskOf, completeAs, determination, issueAndWaitForTask, openTaskOf, registration } from './support/fixtures';
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
  patch.province = await registeredIllegal({ source: 'province' }, 3);
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

  it('each source\'s report lists only its own patches, cases and quota entries', async () => {
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
