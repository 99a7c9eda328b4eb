/**
 * Send-back loops must not grow a history without bound: on a dev server that suggests continue-as-new
 * early, the patch workflow continues as new, carrying its state, and keeps answering completions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../infra/temporal-dev-server';
import { snapshotQuery } from '../workflows/messages';
import { caseSnapshotQuery } from '../workflows/case/messages';
import {
  balances,
  caseTaskOf,
  completeAs,
  decision,
  determination,
  illegalPatchWithCase,
  issueAndWaitForTask,
  openTaskOf,
  registration,
} from './support/fixtures';
import { freePort } from './support/ports';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let server: DevServer;
let sys: TestSystem;
beforeAll(async () => {
  server = await startDevServer({ port: await freePort(), extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=60'] });
  sys = await startTestSystem({ temporalAddress: server.address });
});
afterAll(async () => {
  await sys?.stop();
  await server?.stop();
});

describe('continue-as-new in a long send-back loop', () => {
  it("carries the state across runs and keeps each run's history short", async () => {
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8 });
    const handle = sys.temporal.workflow.getHandle(code);
    const firstRun = (await handle.describe()).runId;
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 2 }));
    const rounds = 8;
    for (let round = 1; round <= rounds; round++) {
      const review = await openTaskOf(sys, code, 'review', 'yc.reviewer');
      await completeAs(sys, 'yc.reviewer', review.id, { decision: 'send_back', reason: `第${round}次退回` });
      const correction = await openTaskOf(sys, code, 'correction', 'xq.officer');
      await completeAs(sys, 'xq.officer', correction.id, { decision: 'submit', ...determination('legal', { totalMu: 8, farmlandMu: 2 }) });
    }
    const description = await handle.describe();
    expect(description.runId).not.toBe(firstRun);
    expect(description.historyLength).toBeLessThan(120);
    const snap = await handle.query(snapshotQuery);
    expect(snap).toMatchObject({ stage: 'review', sendBacks: rounds, legality: 'legal' });
    // Task ids keep counting across runs: no id is reused.
    const ids = (await sys.sql`select id from tasks where patch_code = ${code}`).map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(1 + 2 * rounds + 1);
    // The process still finishes.
    await completeAs(sys, 'yc.reviewer', (await openTaskOf(sys, code, 'review', 'yc.reviewer')).id, { decision: 'pass' });
    const final = await completeAs(sys, 'nx.reviewer', (await openTaskOf(sys, code, 'review', 'nx.reviewer')).id, { decision: 'pass' });
    expect(final).toMatchObject({ stage: 'closed', sendBacks: rounds });
  });
});

describe('continue-as-new of a case workflow', () => {
  it('carries the case state (tasks, transfers, the quota) across runs through a long acceptance loop, and finishes', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 5, farmlandMu: 5 });
    const handle = sys.temporal.workflow.getHandle(caseNo);
    const firstRun = (await handle.describe()).runId;
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '南停〔2026〕21号',
      issuedOn: '2026-11-20',
      stopped: true,
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision({ departments: ['water'] }));
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '林某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    const rectify = { completedOn: '2026-12-20', rectifiedMu: 5, evidence: [] };
    const rounds = 8;
    for (let round = 1; round <= rounds; round++) {
      await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, rectify);
      await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, {
        decision: 'reject',
        reason: `第${round}次初验不合格`,
      });
    }
    const description = await handle.describe();
    expect(description.runId).not.toBe(firstRun);
    expect(description.historyLength).toBeLessThan(120);
    // The new run knows what the old one did: the open transfer, the stage, the frozen quota.
    const snap = await handle.query(caseSnapshotQuery);
    expect(snap).toMatchObject({
      stage: 'rectification',
      eliminated: false,
      transfers: [expect.objectContaining({ organ: 'department', department: 'water', feedback: false })],
    });
    expect(snap.openTasks.map((t) => t.type).sort()).toEqual(['rectification', 'transfer_feedback']);
    expect((await balances(sys, '350583')).frozen - before.frozen).toBeCloseTo(5);

    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, rectify);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕40号',
    });
    const confirmed = await completeAs(sys, 'fj.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer')).id, { decision: 'confirm' });
    expect(confirmed).toMatchObject({ eliminated: true, stage: 'awaiting_transfers' });
    await completeAs(sys, 'na.officer', snap.transfers[0].taskId, { receivedOn: '2026-12-28', result: '水利部门已处理' });
    await eventually(async () => (await sys.sql`select status from cases where case_no = ${caseNo}`)[0].status === 'struck_off');
    expect(await handle.result()).toMatchObject({ stage: 'struck_off', eliminated: true });
    const entries = await sys.sql`select kind, area_mu::float8 as area from quota_ledger where case_no = ${caseNo} order by id`;
    expect(entries.map((e) => [e.kind, e.area])).toEqual([
      ['freeze', 5],
      ['unfreeze', 5],
    ]);
    // Task ids keep counting across runs: no id is reused.
    const ids = (await sys.sql`select id from tasks where case_no = ${caseNo}`).map((r) => r.id as string);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
