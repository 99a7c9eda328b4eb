/**
 * The month-long waits of cases on the time-skipping server: transfers that wait two months for
 * feedback (Nan'an, 004), Jiangmen's construction-plan rounds (002), rectification that runs late, and
 * Liaocheng's periodic re-check that reopens a case when it finds rebuilding (003).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDraw } from '../domain/sampling';
import { snapshotQuery } from '../workflows/messages';
import { balances, caseTaskOf, completeAs, decision, determination, illegalPatchWithCase, issueAndWaitForTask, openTaskOf, patchRow, registration } from './support/fixtures';
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
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, { documentNumber: '停〔2026〕1号', issuedOn: '2026-11-20', stopped: true });
    const decided = await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision({ path: 'legalise', demolition: false, recultivation: false, departments: ['water'] }));
    const transfer = decided.openTasks.find((t: { type: string }) => t.type === 'transfer_feedback');
    const opened = await now();
    expect(Date.parse(transfer.dueAt) - opened).toBeGreaterThan(58 * DAY);
    expect(Date.parse(transfer.dueAt) - opened).toBeLessThan(63 * DAY);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, { responsiblePerson: '张某', measures: '补办用地手续', plannedBy: '2027-01-31' });
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

describe('Jiangmen: 15% of the non-farmland area frozen from the plan quota, unfrozen in proportion at the rounds, the rest deducted at the last', () => {
  it('settles each round by what is rectified by then', async () => {
    const env = sys.env!;
    // Skip the province's 30% sample so the patch goes straight to its case after the city review.
    let code = '';
    do code = sys.unique('JM');
    while (sampleDraw('wpzf', code, 'province') < 0.3);
    const issuedAt = new Date(await now()).toISOString();
    const { task } = await issueAndWaitForTask(sys, { code, countyCode: '440703', areaMu: 20, issuedAt });
    await completeAs(sys, 'pj.officer', task.id, determination('illegal', { totalMu: 20, farmlandMu: 4 }));
    const snap = await completeAs(sys, 'jm.reviewer', (await openTaskOf(sys, code, 'review', 'jm.reviewer')).id, { decision: 'pass' });
    expect(snap.stage).toBe('case');
    const caseNo = snap.caseNo as string;
    const plan = () => balances(sys, '440703', 'construction_plan');
    const before = await plan();
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'case_register', 'pj.officer')).id, registration());
    const frozen = Math.round(((await plan()).frozen - before.frozen) * 10_000) / 10_000;
    expect(frozen).toBe(2.4); // 15% of 16 mu
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'pj.officer')).id, { documentNumber: '江停〔2026〕1号', issuedOn: '2026-11-25', stopped: true });
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'pj.officer')).id, decision());
    await completeAs(sys, 'pj.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'pj.officer')).id, { responsiblePerson: '陈某', measures: '拆除复耕', plannedBy: '2026-12-31' });
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

    // Half of the non-farmland area rectified, not yet accepted: the next round unfreezes half.
    await completeAs(sys, 'pj.officer', rectification.id, { completedOn: '2027-01-10', rectifiedMu: 8, evidence: [] });
    const year = new Date(issuedAt).getUTCFullYear() + 1;
    const at = (md: string) => Date.parse(`${year}-${md}T16:00:00Z`); // the day after, Shanghai
    await env.sleep(at('03-31') - (await now()) + HOUR);
    expect(Math.round(((await plan()).unfrozen - before.unfrozen) * 10_000) / 10_000).toBe(1.2);
    await env.sleep(at('09-30') - (await now()) + HOUR);
    const after = await plan();
    // Not accepted by the last round: what is still frozen is deducted.
    expect(Math.round((after.frozen - before.frozen) * 10_000) / 10_000).toBe(0);
    expect(Math.round((after.unfrozen - before.unfrozen) * 10_000) / 10_000).toBe(1.2);
    expect(Math.round((after.deducted - before.deducted) * 10_000) / 10_000).toBe(1.2);
    const entries = await sys.sql`select kind, area_mu::float8 as area, reason from quota_ledger where case_no = ${caseNo} and account = 'construction_plan' order by id`;
    expect(entries.map((e) => [e.kind, e.area])).toEqual([['freeze', 2.4], ['unfreeze', 1.2], ['deduct', 1.2]]);
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
    const [row] = await sys.sql`select origin, status from cases where case_no = ${found.caseNo}`;
    expect(row).toEqual({ origin: 'recheck', status: 'register' });
    expect((await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).caseNo).toBe(found.caseNo);
    await recordHistory(sys, code, 'recheck-reopens-case');
  });
});
