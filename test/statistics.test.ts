/**
 * Statistics and reports over patches that really went through their lifecycle: on-time and late
 * verification, legal / illegal / other, direct determination, concealment, a legalised case, military.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate, localDateOf } from '../domain/deadlines';
import { caseTaskOf, completeAs, decision, determination, issueAndWaitForTask, openTaskOf, patchBody, registration } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
const codes: Record<string, string> = {};
const now = Date.now();
const DAY = 24 * 3600_000;
// Issued in the month before the test: the quotas' ledger "at" is today, the statistics period covers both.
const from = formatLocalDate(now - 40 * DAY);
const to = formatLocalDate(now + 2 * DAY);

beforeAll(async () => {
  sys = await startTestSystem();
  const recent = new Date(now - 2 * 3600_000).toISOString();
  const old = new Date(now - 20 * DAY).toISOString(); // Nan'an's 15 days have passed: verification is late

  const legal = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: recent });
  codes.legal = legal.code;
  await completeAs(sys, 'na.officer', legal.task.id, determination('legal'));
  await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, legal.code, 'review', 'fj.reviewer')).id, { decision: 'pass' });

  const other = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: old });
  codes.late = other.code;
  await completeAs(sys, 'na.officer', other.task.id, determination('other', { totalMu: 3 }));
  await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, other.code, 'review', 'fj.reviewer')).id, { decision: 'pass' });

  // Illegal, legalised after the fact: rectified, and out of the accountability numerator.
  const legalised = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: recent, areaMu: 6 });
  codes.legalised = legalised.code;
  await completeAs(sys, 'na.officer', legalised.task.id, determination('illegal', { totalMu: 6, farmlandMu: 4 }));
  const toCase = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, legalised.code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
  const caseNo = toCase.caseNo as string;
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'na.officer')).id, registration());
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
    documentNumber: '停〔2026〕1号',
    issuedOn: formatLocalDate(now),
    stopped: true,
  });
  await completeAs(
    sys,
    'na.officer',
    (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
    decision({ path: 'legalise', demolition: false, recultivation: false }),
  );
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
    responsiblePerson: '林某',
    measures: '补办',
    plannedBy: formatLocalDate(now + 30 * DAY),
  });
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
    completedOn: formatLocalDate(now),
    rectifiedMu: 0,
    approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕7号', date: formatLocalDate(now) },
  });
  codes.caseNo = caseNo;

  // Reported legal, found illegal at review: concealed; the case stays open.
  const concealed = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: recent, areaMu: 5 });
  codes.concealed = concealed.code;
  await completeAs(sys, 'na.officer', concealed.task.id, determination('legal', { totalMu: 5, farmlandMu: 2 }));
  await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, concealed.code, 'review', 'fj.reviewer')).id, { decision: 'send_back', reason: '实为违法占地' });
  await completeAs(sys, 'na.officer', (await openTaskOf(sys, concealed.code, 'correction', 'na.officer')).id, {
    decision: 'submit',
    ...determination('illegal', { totalMu: 5, farmlandMu: 2 }),
  });
  await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, concealed.code, 'review', 'fj.reviewer')).id, { decision: 'pass' });

  const military = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: recent, military: true }, { asUser: 'admin' });
  codes.military = military.code;
  await eventually(async () => (await sys.sql`select struck_off_at from cases where case_no = ${caseNo}`)[0].struck_off_at);
});
afterAll(async () => {
  await sys?.stop();
});

describe('GET /statistics', () => {
  it("counts what happened, by the notices' definitions", async () => {
    const res = await sys.http('GET', `/api/statistics?regionCode=350583&from=${from}&to=${to}`, { token: await sys.login('na.supervisor') });
    expect(res.status).toBe(200);
    const f = res.body.figures;
    // na.supervisor holds no classified-handling permission: the military patch is in no figure (000 二(二)).
    expect(f).toMatchObject({
      issued: 4,
      military: 0,
      verifiedOnTime: 3,
      verifiedLate: 1,
      legal: { count: 1, areaMu: 5 },
      illegal: { count: 2, areaMu: 11, farmlandMu: 6 },
      other: { count: 1, areaMu: 3 },
      reviewed: 4,
      checked: 4,
      concealed: 1,
      rectified: { count: 1, areaMu: 6, farmlandMu: 4 },
      legalisedFarmlandMu: 4,
      newConstructionFarmlandMu: 6,
    });
    expect(f.clearanceRate).toBe(0.75);
    expect(f.rectificationRate).toBeCloseTo(6 / 11);
    expect(f.farmlandRectificationRate).toBeCloseTo(4 / 6);
    // (6 − 4 legalised) / 6 = 33%: at or above 15%, a warning.
    expect(f.accountability).toMatchObject({ numeratorMu: 2, denominatorMu: 6, warning: 'reached' });
    expect(f.concealmentRate).toBe(0.25);
    expect(f.concealmentInterview).toBe(false);
    // Frozen at the legalised case's registration, then deducted (the concealed patch's case is not registered yet).
    expect(res.body.quota).toEqual([{ account: 'farmland', frozenMu: 4, unfrozenMu: 0, deductedMu: 4 }]);
    // 填报率 = filed / issued, 差错率 = sent back / filed (docs/domain.md §11): all four filed, the concealed one sent back once.
    expect(f).toMatchObject({ filed: 4, sentBack: 1, fillingRate: 1, errorRate: 0.25 });
    // Per county and month of issuance, beside 月清; the military patch in none of them.
    const quality = res.body.quality as Array<Record<string, unknown>>;
    expect(quality.every((q) => q.regionCode === '350583')).toBe(true);
    const sum = (key: string) => quality.reduce((t, q) => t + Number(q[key]), 0);
    expect([sum('issued'), sum('filed'), sum('sentBack'), sum('verifiedOnTime')]).toEqual([4, 4, 1, 3]);
    // The concealed patch was issued two hours ago (`recent`).
    const concealedMonth = formatLocalDate(now - 2 * 3600_000).slice(0, 7);
    expect(quality.find((q) => q.month === concealedMonth)).toMatchObject({ sentBack: 1, fillingRate: 1 });
  });

  it("breaks a city down by county and ranks them; stays inside the reader's region", async () => {
    const city = await sys.http('GET', `/api/statistics?regionCode=350500&from=${from}&to=${to}`, { token: await sys.login('qz.reviewer') });
    expect(city.status).toBe(200);
    expect(city.body.children.map((c: { regionCode: string }) => c.regionCode)).toContain('350583');
    expect(city.body.rankings.counties.byIllegalArea[0]).toEqual({ regionCode: '350583', illegalAreaMu: 11 });
    const outside = await sys.http('GET', `/api/statistics?regionCode=350500`, { token: await sys.login('na.officer') });
    expect(outside.status).toBe(403);
    const bad = await sys.http('GET', `/api/statistics?from=2026-02-30x`, { token: await sys.login('na.officer') });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toContain('querystring.from');
  });
});

describe('the accountability ratio from real determinations (002 五(二))', () => {
  // Issued in May 2025, a period of their own.
  const may = (day: number) => `2025-05-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  it('deducts an illegal major-infrastructure patch from both parts, and leaves a legal one in the denominator', async () => {
    const file = async (legality: 'legal' | 'illegal', totalMu: number, farmlandMu: number, majorInfrastructure: boolean, day: number) => {
      const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: may(day), areaMu: totalMu });
      await completeAs(sys, 'na.officer', task.id, determination(legality, { totalMu, farmlandMu }, majorInfrastructure ? { majorInfrastructure: true } : {}));
      await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
      return code;
    };
    await file('legal', 10, 10, true, 5); // a legal provincial highway on 10 mu of farmland
    await file('illegal', 8, 6, true, 6); // an illegal section of a major water project
    await file('illegal', 5, 3, false, 7);
    const token = await sys.login('na.supervisor');
    const res = await sys.http('GET', '/api/statistics?regionCode=350583&from=2025-05-01&to=2025-06-01', { token });
    expect(res.status).toBe(200);
    const f = res.body.figures;
    expect(f).toMatchObject({
      illegal: { count: 2, farmlandMu: 9 },
      newConstructionFarmlandMu: 19,
      majorInfrastructureFarmlandMu: 6,
      legalMajorInfrastructureFarmlandMu: 10,
    });
    // (9 − 6) / (19 − 6): the illegal project leaves both; the legal highway is not deducted.
    expect(f.accountability).toMatchObject({ numeratorMu: 3, denominatorMu: 13, deducted: { majorInfrastructureMu: 6, recultivatedMu: 0, legalisedMu: 0 } });
    expect(f.accountability.ratio).toBeCloseTo(3 / 13, 6);
  });
});

describe('T+10 lateness of issuance (000 二(一))', () => {
  it("counts the patches of monthly batches issued after imaging date + 10 calendar days, as the batch's own flag says", async () => {
    const admin = await sys.login('admin');
    const imagedAt = '2025-04-01T00:00:00+08:00';
    const batches = { onTime: sys.unique('BT'), late: sys.unique('BT'), annual: sys.unique('BT') };
    const issue = async (batchCode: string, batchKind: string, issuedAt: string) => {
      const res = await sys.http('POST', '/api/patches', {
        token: admin,
        body: patchBody(sys, { countyCode: '350583', batchCode, batchKind, imagedAt, issuedAt }),
      });
      expect(res.status).toBe(201);
    };
    await issue(batches.onTime, 'monthly', '2025-04-11T15:00:00+08:00'); // T+10, in the afternoon: on time
    await issue(batches.late, 'monthly', '2025-04-12T09:00:00+08:00'); // T+11: late
    await issue(batches.annual, 'annual_supplementary', '2025-04-20T09:00:00+08:00'); // not bound by T+10
    const res = await sys.http('GET', '/api/statistics?regionCode=350583&from=2025-04-01&to=2025-05-01', { token: await sys.login('na.supervisor') });
    expect(res.body.figures).toMatchObject({ issued: 3, lateIssuance: 1 });
    const flags = await sys.sql`select code, t10_late, t10_late_days from batches where code = any(${Object.values(batches)})`;
    const flag = (code: string) => flags.find((f) => f.code === code);
    expect([flag(batches.onTime)?.t10_late, flag(batches.late)?.t10_late, flag(batches.annual)?.t10_late]).toEqual([false, true, false]);
    expect(flag(batches.late)?.t10_late_days).toBe(1);
  });
});

/** An illegal patch of Nan'an issued at a given instant, handed to its case (still to be registered). */
async function illegalWithCase(issuedAt: string, totalMu: number, farmlandMu: number, over: Record<string, unknown> = {}) {
  const { code, task } = await issueAndWaitForTask(sys, {
    countyCode: '350583',
    issuedAt,
    areaMu: totalMu,
    category: 'new_non_agricultural_construction',
    ...over,
  });
  await completeAs(sys, 'na.officer', task.id, determination('illegal', { totalMu, farmlandMu }));
  const final = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
  return { code, caseNo: final.caseNo as string };
}

/** A report sheet as CSV rows (cells as text; the CSV's own quoting undone). */
async function csvSheet(kind: 'half-year' | 'annual', query: string, sheet: string, token: string): Promise<string[][]> {
  const res = await fetch(`${sys.baseUrl}/api/reports/${kind}?${query}&format=csv&sheet=${sheet}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return parse(await res.text(), { bom: true, relax_column_count: true });
}

describe('merged cases in the report', () => {
  it('lists a patch whose case was merged into another once, with the surviving case', async () => {
    const a = await illegalWithCase('2025-08-05T02:00:00.000Z', 6, 2);
    const b = await illegalWithCase('2025-08-06T02:00:00.000Z', 3, 1);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, a.caseNo, 'case_register', 'na.officer')).id, registration([b.code]));
    await eventually(async () => (await sys.sql`select status from cases where case_no = ${b.caseNo}`)[0].status === 'merged');
    const rows = await csvSheet('annual', 'regionCode=350583&year=2025', 'patches', await sys.login('na.supervisor'));
    const ours = rows.filter((r) => r[0] === a.code || r[0] === b.code);
    expect(ours.map((r) => [r[0], r[9]]).sort()).toEqual(
      [
        [a.code, a.caseNo],
        [b.code, a.caseNo],
      ].sort(),
    );
  });
});

describe('the concealment rate (002 五(三))', () => {
  it('counts concealed patches among those reviewed or checked on site, the same set as its denominator', async () => {
    const admin = await sys.login('admin');
    // 晋江市 without desk review, every patch checked on site by the province: concealment found on site only.
    const user = await sys.http('POST', '/api/users', {
      token: admin,
      body: { username: 'jj.officer', displayName: '晋江市核查员', role: 'officer', regionCode: '350582', password: 'wpzf2026' },
    });
    expect(user.status).toBe(201);
    const policy = await sys.http('PUT', '/api/regions/350582/policy', {
      token: admin,
      body: {
        overrides: { review: { chain: [] }, onsiteChecks: { province: [{ metric: 'totalMu', minMu: 0, legalities: ['legal', 'illegal', 'other'] }] } },
        note: '全部图斑省级实地核查',
      },
    });
    expect(policy.status).toBe(200);
    const onsite = async (overturn: boolean, day: number) => {
      const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350582', issuedAt: `2025-06-${day}T02:00:00.000Z`, areaMu: 5 });
      await completeAs(sys, 'jj.officer', task.id, determination('legal'));
      const check = await openTaskOf(sys, code, 'onsite_check', 'fj.reviewer');
      await completeAs(
        sys,
        'fj.reviewer',
        check.id,
        overturn ? { decision: 'overturn', determination: determination('illegal').determination, reason: '实地为未批先建' } : { decision: 'confirm' },
      );
      return code;
    };
    await onsite(true, 10);
    await onsite(false, 11);
    const res = await sys.http('GET', '/api/statistics?regionCode=350582&from=2025-06-01&to=2025-07-01', { token: await sys.login('qz.reviewer') });
    expect(res.body.figures).toMatchObject({ issued: 2, reviewed: 0, checked: 2, concealed: 1, concealmentRate: 0.5 });
  });
});

describe("省级审核中瞒报率 (002 五(三)): the province's review, not the city's", () => {
  it("counts the patches the province reviewed and the concealment the province found; the city's finds stay in the all-levels rate", async () => {
    const admin = await sys.login('admin');
    // 石狮市: the city reviews everything; the province reviews every legal and illegal determination it is given, not "other".
    expect(
      (
        await sys.http('POST', '/api/users', {
          token: admin,
          body: { username: 'ss.officer', displayName: '石狮市核查员', role: 'officer', regionCode: '350581', password: 'wpzf2026' },
        })
      ).status,
    ).toBe(201);
    const policy = await sys.http('PUT', '/api/regions/350581/policy', {
      token: admin,
      body: {
        overrides: {
          review: {
            chain: [
              { level: 'city', coverage: { mode: 'all' } },
              { level: 'province', coverage: { mode: 'sample', rates: { legal: 1, illegal: 1, other: 0 } } },
            ],
          },
        },
        note: '市级全审，省级审核合法违法',
      },
    });
    expect(policy.status).toBe(200);
    const issue = async (day: number, legality: 'legal' | 'other') => {
      const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350581', issuedAt: `2025-05-${day}T02:00:00.000Z`, areaMu: 5 });
      await completeAs(sys, 'ss.officer', task.id, determination(legality));
      return code;
    };
    const review = async (code: string, who: string, body: Record<string, unknown>) =>
      completeAs(sys, who, (await openTaskOf(sys, code, 'review', who)).id, body);
    const correct = async (code: string) =>
      completeAs(sys, 'ss.officer', (await openTaskOf(sys, code, 'correction', 'ss.officer')).id, { decision: 'submit', ...determination('illegal') });
    // A: the city finds the concealment; the province then reviews an illegal determination.
    const a = await issue(10, 'legal');
    await review(a, 'qz.reviewer', { decision: 'send_back', reason: '实为违法占地' });
    await correct(a);
    await review(a, 'qz.reviewer', { decision: 'pass' });
    expect((await review(a, 'fj.reviewer', { decision: 'pass' })).stage).toBe('case');
    // B: the city passes it; the province finds the concealment.
    const b = await issue(11, 'legal');
    await review(b, 'qz.reviewer', { decision: 'pass' });
    await review(b, 'fj.reviewer', { decision: 'send_back', reason: '实为违法占地' });
    await correct(b);
    expect((await review(b, 'fj.reviewer', { decision: 'pass' })).stage).toBe('case');
    // C: legal, passed by both. D: "other", reviewed by the city only.
    const c = await issue(12, 'legal');
    await review(c, 'qz.reviewer', { decision: 'pass' });
    await review(c, 'fj.reviewer', { decision: 'pass' });
    const d = await issue(13, 'other');
    await review(d, 'qz.reviewer', { decision: 'pass' });
    await eventually(
      async () => (await sys.sql`select count(*)::int as n from patches where county_code = '350581' and stage in ('case', 'closed', 'recheck')`)[0].n === 4,
    );
    const res = await sys.http('GET', '/api/statistics?regionCode=350581&from=2025-05-01&to=2025-06-01', { token: await sys.login('qz.reviewer') });
    expect(res.body.figures).toMatchObject({ issued: 4, checked: 4, concealed: 2, provinceChecked: 3, provinceConcealed: 1, concealmentRateAllLevels: 0.5 });
    expect(res.body.figures.concealmentRate).toBeCloseTo(1 / 3);
  });
});

describe('rankings for interviews (002 五(三))', () => {
  it("ranks the cities of a province by illegal area and illegal farmland share combined, and lists the policy's top 3", async () => {
    // Read-model rows of five Ningxia cities (one county each), as the workflows leave them: illegal area,
    // illegal farmland, and legal construction on farmland for the share.
    const spec: Array<[string, number, number, number]> = [
      ['640104', 50, 5, 95], // 银川: most illegal land, small share
      ['640202', 40, 10, 10],
      ['640302', 30, 6, 14],
      ['640402', 20, 8, 2], // 固原: the largest share
      ['640502', 10, 0, 0],
    ];
    const issuedAt = '2025-07-10T02:00:00.000Z';
    for (const [county, areaMu, farmlandMu, legalFarmlandMu] of spec) {
      const rows: Array<[string, number, number]> = [
        ['illegal', areaMu, farmlandMu],
        ...(legalFarmlandMu ? [['legal', legalFarmlandMu, legalFarmlandMu] as [string, number, number]] : []),
      ];
      for (const [legality, totalMu, farmland] of rows) {
        const subType = legality === 'legal' ? 'approved_construction' : 'occupied_without_approval';
        await sys.sql`
          insert into patches (code, county_code, city_code, province_code, category, source, batch_kind, area_mu, issued_at, stage, legality, determination)
          values (${sys.unique('R')}, ${county}, ${`${county.slice(0, 4)}00`}, '640000', 'new_non_agricultural_construction', 'ministry', 'monthly', ${totalMu}, ${issuedAt}, 'closed', ${legality},
                  ${JSON.stringify({ legality, subType, approvals: [], evidence: [], areas: { totalMu, farmlandMu: farmland, basicFarmlandMu: 0, redLineMu: 0 } })}::jsonb)`;
      }
    }
    const res = await sys.http('GET', '/api/statistics?regionCode=640000&from=2025-07-01&to=2025-08-01', { token: await sys.login('nx.supervisor') });
    expect(res.status).toBe(200);
    const { cities, counties } = res.body.rankings;
    expect(cities.top).toBe(3);
    expect(cities.combined.map((r: { regionCode: string }) => r.regionCode)).toEqual(['640200', '640100', '640400']);
    expect(cities.combined[0]).toMatchObject({ rank: 1, illegalAreaMu: 40, areaRank: 2, ratio: 0.5, shareRank: 2 });
    expect(counties.top).toBe(10);
    expect(counties.combined).toHaveLength(5);
  });
});

describe('GET /reports', () => {
  it('writes the annual results as XLSX: figures equal to the statistics, the illegal patches, the cases, the quota entries', async () => {
    const year = localDateOf(now).year;
    const token = await sys.login('na.supervisor');
    const res = await fetch(`${sys.baseUrl}/api/reports/annual?regionCode=350583&year=${year}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`南安市${year}年度卫片执法成果.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '分区统计', '填报质量', '违法图斑', '案件台账', '指标冻结解冻']);
    const summary = wb.getWorksheet('汇总')!;
    const value = (label: string) => {
      let found: unknown;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2).value;
      });
      return found;
    };
    // Nan'an's annual results are due on 15 March of the next year (004 三(四)).
    expect(value('报送截止日期')).toBe(`${year + 1}-03-15`);
    const stats = await sys.http('GET', `/api/statistics?regionCode=350583&from=${year}-01-01&to=${year + 1}-01-01`, { token });
    expect(value('下发图斑（个）')).toBe(stats.body.figures.issued);
    expect(value('违法占用耕地（亩）')).toBe(stats.body.figures.illegal.farmlandMu);
    const patchCodes: unknown[] = [];
    wb.getWorksheet('违法图斑')!.eachRow((row, i) => i > 1 && patchCodes.push(row.getCell(1).value));
    expect(patchCodes).toEqual(expect.arrayContaining([codes.legalised, codes.concealed]));
    const cases: unknown[] = [];
    wb.getWorksheet('案件台账')!.eachRow((row, i) => i > 1 && cases.push(row.getCell(4).value));
    expect(cases).toEqual(expect.arrayContaining(['已销号', '待立案']));
    const quota: unknown[][] = [];
    // The legalised case's entries (other tests of this file register cases of their own).
    wb.getWorksheet('指标冻结解冻')!.eachRow(
      (row, i) => i > 1 && row.getCell(6).value === codes.caseNo && quota.push([row.getCell(4).value, row.getCell(5).value]),
    );
    expect(quota).toEqual([
      ['冻结', 4],
      ['扣减', 4],
    ]);
  });

  it('writes a sheet as CSV (UTF-8 with BOM), and names the field of a bad request', async () => {
    const token = await sys.login('na.supervisor');
    const year = localDateOf(now).year;
    const res = await fetch(`${sys.baseUrl}/api/reports/half-year?regionCode=350583&year=${year}&format=csv&sheet=patches`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '图斑编号,所在县区,图斑类型,下发日期,违法面积（亩）,占用耕地（亩）,认定层级,直接认定,瞒报,案件编号,案件状态,整改方式,已消除违法状态',
    );
    const bad = await sys.http('GET', '/api/reports/quarterly', { token });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toContain('params.kind');
  });
});

describe('what is overdue now', () => {
  it('counts the patches with an overdue open task, and those still to be verified', async () => {
    // Issued in March 2025: Nan'an's 15 days are long gone. One is verified (late), one is not.
    const open = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2025-03-05T02:00:00.000Z' });
    const filed = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2025-03-06T02:00:00.000Z' });
    await completeAs(sys, 'na.officer', filed.task.id, determination('other'));
    await eventually(async () => (await sys.sql`select overdue from patches where code = ${open.code}`)[0].overdue);
    const token = await sys.login('na.supervisor');
    const res = await sys.http('GET', '/api/statistics?regionCode=350583&from=2025-03-01&to=2025-04-01', { token });
    expect(res.body.figures).toMatchObject({ issued: 2, overdueNow: 1, verificationOpen: 1, verifiedLate: 1, verifiedOnTime: 0 });
    expect(res.body.figures.clearanceRate).toBe(0);
  });
});

describe('military land (000 二(二); 002 三(三); 004 三(二))', () => {
  it('is in no report sheet, and in no figure but issued and its own count for a holder of the permission', async () => {
    const year = localDateOf(now).year;
    const read = async (user: string) => {
      const token = await sys.login(user);
      const stats = (await sys.http('GET', `/api/statistics?regionCode=350583&from=${from}&to=${to}`, { token })).body;
      const sheets: Record<string, string> = {};
      for (const sheet of ['summary', 'regions', 'patches', 'cases', 'quota']) {
        const res = await fetch(`${sys.baseUrl}/api/reports/annual?regionCode=350583&year=${year}&format=csv&sheet=${sheet}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        sheets[sheet] = await res.text();
      }
      return { stats, sheets };
    };
    const before = { 'na.supervisor': await read('na.supervisor'), admin: await read('admin') };
    // As if the restricted path had filed the military patch illegal on farmland, concealed, with a case and a quota freeze.
    const code = codes.military;
    const caseNo = `AJ350583${year}9999`;
    await sys.sql`update patches set legality = 'illegal', concealed = true, county_legality = 'legal', case_no = ${caseNo},
      determination = ${JSON.stringify(determination('illegal', { totalMu: 9, farmlandMu: 7 }).determination)}::jsonb,
      review_draws = '{"province": {"selected": true}}'::jsonb, overdue = true where code = ${code}`;
    await sys.sql`insert into cases (case_no, county_code, primary_patch_code, year, status, opened_at, party) values (${caseNo}, '350583', ${code}, ${year}, 'register', now(), '{"name": "某部队"}'::jsonb)`;
    await sys.sql`insert into case_patches (case_no, patch_code) values (${caseNo}, ${code})`;
    await sys.sql`insert into quota_ledger (entry_key, county_code, region_code, account, kind, area_mu, case_no, patch_code, actor_name) values (${`freeze:${caseNo}`}, '350583', '350583', 'farmland', 'freeze', 7, ${caseNo}, ${code}, '系统')`;
    for (const user of ['na.supervisor', 'admin'] as const) {
      const after = await read(user);
      const was = before[user];
      expect(after.stats.figures, user).toEqual(was.stats.figures);
      expect(after.stats.quota, user).toEqual(was.stats.quota);
      expect(after.stats.children, user).toEqual(was.stats.children);
      // The files are the same whoever downloads them.
      expect(after.sheets, user).toEqual(before['na.supervisor'].sheets);
      for (const [sheet, text] of Object.entries(after.sheets)) {
        expect(text, `${user} ${sheet}`).not.toContain(code);
        expect(text, `${user} ${sheet}`).not.toContain(caseNo);
      }
      // Not even as a count: a report file travels over ordinary channels.
      expect(after.sheets.summary).not.toContain('军用');
    }
    // The holder's figures differ from the others' by the military patch: issued and military, nothing else.
    const [plain, holder] = [before['na.supervisor'].stats.figures, before.admin.stats.figures];
    expect(holder).toEqual({ ...plain, issued: plain.issued + 1, military: 1 });
  });
});
