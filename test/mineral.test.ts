/**
 * 一图两用、地矿同核 (000 二(一); 004 三(二)): the mineral part of a determination beside the land part, its rules,
 * the mineral violation's own case (no farmland quota frozen), the patch waiting for both its cases, and the
 * statistics and reports counting land and mineral results apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMineral, type MineralDetermination } from '../domain/mineral';
import { settledCaseStatus } from '../workflows/patch/mineral';
import { issuedState } from '../workflows/patch/state';
import { caseTaskOf, completeAs, determination, issueAndWaitForTask, openTaskOf, patchRow, registration } from './support/fixtures';
import { recordHistory } from './support/histories';
import { eventually, startTestSystem, type TestSystem } from './support/system';

const mining = (over: Partial<MineralDetermination> = {}): MineralDetermination => ({ present: true, licensed: false, finding: 'illegal_mining', ...over });

describe('the mineral part (pure rules)', () => {
  it('is asked of a mineral patch, and must be consistent where given', () => {
    expect(checkMineral(undefined, true).map((v) => v.rule)).toEqual(['mineral_required']);
    expect(checkMineral(undefined, false)).toEqual([]);
    expect(checkMineral(mining(), true)).toEqual([]);
    expect(checkMineral(mining({ licensed: true, finding: 'beyond_boundary', licenseNumber: 'C3505002010' }), true)).toEqual([]);
    expect(checkMineral({ present: false, finding: 'none' }, true)).toEqual([]);
    // No mining, yet a violation; mining without saying whether it is licensed; a licence holder "illegal mining";
    // no licence yet "beyond the licensed area"; no licence and no violation.
    expect(checkMineral({ present: false, finding: 'illegal_mining' }, true).map((v) => v.path)).toEqual(['determination.mineral.finding']);
    expect(checkMineral({ present: true, finding: 'none' }, true).map((v) => v.path)).toEqual(['determination.mineral.licensed']);
    expect(checkMineral(mining({ licensed: true }), true)).toHaveLength(1);
    expect(checkMineral(mining({ finding: 'beyond_boundary' }), true)).toHaveLength(1);
    expect(checkMineral(mining({ finding: 'none' }), true)).toHaveLength(1);
  });

  it('keeps the patch open until both its land case and its mineral case are struck off', () => {
    const state = { ...issuedState(), caseNo: 'AJ1', mineralCaseNo: 'AJ2' };
    expect(settledCaseStatus(state, { caseNo: 'AJ1', status: 'struck_off', closed: true, path: 'demolish_recultivate' })).toBeUndefined();
    expect(settledCaseStatus(state, { caseNo: 'AJ2', status: 'struck_off', closed: true, subject: 'mineral' })).toMatchObject({
      caseNo: 'AJ1',
      path: 'demolish_recultivate',
    });
    // A mineral case alone closes the patch when it is struck off; without one, as before.
    const alone = { ...issuedState(), mineralCaseNo: 'AJ3' };
    expect(settledCaseStatus(alone, { caseNo: 'AJ3', status: 'struck_off', closed: true, subject: 'mineral' })).toMatchObject({ caseNo: 'AJ3' });
    const land = { ...issuedState(), caseNo: 'AJ4' };
    const status = { caseNo: 'AJ4', status: 'struck_off', closed: true };
    expect(settledCaseStatus(land, status)).toBe(status);
  });
});

describe('the mineral part against the real servers', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const statistics = async () =>
    (await sys.http('GET', '/api/statistics?regionCode=350583', { token: await sys.login('na.supervisor') })).body.figures as {
      illegal: { count: number };
      legal: { count: number };
      mineral: { answered: number; present: number; illegalMining: { count: number; areaMu: number }; beyondBoundary: { count: number }; cases: number };
    };

  it('a mineral patch needs its mineral part; a mineral violation opens its own case, counted apart from the land results', async () => {
    const before = await statistics();
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', category: 'mineral', batchKind: 'mineral', areaMu: 12 });
    const land = determination('legal', { totalMu: 12 });
    const refused = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('na.officer'), body: land });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('mineral_required');
    const inconsistent = { determination: { ...land.determination, mineral: { present: false, finding: 'illegal_mining' } } };
    const refused2 = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: await sys.login('na.officer'), body: inconsistent });
    expect(refused2.status).toBe(422);
    expect(JSON.stringify(refused2.body)).toContain('determination.mineral.finding');

    // Land legal (an approved quarry road), mining without a licence: 违法采矿.
    const filed = { determination: { ...land.determination, mineral: mining({ notes: '无证开采建筑用砂石' }) } };
    await completeAs(sys, 'na.officer', task.id, filed);
    const reviewed = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
    expect(reviewed).toMatchObject({ stage: 'case', legality: 'legal' });
    expect(reviewed.caseNo).toBeUndefined();
    const caseNo = reviewed.mineralCaseNo as string;
    expect(caseNo).toMatch(/^AJ350583/);
    const row = await patchRow(sys, code);
    expect(row).toMatchObject({ mineral_case_no: caseNo, case_no: null, mineral_finding: 'illegal_mining', legality: 'legal' });
    const [c] = await sys.sql`select subject, origin from cases where case_no = ${caseNo}`;
    expect(c).toMatchObject({ subject: 'mineral', origin: 'determination' });

    // Registered: a mineral case freezes no farmland quota.
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'na.officer')).id, registration());
    await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer');
    expect(await sys.sql`select * from quota_ledger where case_no = ${caseNo}`).toHaveLength(0);

    // Statistics: a mineral result, no land violation.
    const after = await eventually(async () => {
      const s = await statistics();
      return s.mineral.cases > before.mineral.cases ? s : undefined;
    });
    expect(after.mineral.answered - before.mineral.answered).toBe(1);
    expect(after.mineral.present - before.mineral.present).toBe(1);
    expect(after.mineral.illegalMining.count - before.mineral.illegalMining.count).toBe(1);
    expect(after.mineral.illegalMining.areaMu - before.mineral.illegalMining.areaMu).toBeCloseTo(12);
    expect(after.illegal.count).toBe(before.illegal.count);
    expect(after.legal.count - before.legal.count).toBe(1);

    // The report file says the same, in rows of its own.
    const report = await sys.http('GET', '/api/reports/annual?regionCode=350583&format=csv', { token: await sys.login('na.supervisor') });
    expect(report.status).toBe(200);
    expect(String(report.body)).toContain('矿产：违法采矿（个）');
    await recordHistory(sys, code, 'mineral-case');
  });

  it('an illegal land use with mining beyond the licensed area opens two cases, the land one freezing the farmland', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', category: 'new_non_agricultural_construction', areaMu: 8 });
    const land = determination('illegal', { totalMu: 8, farmlandMu: 3 });
    await completeAs(sys, 'na.officer', task.id, {
      determination: { ...land.determination, mineral: mining({ licensed: true, licenseNumber: 'C3505832019', finding: 'beyond_boundary' }) },
    });
    const reviewed = await completeAs(sys, 'fj.reviewer', (await openTaskOf(sys, code, 'review', 'fj.reviewer')).id, { decision: 'pass' });
    expect(reviewed).toMatchObject({ stage: 'case', legality: 'illegal' });
    expect(reviewed.caseNo).toMatch(/^AJ350583/);
    expect(reviewed.mineralCaseNo).toMatch(/^AJ350583/);
    expect(reviewed.mineralCaseNo).not.toBe(reviewed.caseNo);
    const subjects = await sys.sql`select case_no, subject from cases where primary_patch_code = ${code} order by case_no`;
    expect(subjects.map((r) => r.subject).sort()).toEqual(['land', 'mineral']);
  });
});
