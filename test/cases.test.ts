/**
 * Violation cases end to end against the real servers (docs/domain.md §6–9): each rectification path, the
 * three acceptances with a rejection, transfers that hold the strike-off until their feedback, linked
 * patches, and the quota ledger's balances after every step.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTaskUpdate } from '../workflows/messages';
import { caseSnapshotQuery } from '../workflows/case/messages';
import {
  actorOf,
  balances,
  caseTaskOf,
  completeAs,
  decision,
  determination,
  illegalPatchWithCase,
  issueAndWaitForTask,
  ledgerBalanceMismatches,
  liaochengCase,
  openTaskOf,
  patchRow,
  registration,
} from './support/fixtures';
import { recordHistory } from './support/histories';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const caseRow = async (caseNo: string) => (await sys.sql`select * from cases where case_no = ${caseNo}`)[0];
const ledger = async (caseNo: string) =>
  (await sys.sql`select kind, account, area_mu::float8 as area, patch_code, case_no from quota_ledger where case_no = ${caseNo} order by id`).map((r) => ({
    ...r,
  }));
/** Nan'an's balances relative to what they were before the test. */
async function balanceDelta(before: Awaited<ReturnType<typeof balances>>) {
  const now = await balances(sys, '350583');
  const r = (n: number) => Math.round(n * 10_000) / 10_000;
  return { frozen: r(now.frozen - before.frozen), unfrozen: r(now.unfrozen - before.unfrozen), deducted: r(now.deducted - before.deducted) };
}

async function toRectification(caseNo: string, register: { id: string }, over: Record<string, unknown> = {}) {
  await completeAs(sys, 'na.officer', register.id, registration());
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
    documentNumber: '南自然资停〔2026〕3号',
    issuedOn: '2026-11-18',
    stopped: true,
  });
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision(over));
  await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
    responsiblePerson: '王某',
    measures: '拆除厂房、复垦为耕地',
    plannedBy: '2026-12-31',
  });
  return caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
}

describe('demolition and re-cultivation', () => {
  it('freezes at registration, waits for transfer feedback, re-cultivates through three acceptances, unfreezes once, and strikes off', async () => {
    const before = await balances(sys, '350583');
    /** The county's farmland balances against what they were before, asserted after every step. */
    const held = (frozen: number, unfrozen = 0, deducted = 0) => expect(balanceDelta(before)).resolves.toEqual({ frozen, unfrozen, deducted });
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 8, farmlandMu: 6 });
    expect(register).toMatchObject({ type: 'case_register', regionCode: '350583', caseNo, patchCode: code });
    await held(0);

    await completeAs(sys, 'na.officer', register.id, registration());
    expect(await ledger(caseNo)).toEqual([{ kind: 'freeze', account: 'farmland', area: 6, patch_code: code, case_no: caseNo }]);
    await held(6);
    expect(await caseRow(caseNo)).toMatchObject({ status: 'stop_order', illegal_mu: 8, illegal_farmland_mu: 6 });

    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南自然资停〔2026〕3号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await held(6);
    const decided = await completeAs(
      sys,
      'na.officer',
      (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
      decision({ criminalReferral: true, departments: ['agriculture'] }),
    );
    expect(decided.transfers).toEqual([
      expect.objectContaining({ organ: 'judicial', feedback: false }),
      expect.objectContaining({ organ: 'department', department: 'agriculture', feedback: false }),
    ]);
    await held(6);

    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '拆除厂房、复垦为耕地',
      plannedBy: '2026-12-31',
    });
    await held(6);
    const rectify = { completedOn: '2026-12-20', rectifiedMu: 8, notes: '已拆除复垦', evidence: [] };
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, rectify);
    await held(6);
    // The county's preliminary acceptance rejects: back to rectification, nothing unfrozen.
    const countyRejected = await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, {
      decision: 'reject',
      reason: '建筑垃圾未清运',
    });
    expect(countyRejected.stage).toBe('rectification');
    const afterCounty = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    expect(afterCounty.context).toMatchObject({ rejectedBy: 'county', reason: '建筑垃圾未清运' });
    expect((await caseRow(caseNo)).status).toBe('rectification');
    await held(6);

    await completeAs(sys, 'na.officer', afterCounty.id, rectify);
    await held(6);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await held(6);
    // The city rejects: back to rectification again.
    const cityRejected = await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'reject',
      reason: '耕作层未恢复',
    });
    expect(cityRejected.stage).toBe('rectification');
    const afterCity = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    expect(afterCity.context).toMatchObject({ rejectedBy: 'city', reason: '耕作层未恢复' });
    // The officer who filed the rectification is told, by name, with the city's reason.
    const officer = await sys.login('na.officer');
    const rejectedNotice = await eventually(async () => {
      const res = await sys.http('GET', '/api/notifications?range=[0,99]', { token: officer });
      return (res.body as Array<{ kind: string; taskId: string; title: string; body: string; userId: number | null; params: Record<string, unknown> }>).find(
        (n) => n.kind === 'rectification_rejected' && n.taskId === afterCity.id,
      );
    });
    expect(rejectedNotice).toMatchObject({
      title: `整改未通过：泉州市未通过案件 ${caseNo}的整改，请继续整改`,
      params: { caseNo, regionCode: '350500', regionName: '泉州市', reason: '耕作层未恢复' },
    });
    expect(rejectedNotice.userId).not.toBeNull();
    expect(rejectedNotice.body).toContain('理由：耕作层未恢复');
    await held(6);

    await completeAs(sys, 'na.officer', afterCity.id, rectify);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    const city = await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer');
    expect(city.regionCode).toBe('350500');
    await completeAs(sys, 'qz.reviewer', city.id, { decision: 'pass', certificateNo: '泉拆复证〔2026〕15号' });
    await held(6);
    // The province rejects: the case goes back to rectification, nothing is unfrozen.
    const rejected = await completeAs(sys, 'fj.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer')).id, {
      decision: 'reject',
      reason: '复耕土层厚度不足',
    });
    expect(rejected.stage).toBe('rectification');
    const again = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    expect(again.context).toMatchObject({ rejectedBy: 'province', reason: '复耕土层厚度不足' });
    await held(6);

    await completeAs(sys, 'na.officer', again.id, rectify);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕16号',
    });
    await held(6);
    const confirmed = await completeAs(sys, 'fj.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer')).id, { decision: 'confirm' });
    expect(confirmed).toMatchObject({ eliminated: true, stage: 'awaiting_transfers' });
    await held(0, 6);
    expect((await ledger(caseNo)).map((e) => [e.kind, e.area])).toEqual([
      ['freeze', 6],
      ['unfreeze', 6],
    ]);
    expect(await caseRow(caseNo)).toMatchObject({ certificate_no: '泉拆复证〔2026〕16号', eliminated: true, struck_off_at: null });
    // Not struck off while a transfer waits for feedback: the patch stays with its case.
    expect((await patchRow(sys, code)).stage).toBe('case');

    for (const transfer of confirmed.transfers) {
      await completeAs(sys, 'na.officer', transfer.taskId, { receivedOn: '2026-12-28', result: '已立案侦查', documentNumber: '南公刑〔2026〕5号' });
      await held(0, 6);
    }
    const row = await eventually(async () => {
      const r = await caseRow(caseNo);
      return r.status === 'struck_off' ? r : undefined;
    });
    expect(row.struck_off_at).not.toBeNull();
    await held(0, 6);
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    expect(await sys.temporal.workflow.getHandle(caseNo).result()).toMatchObject({ stage: 'struck_off', eliminated: true });
    expect(await ledgerBalanceMismatches(sys.sql, ['350583'])).toEqual([]);
    await recordHistory(sys, caseNo, 'case-recultivation');
    await recordHistory(sys, caseNo, 'case-recultivation-local-activities');

    const detail = await sys.http('GET', `/api/cases/${caseNo}`, { token: await sys.login('na.officer') });
    expect(detail.body).toMatchObject({ caseNo, status: 'struck_off', carriedOver: false, path: 'demolish_recultivate' });
    expect(detail.body.transfers).toHaveLength(2);
    expect(detail.body.ledger).toHaveLength(2);
    // The case page shows every task of the case to the county, the city's and the province's too …
    const levels = detail.body.tasks
      .filter((t: { type: string }) => t.type.startsWith('acceptance_'))
      .map((t: { type: string; regionCode: string; status: string }) => [t.type, t.regionCode, t.status]);
    expect(levels).toEqual(
      expect.arrayContaining([
        ['acceptance_city', '350500', 'completed'],
        ['acceptance_province', '350000', 'completed'],
      ]),
    );
    // … and its timeline, including the steps that name only the case (eliminated, struck off).
    const timeline = await sys.http('GET', `/api/audit?range=[0,499]&filter=${encodeURIComponent(JSON.stringify({ caseNo }))}`, {
      token: await sys.login('na.officer'),
    });
    expect(timeline.body.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['case.requested', 'acceptance_city.completed', 'case.eliminated', 'case.struck_off']),
    );
    const foreign = await sys.http('GET', `/api/audit?filter=${encodeURIComponent(JSON.stringify({ caseNo }))}`, { token: await sys.login('dcf.officer') });
    expect(foreign.body).toEqual([]);
  });
});

describe('legalising after the fact (补办)', () => {
  it('needs the approval document, then deducts what was frozen and strikes off', async () => {
    const before = await balances(sys, '350583');
    const held = (frozen: number, unfrozen = 0, deducted = 0) => expect(balanceDelta(before)).resolves.toEqual({ frozen, unfrozen, deducted });
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 5, farmlandMu: 3.5 });
    await held(0);
    await completeAs(sys, 'na.officer', register.id, registration());
    await held(3.5);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南自然资停〔2026〕5号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await held(3.5);
    const decided = await completeAs(
      sys,
      'na.officer',
      (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
      decision({ path: 'legalise', demolition: false, recultivation: false, departments: ['housing'] }),
    );
    await held(3.5);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '补办农用地转用和征收手续',
      plannedBy: '2026-12-31',
    });
    await held(3.5);
    const rectification = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    const missing = await sys.http('POST', `/api/tasks/${rectification.id}/complete`, {
      token: await sys.login('na.officer'),
      body: { completedOn: '2026-12-01', rectifiedMu: 0 },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.approval).toContain('批准文件');
    await held(3.5);
    await completeAs(sys, 'na.officer', rectification.id, {
      completedOn: '2026-12-01',
      rectifiedMu: 0,
      approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕99号', date: '2026-11-30' },
    });
    await held(0, 0, 3.5);
    expect((await caseRow(caseNo)).status).toBe('awaiting_transfers');
    await completeAs(sys, 'na.officer', decided.transfers[0].taskId, { receivedOn: '2026-12-05', result: '住建部门已备案' });
    await held(0, 0, 3.5);
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    expect((await caseRow(caseNo)).status).toBe('struck_off');
    await held(0, 0, 3.5);
    expect((await ledger(caseNo)).map((e) => [e.kind, e.area])).toEqual([
      ['freeze', 3.5],
      ['deduct', 3.5],
    ]);
    expect(await ledgerBalanceMismatches(sys.sql, ['350583'])).toEqual([]);
    await recordHistory(sys, caseNo, 'case-legalise');
  });
});

describe('confiscation (没收)', () => {
  it('needs the confiscation document and deducts the frozen quota', async () => {
    const before = await balances(sys, '350583');
    const held = (frozen: number, unfrozen = 0, deducted = 0) => expect(balanceDelta(before)).resolves.toEqual({ frozen, unfrozen, deducted });
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 4, farmlandMu: 2 });
    await held(0);
    const bad = await sys.http('POST', `/api/tasks/${register.id}/complete`, { token: await sys.login('na.officer'), body: registration() });
    expect(bad.status).toBe(200);
    await held(2);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南自然资停〔2026〕4号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await held(2);
    const decisionTask = await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer');
    const inconsistent = await sys.http('POST', `/api/tasks/${decisionTask.id}/complete`, {
      token: await sys.login('na.officer'),
      body: decision({ path: 'confiscate', confiscation: false }),
    });
    expect(inconsistent.status).toBe(422);
    expect(inconsistent.body.errors.confiscation).toBeTruthy();
    await held(2);
    await completeAs(sys, 'na.officer', decisionTask.id, decision({ path: 'confiscate', confiscation: true, demolition: false, recultivation: false }));
    await held(2);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '李某',
      measures: '没收地上建筑物',
      plannedBy: '2026-12-31',
    });
    await held(2);
    const rect = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    expect(
      (await sys.http('POST', `/api/tasks/${rect.id}/complete`, { token: await sys.login('na.officer'), body: { completedOn: '2026-12-02', rectifiedMu: 0 } }))
        .status,
    ).toBe(422);
    await held(2);
    await completeAs(sys, 'na.officer', rect.id, { completedOn: '2026-12-02', rectifiedMu: 0, confiscationDocument: '南没〔2026〕1号' });
    await held(0, 0, 2);
    // No transfers: struck off at once.
    await eventually(async () => (await caseRow(caseNo)).status === 'struck_off');
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    await held(0, 0, 2);
    expect(await ledgerBalanceMismatches(sys.sql, ['350583'])).toEqual([]);
    await recordHistory(sys, caseNo, 'case-confiscation');
  });
});

describe('a case links the patches of one party and site', () => {
  it("merges the other patch's unregistered case and freezes both patches' farmland", async () => {
    const before = await balances(sys, '350583');
    const a = await illegalPatchWithCase(sys, { totalMu: 6, farmlandMu: 2 });
    const b = await illegalPatchWithCase(sys, { totalMu: 3, farmlandMu: 1.25 });
    const legal = await issueAndWaitForTask(sys, { countyCode: '350583' });
    const token = await sys.login('na.officer');
    const wrong = await sys.http('POST', `/api/tasks/${a.register.id}/complete`, { token, body: registration([b.code, legal.code]) });
    expect(wrong.status).toBe(422);
    expect(Object.keys(wrong.body.errors)).toEqual(['linkPatchCodes.1']);
    const snap = await completeAs(sys, 'na.officer', a.register.id, registration([b.code]));
    expect(snap.patches.sort()).toEqual([a.code, b.code].sort());
    expect((await ledger(a.caseNo)).map((e) => [e.patch_code, e.area]).sort()).toEqual(
      [
        [a.code, 2],
        [b.code, 1.25],
      ].sort(),
    );
    expect(await balanceDelta(before)).toEqual({ frozen: 3.25, unfrozen: 0, deducted: 0 });
    await eventually(async () => (await caseRow(b.caseNo)).status === 'merged');
    expect((await caseRow(b.caseNo)).merged_into).toBe(a.caseNo);
    await eventually(async () => (await patchRow(sys, b.code)).case_no === a.caseNo);
    expect(await sys.temporal.workflow.getHandle(b.caseNo).query(caseSnapshotQuery)).toMatchObject({ stage: 'merged', mergedInto: a.caseNo });
    // The merged case's registration task is gone from the inbox.
    const [gone] = await sys.sql`select status from tasks where id = ${b.register.id}`;
    expect(gone.status).toBe('cancelled');
    expect(await sys.temporal.workflow.getHandle(b.caseNo).result()).toMatchObject({ stage: 'merged', mergedInto: a.caseNo });
    await recordHistory(sys, b.caseNo, 'case-merged');
    await recordHistory(sys, a.caseNo, 'case-merge-target');
  });
});

describe('racing acceptances', () => {
  it('two province confirmations at once: one takes effect, one is told it is done, and the quota unfreezes once', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 7, farmlandMu: 7 });
    const rect = await toRectification(caseNo, register);
    await completeAs(sys, 'na.officer', rect.id, { completedOn: '2026-12-20', rectifiedMu: 7, evidence: [] });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕21号',
    });
    const province = await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer');
    const token = await sys.login('fj.reviewer');
    const answers = await Promise.all([0, 1, 2].map(() => sys.http('POST', `/api/tasks/${province.id}/complete`, { token, body: { decision: 'confirm' } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect((await ledger(caseNo)).filter((e) => e.kind === 'unfreeze')).toHaveLength(1);
    expect(await balanceDelta(before)).toEqual({ frozen: 0, unfrozen: 7, deducted: 0 });
  });

  it('sent straight to Temporal (no read-model check in front): the workflow validator lets one through and the quota unfreezes once', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 3, farmlandMu: 3 });
    const rect = await toRectification(caseNo, register);
    await completeAs(sys, 'na.officer', rect.id, { completedOn: '2026-12-20', rectifiedMu: 3, evidence: [] });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕22号',
    });
    const province = await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer');
    const actor = await actorOf(sys, 'fj.reviewer');
    const handle = sys.temporal.workflow.getHandle(caseNo);
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() =>
        handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: province.id, actor, payload: { kind: 'acceptance_province', decision: 'confirm' } }] }),
      ),
    );
    const accepted = results.filter((r) => r.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    expect((accepted[0] as PromiseFulfilledResult<{ eliminated: boolean }>).value).toMatchObject({ eliminated: true });
    const refusals = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => ((r.reason as WorkflowUpdateFailedError).cause as ApplicationFailure).type);
    expect(refusals).toEqual(['TaskNotOpen', 'TaskNotOpen', 'TaskNotOpen']);
    expect((await ledger(caseNo)).filter((e) => e.kind === 'unfreeze')).toHaveLength(1);
    expect(await balanceDelta(before)).toEqual({ frozen: 0, unfrozen: 3, deducted: 0 });
  });
});

describe('the problem ledger', () => {
  it('agricultural categories freeze nothing; open cases of an earlier year show as carried over', async () => {
    const before = await balances(sys, '350583');
    const agri = await illegalPatchWithCase(sys, { totalMu: 12, farmlandMu: 12, category: 'facility_agriculture' });
    await completeAs(sys, 'na.officer', agri.register.id, registration());
    expect(await ledger(agri.caseNo)).toEqual([]);
    expect(await balanceDelta(before)).toEqual({ frozen: 0, unfrozen: 0, deducted: 0 });

    // A case opened last year and still open is carried over; the list filter finds it.
    await sys.sql`update cases set year = year - 1 where case_no = ${agri.caseNo}`;
    const token = await sys.login('na.supervisor');
    const carried = await sys.http('GET', `/api/cases?filter=${encodeURIComponent(JSON.stringify({ carriedOver: true }))}`, { token });
    expect(carried.body.map((c: { caseNo: string }) => c.caseNo)).toContain(agri.caseNo);
    expect(carried.body.find((c: { caseNo: string }) => c.caseNo === agri.caseNo).carriedOver).toBe(true);
    const outside = await sys.http('GET', '/api/cases', { token: await sys.login('dcf.officer') });
    expect(outside.body.map((c: { caseNo: string }) => c.caseNo)).not.toContain(agri.caseNo);
    const ledgerApi = await sys.http('GET', `/api/quota/ledger?filter=${encodeURIComponent(JSON.stringify({ countyCode: '350583' }))}`, { token });
    expect(ledgerApi.status).toBe(200);
    expect(ledgerApi.body.every((e: { caseNo: string; patchCode: string }) => e.caseNo && e.patchCode)).toBe(true);
    const balancesApi = await sys.http('GET', '/api/quota/balances', { token });
    expect(balancesApi.body.find((b: { regionCode: string; account: string }) => b.regionCode === '350583' && b.account === 'farmland')).toBeTruthy();
  });
});

describe("Liaocheng: a case's rectification is due by 15 January of the next year (003 三(四)), and its plan may not plan later", () => {
  it('gives the rectification task of a case from a December patch the next 15 January as its deadline', async () => {
    const { caseNo, register } = await liaochengCase(sys, { totalMu: 6, farmlandMu: 3, issuedAt: '2026-12-01T02:00:00Z' });
    await completeAs(sys, 'dcf.officer', register.id, registration());
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'dcf.officer')).id, {
      documentNumber: '聊停〔2026〕2号',
      issuedOn: '2026-12-02',
      stopped: true,
    });
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'dcf.officer')).id, decision());
    // The plan starts from the cut-off and may not plan beyond it: a 422 the officer can read, from the API …
    const plan = await caseTaskOf(sys, caseNo, 'rectification_plan', 'dcf.officer');
    expect(plan.context).toMatchObject({ rectificationDueBy: '2027-01-15' });
    const late = { responsiblePerson: '赵某', measures: '拆除复耕', plannedBy: '2027-01-31' };
    const refused = await sys.http('POST', `/api/tasks/${plan.id}/complete`, { token: await sys.login('dcf.officer'), body: late });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.plannedBy).toBe('整改时限（2027年1月31日）不得晚于本地区规定的整改消除违法状态期限 2027年1月15日，请在此日期前完成整改');
    // … and from the workflow itself when the Update comes another way.
    const direct = await sys.temporal.workflow
      .getHandle(caseNo)
      .executeUpdate(completeTaskUpdate, {
        args: [{ taskId: plan.id, actor: await actorOf(sys, 'dcf.officer'), payload: { kind: 'rectification_plan', ...late } }],
      })
      .catch((e: WorkflowUpdateFailedError) => e.cause as ApplicationFailure);
    expect(direct).toMatchObject({ type: 'RuleViolation', details: [[expect.objectContaining({ path: 'plannedBy', rule: 'beyond_rectification_cutoff' })]] });
    expect((await sys.sql`select status from tasks where id = ${plan.id}`)[0].status).toBe('open');
    await completeAs(sys, 'dcf.officer', plan.id, { ...late, plannedBy: '2027-01-15' });
    const rectification = await caseTaskOf(sys, caseNo, 'rectification', 'dcf.officer');
    // The end of 15 January 2027 in Asia/Shanghai.
    expect(rectification.dueAt).toBe('2027-01-15T15:59:59.999Z');
    expect(new Date((await caseRow(caseNo)).due_at).toISOString()).toBe('2027-01-15T15:59:59.999Z');
  });
});

describe("the case workflow's own validator", () => {
  it('rejects ill-formed completions and decisions that break the six musts even when they bypass the API, and changes nothing', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 4, farmlandMu: 4 });
    const officer = await actorOf(sys, 'na.officer');
    const handle = sys.temporal.workflow.getHandle(caseNo);
    /** An Update straight to Temporal: the rejection's type and the fields it names. */
    const rejected = async (taskId: string, payload: Record<string, unknown>) => {
      const err = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, actor: officer, payload: payload as never }] }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (err as WorkflowUpdateFailedError).cause as ApplicationFailure;
      return { type: cause.type, paths: ((cause.details?.[0] as Array<{ path: string }> | undefined) ?? []).map((i) => i.path) };
    };
    expect(await rejected(register.id, { kind: 'case_register', party: { name: '' }, site: '某村', facts: '', linkPatchCodes: 'P1' })).toEqual({
      type: 'InvalidPayload',
      paths: ['party.name', 'party.kind', 'facts', 'linkPatchCodes'],
    });
    // Nothing happened: the registration is still open and nothing is frozen.
    expect((await sys.sql`select status from tasks where id = ${register.id}`)[0].status).toBe('open');
    expect(await balanceDelta(before)).toEqual({ frozen: 0, unfrozen: 0, deducted: 0 });
    await completeAs(sys, 'na.officer', register.id, registration());
    const stop = await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer');
    expect(await rejected(stop.id, { kind: 'stop_order', documentNumber: '停〔2026〕1号', issuedOn: '2026-02-30', stopped: 'yes' })).toEqual({
      type: 'InvalidPayload',
      paths: ['issuedOn', 'stopped'],
    });
    await completeAs(sys, 'na.officer', stop.id, { documentNumber: '停〔2026〕1号', issuedOn: '2026-11-20', stopped: true });
    const decisionTask = await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer');
    // 六个该: confiscation as the path without deciding to confiscate; a collected fine without its amount.
    const six = { kind: 'case_decision', ...decision({ path: 'confiscate', confiscation: false, fine: { amountYuan: 5000, collected: true } }) };
    expect(await rejected(decisionTask.id, six)).toEqual({ type: 'InvalidPayload', paths: ['confiscation', 'fine.collectedYuan'] });
    expect(
      await rejected(decisionTask.id, {
        kind: 'case_decision',
        ...decision({ path: 'demolish_recultivate', demolition: false, recultivation: false, departments: ['mining'] }),
      }),
    ).toEqual({
      type: 'InvalidPayload',
      paths: ['departments', 'demolition'],
    });
    expect((await sys.sql`select status from tasks where id = ${decisionTask.id}`)[0].status).toBe('open');
    expect((await caseRow(caseNo)).decision).toBeNull();
    await completeAs(sys, 'na.officer', decisionTask.id, decision());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    const rect = await caseTaskOf(sys, caseNo, 'rectification', 'na.officer');
    expect(await rejected(rect.id, { kind: 'rectification', completedOn: '2026-12-01', rectifiedMu: -1, evidence: [] })).toEqual({
      type: 'InvalidPayload',
      paths: ['rectifiedMu'],
    });
    expect(await rejected(rect.id, { kind: 'rectification', completedOn: '2026-12-01', rectifiedMu: 9, evidence: [] })).toEqual({
      type: 'RuleViolation',
      paths: ['rectifiedMu'],
    });
    await completeAs(sys, 'na.officer', rect.id, { completedOn: '2026-12-01', rectifiedMu: 4, evidence: [] });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    const city = await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer');
    const cityActor = await actorOf(sys, 'qz.reviewer');
    const noCertificate = await handle
      .executeUpdate(completeTaskUpdate, { args: [{ taskId: city.id, actor: cityActor, payload: { kind: 'acceptance_city', decision: 'pass' } as never }] })
      .catch((e) => e);
    expect(((noCertificate as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('InvalidPayload');
    // Through the API, the workflow's answer names the field like the API's own checks do.
    const over = await sys.http('POST', `/api/tasks/${city.id}/complete`, {
      token: await sys.login('qz.reviewer'),
      body: { decision: 'pass', certificateNo: '泉拆复证〔2026〕50号' },
    });
    expect(over.status).toBe(200);
    expect(await balanceDelta(before)).toEqual({ frozen: 4, unfrozen: 0, deducted: 0 });
  });
});

describe('a stop order not obeyed (拒不停止违法行为)', () => {
  it('keeps a follow-up stop order open, and the case is not struck off until the act is reported stopped', async () => {
    const before = await balances(sys, '350583');
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 3, farmlandMu: 2 });
    await completeAs(sys, 'na.officer', register.id, registration());
    const first = await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer');
    const notStopped = await completeAs(sys, 'na.officer', first.id, {
      documentNumber: '南停〔2026〕30号',
      issuedOn: '2026-11-18',
      stopped: false,
      notes: '当事人仍在施工',
    });
    // The investigation goes on (the decision is open) and so does the stop order, as a follow-up.
    expect(notStopped).toMatchObject({ stage: 'decision', actContinues: true });
    expect(notStopped.openTasks.map((t: { type: string }) => t.type).sort()).toEqual(['case_decision', 'stop_order']);
    const followUp = await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer');
    expect(followUp.id).not.toBe(first.id);
    expect(followUp.context).toMatchObject({ followUp: true, previous: { documentNumber: '南停〔2026〕30号' } });

    await completeAs(
      sys,
      'na.officer',
      (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
      decision({ path: 'legalise', demolition: false, recultivation: false }),
    );
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '王某',
      measures: '补办用地手续',
      plannedBy: '2026-12-31',
    });
    const eliminated = await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-01',
      rectifiedMu: 0,
      approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕101号', date: '2026-11-30' },
    });
    // Eliminated and deducted, but not struck off while the act continues.
    expect(eliminated).toMatchObject({ eliminated: true, stage: 'stop_order', actContinues: true });
    expect(await balanceDelta(before)).toEqual({ frozen: 0, unfrozen: 0, deducted: 2 });
    expect(await caseRow(caseNo)).toMatchObject({ status: 'stop_order', struck_off_at: null });
    expect((await patchRow(sys, code)).stage).toBe('case');

    // Still not stopped: the next follow-up opens.
    const again = await completeAs(sys, 'na.officer', followUp.id, { documentNumber: '南停〔2026〕31号', issuedOn: '2026-11-25', stopped: false });
    expect(again).toMatchObject({ stage: 'stop_order', actContinues: true });
    const last = await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer');
    expect(last.id).not.toBe(followUp.id);
    const stopped = await completeAs(sys, 'na.officer', last.id, { documentNumber: '南停〔2026〕32号', issuedOn: '2026-12-02', stopped: true });
    expect(stopped).toMatchObject({ stage: 'struck_off', actContinues: false });
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    expect((await sys.sql`select count(*)::int as n from tasks where case_no = ${caseNo} and type = 'stop_order'`)[0].n).toBe(3);
    await recordHistory(sys, caseNo, 'case-stop-order-follow-up');
  });
});

describe('图斑及其整改结果 (003 四(一); 000 二(五)): the level that checked a patch on site checks its rectification result', () => {
  it('the city checks the rectification result on site before the county acceptance; not as reported goes back to rectification', async () => {
    // Liaocheng: illegal on 20 mu of farmland, checked on site by the city, then a case.
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', areaMu: 25 });
    await completeAs(sys, 'dcf.officer', task.id, determination('illegal', { totalMu: 25, farmlandMu: 20 }));
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    const checked = await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'onsite_check', 'lc.reviewer')).id, {
      decision: 'confirm',
      notes: '现场核实',
    });
    expect(checked.stage).toBe('case');
    const caseNo = checked.caseNo as string;
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'dcf.officer')).id, registration());
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'dcf.officer')).id, {
      documentNumber: '聊停〔2026〕9号',
      issuedOn: '2026-11-18',
      stopped: true,
    });
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'dcf.officer')).id, decision());
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'dcf.officer')).id, {
      responsiblePerson: '赵某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    const report = { completedOn: '2026-12-01', rectifiedMu: 25 };
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'dcf.officer')).id, report);

    // The city's on-site check of the result, not yet the county acceptance.
    const onsite = await caseTaskOf(sys, caseNo, 'onsite_check', 'lc.reviewer');
    expect(onsite).toMatchObject({ regionCode: '371500', level: 'city', context: { checks: 'rectification', rectification: report } });
    expect((await sys.sql`select count(*)::int as n from tasks where case_no = ${caseNo} and type = 'acceptance_county'`)[0].n).toBe(0);
    expect((await caseRow(caseNo)).status).toBe('acceptance');
    // An overturn is for a patch's determination, not a rectification result.
    const overturn = await sys.http('POST', `/api/tasks/${onsite.id}/complete`, {
      token: await sys.login('lc.reviewer'),
      body: { decision: 'overturn', reason: '改判', ...determination('legal') },
    });
    expect(overturn.status).toBe(422);
    // Not as reported: back to rectification.
    await completeAs(sys, 'lc.reviewer', onsite.id, { decision: 'reject', reason: '现场仍有建筑未拆除' });
    const again = await caseTaskOf(sys, caseNo, 'rectification', 'dcf.officer');
    expect(again.context).toMatchObject({ rejectedBy: 'city', reason: '现场仍有建筑未拆除' });
    await completeAs(sys, 'dcf.officer', again.id, report);
    await completeAs(sys, 'lc.reviewer', (await caseTaskOf(sys, caseNo, 'onsite_check', 'lc.reviewer')).id, { decision: 'confirm', notes: '已拆除复耕' });
    // Then the acceptance as before.
    const county = await caseTaskOf(sys, caseNo, 'acceptance_county', 'dcf.officer');
    expect(county.context).toMatchObject({ rectification: report });
    await recordHistory(sys, caseNo, 'case-rectification-onsite');
  });
});
