/**
 * The patch workflow's stages against stubbed activities (no database, no API): the time-skipping test
 * server runs the workflow bundle, the worker's activities are plain functions that record their calls.
 * Fast checks of the process itself; the end-to-end files (lifecycle, verification…) check it with the
 * real activities.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Determination } from '../../domain/legality';
import type { Actor } from '../../domain/types';
import { registerSearchAttributes } from '../../infra/search-attributes';
import { caseStatusSignal, completeTaskUpdate, type PatchInfo, type PatchSnapshot, snapshotQuery, type TaskPayload } from '../../workflows/messages';
import type { patchWorkflow } from '../../workflows/patch/workflow';

const COUNTY = '640104';
const CITY = '640100';
const PROVINCE = '640000';
const officer: Actor = { userId: 1, username: 'officer', displayName: '县级核查员', role: 'officer', regionCode: COUNTY, classified: false };
const cityReviewer: Actor = { userId: 2, username: 'city', displayName: '市级审核员', role: 'reviewer', regionCode: CITY, classified: false };
const provinceReviewer: Actor = { userId: 3, username: 'province', displayName: '省级审核员', role: 'reviewer', regionCode: PROVINCE, classified: false };

const determination = (legality: 'legal' | 'illegal'): Determination =>
  ({
    legality,
    subType: legality === 'legal' ? 'approved_construction' : 'occupied_without_approval',
    approvals: legality === 'legal' ? [{ type: 'land_approval', documentNumber: '批〔2026〕1号', date: '2026-01-10' }] : [],
    areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
    evidence: [],
  }) as unknown as Determination;

interface Call {
  name: string;
  input: any;
}

/** The activities the patch workflow and its task engine call, as stubs: the city and the province review everything. */
function stubActivities(calls: Call[]) {
  const record =
    <R>(name: string, answer: (input: any) => R) =>
    async (input: any): Promise<R> => {
      calls.push({ name, input });
      return answer(input);
    };
  const chain = [
    { level: 'city', regionCode: CITY },
    { level: 'province', regionCode: PROVINCE },
  ];
  return {
    openTask: record('openTask', () => ({
      dueAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      escalateAfterMs: 30 * 86_400_000,
      policyVersion: 1,
      rules: { forbidOtherFor: [], farmlandFlags: [] },
    })),
    closeTask: record('closeTask', () => undefined),
    decideReviewLevel: record('decideReviewLevel', (i) => (chain[i.levelIndex] ? { ...chain[i.levelIndex], selected: true, reason: 'all' } : null)),
    decideOnsiteCheck: record('decideOnsiteCheck', () => null),
    planRechecks: record('planRechecks', () => []),
    updatePatch: record('updatePatch', () => undefined),
    requestCase: record('requestCase', () => ({ caseNo: 'AJ-2026-0001' })),
    markTaskOverdue: record('markTaskOverdue', () => undefined),
    escalateOverdueTask: record('escalateOverdueTask', () => undefined),
    remindOverdueTask: record('remindOverdueTask', () => undefined),
  };
}

describe('patch workflow stages (stubbed activities)', () => {
  let env: TestWorkflowEnvironment;
  /** A plain client: time skips only while a test waits for a result, not between one completion and the next. */
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `patch-stages-${randomBytes(4).toString('hex')}`;
  const calls: Call[] = [];

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN') });
    } catch {
      // installed already
    }
    const path = inject('timeSkippingServerPath');
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } },
    });
    await registerSearchAttributes(env.connection);
    client = new Client({ connection: env.connection, namespace: env.namespace });
    // Time stands still between one completion and the next (a correction's deadline would pass at once otherwise).
    await env.connection.testService!.lockTimeSkipping({});
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { code: readFileSync(inject('workflowBundlePath'), 'utf8') },
      activities: stubActivities(calls),
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await env?.teardown();
  });

  async function issue(code: string) {
    const patch: PatchInfo = {
      code,
      countyCode: COUNTY,
      cityCode: CITY,
      provinceCode: PROVINCE,
      category: 'new_non_agricultural_construction',
      source: 'ministry',
      batchKind: 'monthly',
      issuedAt: '2026-04-01',
      areaMu: 5,
    };
    const handle = await client.workflow.start<typeof patchWorkflow>('patchWorkflow', { taskQueue, workflowId: code, args: [{ patch }] });
    const complete = async (type: string, actor: Actor, payload: TaskPayload): Promise<PatchSnapshot> => {
      // The first task opens after the workflow starts: wait for it to show (later ones are open when an Update returns).
      let snap = await handle.query(snapshotQuery);
      for (let i = 0; i < 100 && snap.openTasks.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        snap = await handle.query(snapshotQuery);
      }
      const task = snap.openTasks.find((t) => t.type === type);
      expect(task, `open ${type} task in ${JSON.stringify(snap.openTasks)}`).toBeDefined();
      return (await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task!.taskId, actor, payload }] })) as PatchSnapshot;
    };
    const callsOf = (name: string) => calls.filter((c) => c.name === name && JSON.stringify(c.input).includes(code)).map((c) => c.input);
    const result = () => env.client.workflow.getHandle(code).result() as Promise<PatchSnapshot>;
    return { handle, complete, callsOf, result };
  }

  it('verification, then the city and the province pass: no on-site check, closed', async () => {
    const { complete, callsOf, result } = await issue('P-MAIN');
    expect((await complete('verification', officer, { kind: 'verification', determination: determination('legal') })).stage).toBe('review');
    expect((await complete('review', cityReviewer, { kind: 'review', decision: 'pass' })).stage).toBe('review');
    await complete('review', provinceReviewer, { kind: 'review', decision: 'pass' });
    expect(await result()).toMatchObject({
      stage: 'closed',
      legality: 'legal',
      determinedLevel: 'county',
      directDetermination: false,
      sendBacks: 0,
      openTasks: [],
    });
    expect(callsOf('openTask').map((i) => `${i.type}@${i.regionCode}`)).toEqual(['verification@640104', 'review@640100', 'review@640000']);
    expect(callsOf('decideReviewLevel').map((i) => i.levelIndex)).toEqual([0, 1, 2]);
    expect(callsOf('decideOnsiteCheck')).toHaveLength(1);
    expect(callsOf('updatePatch').map((i) => i.action)).toEqual(['patch.closed']);
  });

  it('a send-back goes to the county, whose corrected answer the same level reviews again, told who resubmitted', async () => {
    const { complete, callsOf, result } = await issue('P-SENDBACK');
    await complete('verification', officer, { kind: 'verification', determination: determination('legal') });
    const sent = await complete('review', cityReviewer, { kind: 'review', decision: 'send_back', reason: '举证不足' });
    expect(sent).toMatchObject({ stage: 'correction', sendBacks: 1 });
    expect(sent.openTasks.map((t) => `${t.type}@${t.regionCode}`)).toEqual(['correction@640104']);
    await complete('correction', officer, { kind: 'correction', decision: 'submit', determination: determination('legal') });
    const review = callsOf('openTask').at(-1);
    expect(review).toMatchObject({ type: 'review', regionCode: CITY, context: { resubmitted: true, resubmittedBy: '县级核查员', sendBacks: 1 } });
    await complete('review', cityReviewer, { kind: 'review', decision: 'pass' });
    await complete('review', provinceReviewer, { kind: 'review', decision: 'pass' });
    expect(await result()).toMatchObject({ stage: 'closed', sendBacks: 1 });
  });

  it('a declined correction goes to direct determination by the level that sent it back; illegal, a case, closed when struck off', async () => {
    const { handle, complete, callsOf, result } = await issue('P-DIRECT');
    await complete('verification', officer, { kind: 'verification', determination: determination('legal') });
    await complete('review', cityReviewer, { kind: 'review', decision: 'send_back', reason: '疑似违法' });
    const declined = await complete('correction', officer, { kind: 'correction', decision: 'decline', reason: '维持原判定' });
    expect(declined).toMatchObject({ stage: 'direct_determination' });
    expect(declined.openTasks.map((t) => `${t.type}@${t.regionCode}`)).toEqual(['direct_determination@640100']);
    const direct = await complete('direct_determination', cityReviewer, { kind: 'direct_determination', determination: determination('illegal') });
    expect(direct).toMatchObject({ stage: 'review', directDetermination: true, determinedLevel: 'city', concealed: true });
    const toCase = await complete('review', provinceReviewer, { kind: 'review', decision: 'pass' });
    expect(toCase).toMatchObject({ stage: 'case', caseNo: 'AJ-2026-0001', legality: 'illegal' });
    expect(callsOf('requestCase')).toMatchObject([{ origin: 'determination' }]);
    await handle.signal(caseStatusSignal, { caseNo: 'AJ-2026-0001', status: 'struck_off', closed: true });
    expect(await result()).toMatchObject({ stage: 'closed', caseNo: 'AJ-2026-0001' });
    expect(callsOf('updatePatch').map((i) => i.action)).toEqual(['patch.case_requested', 'patch.closed']);
  });

  it('rejects a completion of the wrong kind or by the wrong level before anything is recorded', async () => {
    const { handle, complete, callsOf } = await issue('P-REJECT');
    await expect(complete('verification', officer, { kind: 'review', decision: 'pass' })).rejects.toMatchObject({
      cause: { type: 'InvalidPayload', message: expect.stringMatching(/与任务类型/) },
    });
    await expect(complete('verification', cityReviewer, { kind: 'verification', determination: determination('legal') })).rejects.toMatchObject({
      cause: { type: 'Forbidden' },
    });
    expect(callsOf('closeTask')).toEqual([]);
    expect((await handle.query(snapshotQuery)).stage).toBe('verification');
    await handle.terminate();
  });
});
