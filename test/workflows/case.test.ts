/**
 * The case workflow's stages with stubbed activities (no database): the time-skipping test server, a
 * worker on the test bundle whose activities record their calls and answer with fixed values.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Determination } from '../../domain/legality';
import type { Actor, RectificationPath } from '../../domain/types';
import { registerSearchAttributes } from '../../infra/search-attributes';
import { caseSnapshotQuery, type CasePatch, type CaseSnapshot } from '../../workflows/case/messages';
import { completeTaskUpdate, type TaskPayload } from '../../workflows/messages';
import { decision as decisionOf, registration } from '../support/fixtures';

const COUNTY = '350583';
const officer: Actor = { userId: 11, username: 'na.officer', displayName: '南安办案员', role: 'officer', regionCode: COUNTY, classified: false };
const cityReviewer: Actor = { userId: 12, username: 'qz.reviewer', displayName: '泉州审核员', role: 'reviewer', regionCode: '350500', classified: false };
const provinceReviewer: Actor = { userId: 13, username: 'fj.reviewer', displayName: '福建审核员', role: 'reviewer', regionCode: '350000', classified: false };

const patch: CasePatch = {
  code: 'P-CASE-1',
  countyCode: COUNTY,
  category: 'new_construction' as CasePatch['category'],
  batchKind: 'routine' as CasePatch['batchKind'],
  issuedAt: '2026-10-01T00:00:00.000Z',
  determination: { legality: 'illegal', subType: 'unapproved', approvals: [], areas: { totalMu: 4, farmlandMu: 3 }, evidence: [] } as unknown as Determination,
};

/** What the stubbed activities were asked, by name, in order. */
let calls: Array<{ name: string; input: Record<string, unknown> }> = [];
let onsiteLevels: string[] = [];
const record =
  (name: string, result: (input: Record<string, unknown>) => unknown = () => undefined) =>
  async (input: Record<string, unknown>) => {
    calls.push({ name, input });
    return result(input);
  };
const activities = {
  openTask: record('openTask', () => ({ dueAt: '2100-01-01T00:00:00.000Z', escalateAfterMs: 0, policyVersion: 1, rules: {} })),
  closeTask: record('closeTask'),
  recordAssignment: record('recordAssignment'),
  reportCaseStatus: record('reportCaseStatus'),
  updateCase: record('updateCase'),
  linkPatchesToCase: record('linkPatchesToCase', () => []),
  freezeCaseQuota: record('freezeCaseQuota', () => ({})),
  bookQuota: record('bookQuota'),
  rectificationOnsiteLevels: record('rectificationOnsiteLevels', () => onsiteLevels),
};

let env: TestWorkflowEnvironment;
/** A plain client: awaiting a result through it does not let the test server skip time. */
let client: Client;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `case-stubs-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const path = inject('timeSkippingServerPath');
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } } });
  await registerSearchAttributes(env.connection);
  client = new Client({ connection: env.connection });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
    activities,
  });
  running = worker.run();
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
});

async function startCase() {
  calls = [];
  const caseNo = `C-${randomBytes(3).toString('hex')}`;
  const handle = await client.workflow.start('caseWorkflow', {
    taskQueue,
    workflowId: caseNo,
    args: [{ caseNo, countyCode: COUNTY, patches: [patch], origin: 'determination' }],
  });
  return { caseNo, handle };
}

type Handle = Awaited<ReturnType<typeof startCase>>['handle'];

/** Completes the one open task of `type` and answers the snapshot after it. */
async function complete(handle: Handle, type: string, actor: Actor, payload: Record<string, unknown>): Promise<CaseSnapshot> {
  // The task may still be opening (its activity in flight) when the previous step's answer came back: wait for it.
  const until = Date.now() + 15_000;
  let snap = await handle.query(caseSnapshotQuery);
  let task = snap.openTasks.find((t) => t.type === type);
  while (!task && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    snap = await handle.query(caseSnapshotQuery);
    task = snap.openTasks.find((t) => t.type === type);
  }
  if (!task) throw new Error(`no open ${type} task: ${JSON.stringify(snap.openTasks)}`);
  return (await handle.executeUpdate(completeTaskUpdate, {
    args: [{ taskId: task.taskId, actor, payload: { kind: type, ...payload } as TaskPayload }],
  })) as CaseSnapshot;
}

/** Registration, stop order, decision (with the given path) and plan: the case waits for its rectification. */
async function throughPlan(handle: Handle, path: RectificationPath, over: Record<string, unknown> = {}) {
  await complete(handle, 'case_register', officer, registration());
  await complete(handle, 'stop_order', officer, { documentNumber: '停〔2026〕1号', issuedOn: '2026-11-10', stopped: true });
  await complete(handle, 'case_decision', officer, decisionOf({ path, ...over }));
  return complete(handle, 'rectification_plan', officer, { responsiblePerson: '张三', measures: '拆除复耕', plannedBy: '2026-12-31' });
}

const names = () => calls.map((c) => c.name);

describe('caseWorkflow with stubbed activities', () => {
  it('registers, orders the stop, decides, rectifies, passes three acceptances and is struck off once the transfer has its feedback', async () => {
    onsiteLevels = [];
    const { caseNo, handle } = await startCase();
    const planned = await throughPlan(handle, 'demolish_recultivate', { criminalReferral: true });
    expect(planned.stage).toBe('rectification');
    expect(planned.transfers).toEqual([expect.objectContaining({ organ: 'judicial', feedback: false })]);
    expect(names()).toContain('freezeCaseQuota');

    await complete(handle, 'rectification', officer, { completedOn: '2026-12-01', rectifiedMu: 4, rectifiedFarmlandMu: 3, evidence: [] });
    await complete(handle, 'acceptance_county', officer, { decision: 'pass' });
    await complete(handle, 'acceptance_city', cityReviewer, { decision: 'pass', certificateNo: '泉拆复证〔2026〕1号' });
    const confirmed = await complete(handle, 'acceptance_province', provinceReviewer, { decision: 'confirm' });
    expect(confirmed).toMatchObject({ stage: 'awaiting_transfers', eliminated: true, accepted: { totalMu: 4, farmlandMu: 3, nonFarmlandMu: 1 } });
    const unfreeze = calls.find((c) => c.name === 'bookQuota')!.input.entries as Array<Record<string, unknown>>;
    expect(unfreeze).toEqual([expect.objectContaining({ entryKey: `unfreeze:${caseNo}:${patch.code}:farmland`, kind: 'unfreeze', account: 'farmland' })]);

    await complete(handle, 'transfer_feedback', officer, { receivedOn: '2026-12-20', result: '已立案侦查' });
    const done = await handle.result();
    expect(done).toMatchObject({ stage: 'struck_off', eliminated: true, openTasks: [] });
    expect(calls.filter((c) => c.name === 'updateCase').map((c) => c.input.action)).toEqual(['case.eliminated', 'case.awaiting_transfers', 'case.struck_off']);
    expect(calls.at(-1)).toMatchObject({ name: 'reportCaseStatus', input: { caseNo, status: 'struck_off', closed: true } });
  }, 60_000);

  it('a city that rejects the acceptance sends the case back to rectification', async () => {
    onsiteLevels = [];
    const { handle } = await startCase();
    await throughPlan(handle, 'demolish_recultivate');
    await complete(handle, 'rectification', officer, { completedOn: '2026-12-01', rectifiedMu: 4, rectifiedFarmlandMu: 3, evidence: [] });
    await complete(handle, 'acceptance_county', officer, { decision: 'pass' });
    const rejected = await complete(handle, 'acceptance_city', cityReviewer, { decision: 'reject', reason: '复耕未到位' });
    expect(rejected.stage).toBe('rectification');
    expect(rejected.openTasks.map((t) => t.type)).toEqual(['rectification']);
    const reopened = calls.filter((c) => c.name === 'openTask').at(-1)!.input;
    expect(reopened).toMatchObject({ type: 'rectification', context: { rejectedBy: 'city', reason: '复耕未到位' } });
    await handle.terminate();
  }, 60_000);

  it('legalisation: the result checked on site (rejected, then confirmed), then the frozen quota deducted and the case struck off', async () => {
    onsiteLevels = ['city'];
    const { caseNo, handle } = await startCase();
    await throughPlan(handle, 'legalise', { demolition: false, recultivation: false });
    const rectification = {
      completedOn: '2026-12-01',
      rectifiedMu: 4,
      rectifiedFarmlandMu: 3,
      evidence: [],
      approval: { type: 'land_use', documentNumber: '闽政地〔2026〕1号', date: '2026-11-30' },
    };
    const checking = await complete(handle, 'rectification', officer, rectification);
    expect(checking).toMatchObject({ stage: 'acceptance', openTasks: [expect.objectContaining({ type: 'onsite_check', regionCode: '350500' })] });
    const back = await complete(handle, 'onsite_check', cityReviewer, { decision: 'reject', reason: '与举报不符' });
    expect(back.stage).toBe('rectification');
    await complete(handle, 'rectification', officer, rectification);
    await complete(handle, 'onsite_check', cityReviewer, { decision: 'confirm' });
    const done = await handle.result();
    expect(done).toMatchObject({ stage: 'struck_off', eliminated: true });
    const deduct = calls.find((c) => c.name === 'bookQuota')!.input.entries as Array<Record<string, unknown>>;
    expect(deduct).toEqual([expect.objectContaining({ entryKey: `deduct:${caseNo}:${patch.code}:farmland`, kind: 'deduct', reason: '补办用地手续' })]);
  }, 60_000);

  it('the validator refuses a rectification larger than the illegal area before anything is recorded', async () => {
    onsiteLevels = [];
    const { handle } = await startCase();
    await throughPlan(handle, 'demolish_recultivate');
    const before = calls.length;
    const err = await complete(handle, 'rectification', officer, { completedOn: '2026-12-01', rectifiedMu: 9, evidence: [] }).catch(
      (e: WorkflowUpdateFailedError) => e.cause as ApplicationFailure,
    );
    expect(err).toMatchObject({ type: 'RuleViolation', details: [[expect.objectContaining({ path: 'rectifiedMu', rule: 'rectified_exceeds_illegal' })]] });
    expect(calls.length).toBe(before);
    expect((await handle.query(caseSnapshotQuery)).openTasks.map((t) => t.type)).toEqual(['rectification']);
    await handle.terminate();
  }, 60_000);
});
