/**
 * The month-long waits of cases on the time-skipping server: transfers that wait two months for
 * feedback (Nan'an, 004), Jiangmen's construction-plan rounds (002), rectification that runs late, and
 * Liaocheng's periodic re-check that reopens a case when it finds rebuilding (003).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate } from '../domain/deadlines';
import { sampleDraw } from '../domain/sampling';
import { snapshotQuery } from '../workflows/messages';
import {
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
  sys = await startTestSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.stop();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const now = async () => Number(await sys.env!.currentTimeMs());
const caseRow = async (caseNo: string) => (await sys.sql`select * from cases where case_no = ${caseNo}`)[0];

describe("Nan'an: a transfer waits two months for feedback, is chased when late, and holds the strike-off", () => {
  it('reminds at two months and strikes off only once the feedback is recorded', async () => {
    const env = sys.env!;
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 5, farmlandMu: 3 });
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '停〔2026〕1号',
      issuedOn: '2026-11-20',
      stopped: true,
    });
    const decided = await completeAs(
      sys,
      'na.officer',
      (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
      decision({ path: 'legalise', demolition: false, recultivation: false, departments: ['water'] }),
    );
    const transfer = decided.openTasks.find((t: { type: string }) => t.type === 'transfer_feedback');
    const opened = await now();
    expect(Date.parse(transfer.dueAt) - opened).toBeGreaterThan(58 * DAY);
    expect(Date.parse(transfer.dueAt) - opened).toBeLessThan(63 * DAY);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '张某',
      measures: '补办用地手续',
      plannedBy: '2027-01-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-10',
      rectifiedMu: 0,
      approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕120号', date: '2026-12-08' },
    });
    expect((await caseRow(caseNo)).status).toBe('awaiting_transfers');

    await env.sleep(Date.parse(transfer.dueAt) - (await now()) + HOUR);
    const notes = await sys.sql`select kind, region_code from notifications where task_id = ${transfer.taskId} order by id`;
    expect(notes).toEqual([{ kind: 'overdue', region_code: '350583' }]);
    expect((await caseRow(caseNo)).status).toBe('awaiting_transfers');
    expect((await patchRow(sys, code)).stage).toBe('case');

    await completeAs(sys, 'na.officer', transfer.taskId, { receivedOn: '2027-02-01', result: '水利部门已责令恢复河道' });
    await eventually(async () => (await caseRow(caseNo)).status === 'struck_off');
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    await recordHistory(sys, caseNo, 'case-transfer-late');
  });
});

describe("Nan'an: a late transfer's feedback is chased every month after the escalation, until it is recorded (004 三(三))", () => {
  it('reminds the county monthly once overdue and escalated, and stops when the feedback comes', async () => {
    const env = sys.env!;
    const { code, caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 2, farmlandMu: 1 });
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '停〔2026〕40号',
      issuedOn: '2026-11-20',
      stopped: true,
    });
    const decided = await completeAs(
      sys,
      'na.officer',
      (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id,
      decision({ path: 'legalise', demolition: false, recultivation: false, departments: ['forestry'] }),
    );
    const transfer = decided.openTasks.find((t: { type: string }) => t.type === 'transfer_feedback');
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '张某',
      measures: '补办用地手续',
      plannedBy: '2027-01-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-10',
      rectifiedMu: 0,
      approval: { type: 'land_approval', documentNumber: '闽政地〔2026〕140号', date: '2026-12-08' },
    });
    const notes = async () =>
      (await sys.sql`select kind, region_code, role from notifications where task_id = ${transfer.taskId} order by id`).map(
        (n) => `${n.kind}:${n.region_code}:${n.role}`,
      );
    const due = Date.parse(transfer.dueAt);
    const escalation = due + 3 * DAY; // Nan'an inherits the 3 days before escalation
    // (Activities run in real time after a skipped timer fires: the notices are awaited.)
    const reminders = async (n: number) => eventually(async () => (await notes()).filter((x) => x.startsWith('reminder')).length === n);
    await env.sleep(escalation - (await now()) + HOUR);
    await eventually(async () => (await notes()).length === 2);
    expect(await notes()).toEqual(['overdue:350583:supervisor', 'escalation:350500:supervisor']);
    // A month after the escalation, and every month after that: the county's officers and supervisors are chased.
    await env.sleep(escalation + 31 * DAY - (await now()) + HOUR);
    await reminders(2);
    expect(await notes()).toEqual(['overdue:350583:supervisor', 'escalation:350500:supervisor', 'reminder:350583:officer', 'reminder:350583:supervisor']);
    await env.sleep(escalation + 62 * DAY - (await now()) + HOUR);
    await reminders(4);
    const [second] = await sys.sql`select title, params from notifications where task_id = ${transfer.taskId} and kind = 'reminder' order by id desc limit 1`;
    expect(second.title).toContain('第2次催办');
    // About the case (not its first patch), with the round and the due day for the UI to word in its language.
    expect(second.params).toEqual({ taskType: 'transfer_feedback', caseNo, patchCode: code, round: 2, dueOn: formatLocalDate(due) });
    expect(second.title).toBe(`第2次催办：案件 ${caseNo} 的移送反馈仍未办结`);
    expect((await caseRow(caseNo)).status).toBe('awaiting_transfers');

    await completeAs(sys, 'na.officer', transfer.taskId, { receivedOn: '2027-04-20', result: '林业部门已立案查处' });
    await eventually(async () => (await caseRow(caseNo)).status === 'struck_off');
    await eventually(async () => (await patchRow(sys, code)).stage === 'closed');
    // Done: no more reminders.
    await env.sleep(40 * DAY);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await notes()).filter((n) => n.startsWith('reminder'))).toHaveLength(4);
    await recordHistory(sys, caseNo, 'case-transfer-follow-up');
  });
});

describe("Jiangmen: 15% of the non-farmland area frozen from the city's plan quota, unfrozen in proportion at the rounds, the rest deducted at the last", () => {
  it('settles each round by the non-farmland area the province has accepted by then, and unfreezes the accepted farmland', async () => {
    const env = sys.env!;
    // 002's own rounds are 2021–2022 dates for 2020–2021 patches; this year's notice would set this year's:
    // the policy's rounds are absolute dates (onDate), set here as an administrator would.
    const year = new Date((await now()) + 8 * HOUR).getUTCFullYear();
    const admin = await sys.login('admin');
    const current = await sys.http('GET', '/api/regions/440700/policy', { token: admin });
    const overrides = {
      ...current.body.own,
      quota: {
        ...current.body.own.quota,
        constructionPlan: { share: 0.15, patchYears: [year], rounds: ['03-31', '06-30', '09-30'].map((md) => ({ kind: 'onDate', date: `${year + 1}-${md}` })) },
      },
    };
    const saved = await sys.http('PUT', '/api/regions/440700/policy', { token: admin, body: { overrides, note: '本年度卫片执法"增违挂钩"验收批次' } });
    expect(saved.status).toBe(200);
    // Skip the province's 30% sample so the patch goes straight to its case after the city review.
    let code = '';
    do code = sys.unique('JM');
    while (sampleDraw('wpzf', code, 'province') < 0.3);
    const issuedAt = new Date(await now()).toISOString();
    // A mixed case: 4 mu farmland, 16 mu non-farmland.
    const { task } = await issueAndWaitForTask(sys, { code, countyCode: '440703', areaMu: 20, issuedAt });
    await completeAs(sys, 'pj.officer', task.id, determination('illegal', { totalMu: 20, farmlandMu: 4 }));
    const snap = await completeAs(sys, 'jm.reviewer', (await openTaskOf(sys, code, 'review', 'jm.reviewer')).id, { decision: 'pass' });
    expect(snap.stage).toBe('case');
    const caseNo = snap.caseNo as string;
    const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
    // The plan quota is the city's (冻结地市…新增建设用地计划指标, 002 五(四)); the farmland reserve the county's.
    const planBefore = await balances(sys, '440700', 'construction_plan');
    const farmBefore = await balances(sys, '440703');
    const delta = async () => {
      const [plan, farm] = [await balances(sys, '440700', 'construction_plan'), await balances(sys, '440703')];
      return {
        plan: {
          frozen: r4(plan.frozen - planBefore.frozen),
          unfrozen: r4(plan.unfrozen - planBefore.unfrozen),
          deducted: r4(plan.deducted - planBefore.deducted),
        },
        farmland: {
          frozen: r4(farm.frozen - farmBefore.frozen),
          unfrozen: r4(farm.unfrozen - farmBefore.unfrozen),
          deducted: r4(farm.deducted - farmBefore.deducted),
        },
      };
    };
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'pj.officer')).id, registration());
    // 15% of 16 mu non-farmland from the plan quota; the 4 mu farmland in the reserve.
    expect(await delta()).toEqual({ plan: { frozen: 2.4, unfrozen: 0, deducted: 0 }, farmland: { frozen: 4, unfrozen: 0, deducted: 0 } });
    expect(await balances(sys, '440703', 'construction_plan')).toEqual({ frozen: 0, unfrozen: 0, deducted: 0 });
    // The ledger views: the city sees its plan account; each entry names the case's county and the holder.
    const cityBalances = await sys.http('GET', '/api/quota/balances', { token: await sys.login('jm.reviewer') });
    expect(
      cityBalances.body.find((b: { regionCode: string; account: string }) => b.regionCode === '440700' && b.account === 'construction_plan'),
    ).toMatchObject({ regionLevel: 'city', frozenMu: planBefore.frozen + 2.4 });
    const planEntries = await sys.http('GET', `/api/quota/ledger?filter=${encodeURIComponent(JSON.stringify({ caseNo, account: 'construction_plan' }))}`, {
      token: await sys.login('pj.officer'),
    });
    expect(planEntries.body).toEqual([expect.objectContaining({ kind: 'freeze', countyCode: '440703', regionCode: '440700', areaMu: 2.4 })]);
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'pj.officer')).id, {
      documentNumber: '江停〔2026〕1号',
      issuedOn: '2026-11-25',
      stopped: true,
    });
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'pj.officer')).id, decision());
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'pj.officer')).id, {
      responsiblePerson: '陈某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    const rectification = await caseTaskOf(sys, caseNo, 'rectification', 'pj.officer');
    // Jiangmen: rectified by 31 December of the year (002 三(二)); it is late after that, and escalates.
    const due = Date.parse(rectification.dueAt);
    expect(new Date(due + 8 * HOUR).toISOString().slice(5, 10)).toBe('12-31');
    await env.sleep(due - (await now()) + 4 * DAY);
    const late = await sys.sql`select kind, region_code from notifications where task_id = ${rectification.id} order by id`;
    expect(late).toEqual([
      { kind: 'overdue', region_code: '440703' },
      { kind: 'escalation', region_code: '440700' },
    ]);

    // A partial rectification of a mixed case must say how much of it is farmland.
    const token = await sys.login('pj.officer');
    const unsplit = await sys.http('POST', `/api/tasks/${rectification.id}/complete`, {
      token,
      body: { completedOn: '2027-01-10', rectifiedMu: 10, evidence: [] },
    });
    expect(unsplit.status).toBe(422);
    expect(Object.keys(unsplit.body.errors)).toEqual(['rectifiedFarmlandMu']);
    // 10 mu rectified: 2 of the 4 mu farmland and 8 of the 16 mu non-farmland — reported, not yet accepted.
    await completeAs(sys, 'pj.officer', rectification.id, { completedOn: '2027-01-10', rectifiedMu: 10, rectifiedFarmlandMu: 2, evidence: [] });
    const at = (md: string) => Date.parse(`${year + 1}-${md}T16:00:00Z`); // the day after, Shanghai
    await env.sleep(at('03-31') - (await now()) + HOUR);
    // The round unfreezes on what the province has accepted: nothing yet (the county's report is not acceptance).
    expect(await delta()).toEqual({ plan: { frozen: 2.4, unfrozen: 0, deducted: 0 }, farmland: { frozen: 4, unfrozen: 0, deducted: 0 } });

    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'pj.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'jm.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'jm.reviewer')).id, {
      decision: 'pass',
      certificateNo: '江拆复证〔2027〕3号',
    });
    const confirmed = await completeAs(sys, 'gd.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'gd.reviewer')).id, { decision: 'confirm' });
    // A partial acceptance: the rest goes back to rectification; the accepted farmland (half) unfreezes at once.
    expect(confirmed).toMatchObject({ stage: 'rectification', eliminated: false, accepted: { totalMu: 10, farmlandMu: 2, nonFarmlandMu: 8 } });
    expect((await caseTaskOf(sys, caseNo, 'rectification', 'pj.officer')).context).toMatchObject({ partial: true, remainingMu: 10 });
    expect(await delta()).toEqual({ plan: { frozen: 2.4, unfrozen: 0, deducted: 0 }, farmland: { frozen: 2, unfrozen: 2, deducted: 0 } });

    // The next round: half the non-farmland is accepted, so half the plan freeze unfreezes (8/16, not 10/16).
    await env.sleep(at('06-30') - (await now()) + HOUR);
    expect(await delta()).toEqual({ plan: { frozen: 1.2, unfrozen: 1.2, deducted: 0 }, farmland: { frozen: 2, unfrozen: 2, deducted: 0 } });
    await env.sleep(at('09-30') - (await now()) + HOUR);
    // Not all accepted by the last round: what is still frozen of the plan quota is deducted.
    expect(await delta()).toEqual({ plan: { frozen: 0, unfrozen: 1.2, deducted: 1.2 }, farmland: { frozen: 2, unfrozen: 2, deducted: 0 } });
    const entries = await sys.sql`select account, region_code, kind, area_mu::float8 as area from quota_ledger where case_no = ${caseNo} order by id`;
    expect(entries.map((e) => [e.account, e.region_code, e.kind, e.area])).toEqual([
      ['farmland', '440703', 'freeze', 4],
      ['construction_plan', '440700', 'freeze', 2.4],
      ['farmland', '440703', 'unfreeze', 2],
      ['construction_plan', '440700', 'unfreeze', 1.2],
      ['construction_plan', '440700', 'deduct', 1.2],
    ]);
    expect(await ledgerBalanceMismatches(sys.sql)).toEqual([]);
    await recordHistory(sys, caseNo, 'case-jiangmen-rounds');
  });
});

describe('Liaocheng: periodic re-check (003 四(六))', () => {
  it('re-checks an unchanged patch every quarter, and a re-check that finds rebuilding opens a case', async () => {
    const env = sys.env!;
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', category: 'other_change', issuedAt: new Date(await now()).toISOString() });
    await completeAs(sys, 'dcf.officer', task.id, determination('other'));
    await completeAs(sys, 'lc.reviewer', (await openTaskOf(sys, code, 'review', 'lc.reviewer')).id, { decision: 'pass' });
    const snap = await completeAs(sys, 'sd.reviewer', (await openTaskOf(sys, code, 'review', 'sd.reviewer')).id, { decision: 'pass' });
    expect(snap).toMatchObject({ stage: 'recheck', openTasks: [] });
    expect((await patchRow(sys, code)).stage).toBe('recheck');
    // Quarterly for a year: four re-checks, each three months apart.
    const [scheduled] = await sys.sql`select after from audit_log where patch_code = ${code} and action = 'patch.recheck_scheduled'`;
    const instants = (scheduled.after.detail.at as string[]).map((t) => Date.parse(t));
    expect(instants).toHaveLength(4);
    expect(instants[1] - instants[0]).toBeGreaterThan(88 * DAY);

    await env.sleep(instants[0] - (await now()) - HOUR);
    expect((await sys.sql`select count(*)::int as n from tasks where patch_code = ${code} and type = 'recheck'`)[0].n).toBe(0);
    await env.sleep(2 * HOUR);
    const first = await openTaskOf(sys, code, 'recheck', 'dcf.officer');
    await completeAs(sys, 'dcf.officer', first.id, { finding: 'unchanged', notes: '实地未变化' });
    await env.sleep(instants[1] - (await now()) + HOUR);
    const second = await openTaskOf(sys, code, 'recheck', 'dcf.officer');
    const found = await completeAs(sys, 'dcf.officer', second.id, { finding: 'rebuilt', notes: '原址新建彩钢房约300平方米' });
    expect(found).toMatchObject({ stage: 'case', legality: 'illegal' });
    const [row] = await sys.sql`select origin, status, previous_case_no from cases where case_no = ${found.caseNo}`;
    // Never a case before: nothing to chain to.
    expect(row).toEqual({ origin: 'recheck', status: 'register', previous_case_no: null });
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).caseNo).toBe(found.caseNo);
    await recordHistory(sys, code, 'recheck-reopens-case');
  });
});

describe('Liaocheng: a re-cultivated patch is re-checked after its case is struck off (003 四(六))', () => {
  it('finds rebuilding at the first quarterly re-check and opens a new case for the patch', async () => {
    const env = sys.env!;
    const { code, caseNo, register } = await liaochengCase(sys, { totalMu: 6, farmlandMu: 4, issuedAt: new Date(await now()).toISOString() });
    await completeAs(sys, 'dcf.officer', register.id, registration());
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'dcf.officer')).id, {
      documentNumber: '聊停〔2026〕7号',
      issuedOn: '2026-12-02',
      stopped: true,
    });
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'dcf.officer')).id, decision());
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'dcf.officer')).id, {
      responsiblePerson: '赵某',
      measures: '拆除复耕',
      plannedBy: '2027-01-10',
    });
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'dcf.officer')).id, {
      completedOn: '2026-12-20',
      rectifiedMu: 6,
      evidence: [],
    });
    await completeAs(sys, 'dcf.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'dcf.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'lc.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'lc.reviewer')).id, {
      decision: 'pass',
      certificateNo: '聊拆复证〔2026〕9号',
    });
    await completeAs(sys, 'sd.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'sd.reviewer')).id, { decision: 'confirm' });
    await eventually(async () => (await caseRow(caseNo)).status === 'struck_off');
    // Struck off by demolition and re-cultivation: the patch is re-checked every quarter rather than closed.
    await eventually(async () => (await patchRow(sys, code)).stage === 'recheck');
    const [scheduled] = await sys.sql`select after from audit_log where patch_code = ${code} and action = 'patch.recheck_scheduled'`;
    const instants = (scheduled.after.detail.at as string[]).map((t) => Date.parse(t));
    expect(instants).toHaveLength(4);

    await env.sleep(instants[0] - (await now()) + HOUR);
    const recheck = await openTaskOf(sys, code, 'recheck', 'dcf.officer');
    expect(recheck.context).toMatchObject({ caseNo });
    const found = await completeAs(sys, 'dcf.officer', recheck.id, { finding: 'rebuilt', notes: '复耕地块上重新搭建厂房约400平方米' });
    expect(found).toMatchObject({ stage: 'case', legality: 'illegal' });
    expect(found.caseNo).not.toBe(caseNo);
    const [row] = await sys.sql`select origin, status, illegal_mu, illegal_farmland_mu from cases where case_no = ${found.caseNo}`;
    expect(row).toEqual({ origin: 'recheck', status: 'register', illegal_mu: 6, illegal_farmland_mu: 4 });
    expect((await caseRow(caseNo)).status).toBe('struck_off');
    expect(await patchRow(sys, code)).toMatchObject({ stage: 'case', case_no: found.caseNo });
    // The problem ledger shows the chain: the new case names the struck-off one, which lists the new one.
    expect((await caseRow(found.caseNo)).previous_case_no).toBe(caseNo);
    const token = await sys.login('dcf.officer');
    expect((await sys.http('GET', `/api/cases/${found.caseNo}`, { token })).body).toMatchObject({ previousCaseNo: caseNo, origin: 'recheck' });
    expect((await sys.http('GET', `/api/cases/${caseNo}`, { token })).body.laterCases).toEqual([
      expect.objectContaining({ caseNo: found.caseNo, status: 'register' }),
    ]);
    const listed = await sys.http('GET', `/api/cases?filter=${encodeURIComponent(JSON.stringify({ previousCaseNo: caseNo }))}`, { token });
    expect(listed.body.map((c: { caseNo: string }) => c.caseNo)).toEqual([found.caseNo]);
    expect((await caseTaskOf(sys, found.caseNo, 'case_register', 'dcf.officer')).context).toMatchObject({ origin: 'recheck', previousCaseNo: caseNo });
    await recordHistory(sys, code, 'recheck-after-strike-off');
  });
});
