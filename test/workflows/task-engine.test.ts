/**
 * The task engine (workflows/tasks/) with stubbed activities, no database: a small workflow around it
 * (task-engine-harness.ts) on the time-skipping test server. Holder-only completion, the overdue →
 * escalation → follow-up chain, an extension (a refused approval, then a granted one) and a policy change.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../domain/types';
import { assignTaskUpdate, completeTaskUpdate, policyChangedSignal, requestExtensionUpdate } from '../../workflows/messages';
import { harnessView, taskEngineHarness } from './task-engine-harness';

const DAY = 86_400_000;
const officer = (userId: number): Actor => ({
  userId,
  username: `o${userId}`,
  displayName: `办理人${userId}`,
  role: 'officer',
  regionCode: '371502',
  classified: false,
});
const cityReviewer: Actor = { userId: 9, username: 'r9', displayName: '市级审核员', role: 'reviewer', regionCode: '371500', classified: false };

type Call = { name: string; input: Record<string, unknown> };
const calls: Call[] = [];
const record = (name: string, input: Record<string, unknown>) => calls.push({ name, input });
const named = (name: string) => calls.filter((c) => c.name === name);

const activities = {
  async openTask(input: Record<string, unknown>) {
    record('openTask', input);
    return {
      dueAt: new Date(Date.parse(input.eventAt as string) + 5 * DAY).toISOString(),
      escalateAfterMs: 2 * DAY,
      policyVersion: 1,
      rules: { forbidOtherFor: [], farmlandFlags: [] },
    };
  },
  async closeTask(input: Record<string, unknown>) {
    record('closeTask', input);
  },
  async recordAssignment(input: Record<string, unknown>) {
    record('recordAssignment', input);
  },
  async markTaskOverdue(input: Record<string, unknown>) {
    record('markTaskOverdue', input);
  },
  async escalateOverdueTask(input: Record<string, unknown>) {
    record('escalateOverdueTask', input);
    return { followUpAt: new Date((input.now as number) + 10 * DAY).toISOString() };
  },
  async remindOverdueTask(input: Record<string, unknown>) {
    record('remindOverdueTask', input);
    return {};
  },
  async applyExtension(input: Record<string, unknown>) {
    record('applyExtension', input);
  },
  async recomputeDeadlines(input: { tasks: Array<{ taskId: string; eventAt: string }>; policyVersion: number }) {
    record('recomputeDeadlines', input as unknown as Record<string, unknown>);
    const dueAt = Object.fromEntries(input.tasks.map((t) => [t.taskId, new Date(Date.parse(t.eventAt) + 30 * DAY).toISOString()]));
    return { dueAt, escalateAfterMs: 3 * DAY, rules: { forbidOtherFor: [], farmlandFlags: [] }, policyVersion: input.policyVersion };
  },
};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `engine-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already
  }
  const path = inject('timeSkippingServerPath');
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: path ? { type: 'existing-path', path } : { type: 'cached-download' } } });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./task-engine-harness.ts', import.meta.url)),
    activities,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running?.catch(() => undefined);
  await env?.teardown();
});

async function start() {
  calls.length = 0;
  const handle = await env.client.workflow.start(taskEngineHarness, { taskQueue, workflowId: `h-${randomBytes(4).toString('hex')}` });
  for (let i = 0; i < 100; i++) {
    const view = await handle.query(harnessView);
    if (view.openTasks.length === 1) return { handle, task: view.openTasks[0] };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the first task did not open');
}

/** Activities answer asynchronously to the workflow's timers: wait for what a test expects. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}

const verification = { kind: 'verification', determination: { legality: 'legal' } } as never;

describe('the task engine with stubbed activities', () => {
  it('lets only the holder of a claimed task complete it, then closes it', async () => {
    const { handle, task } = await start();
    const claim = await handle.executeUpdate(assignTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(1), action: 'claim' }] });
    expect(claim).toEqual({ taskId: task.taskId, assignee: { userId: 1, displayName: '办理人1' }, changed: true });
    await expect(handle.executeUpdate(assignTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(2), action: 'claim' }] })).rejects.toMatchObject({
      cause: { type: 'Conflict' },
    });
    await expect(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(2), payload: verification }] })).rejects.toMatchObject(
      { cause: { type: 'Forbidden' } },
    );
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(1), payload: verification }] });
    expect(await handle.result()).toEqual([task.taskId]);
    expect(calls.map((c) => c.name)).toEqual(['openTask', 'recordAssignment', 'closeTask']);
    expect(named('recordAssignment')[0].input).toMatchObject({
      action: 'task.claimed',
      before: null,
      after: { userId: 1 },
      eventKey: `${handle.workflowId}/e2`,
    });
    expect(named('closeTask')[0].input).toMatchObject({
      taskId: task.taskId,
      status: 'completed',
      action: 'verification.completed',
      eventKey: `${handle.workflowId}/e3`,
    });
  });

  it('marks a task overdue at its due instant, escalates it after the grace and chases it on the follow-up cycle', async () => {
    const { handle, task } = await start();
    const due = Date.parse(task.dueAt);
    await env.sleep(5 * DAY + 60_000);
    await until(() => calls.length >= 2);
    expect(calls.map((c) => c.name)).toEqual(['openTask', 'markTaskOverdue']);
    await env.sleep(2 * DAY);
    await until(() => calls.length >= 3);
    expect(calls.map((c) => c.name)).toEqual(['openTask', 'markTaskOverdue', 'escalateOverdueTask']);
    expect(named('escalateOverdueTask')[0].input).toMatchObject({ taskId: task.taskId, dueAt: due + 2 * DAY });
    await env.sleep(10 * DAY);
    await until(() => calls.length >= 4);
    expect(named('remindOverdueTask').map((c) => c.input)).toEqual([expect.objectContaining({ taskId: task.taskId, round: 1 })]);
    expect((await handle.query(harnessView)).openTasks[0]).toMatchObject({ overdue: true, escalated: true });
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(1), payload: verification }] });
    await handle.result();
  });

  it('opens an extension decision a level up, refuses an approval not later than the deadline, and moves the deadline on approval', async () => {
    const { handle, task } = await start();
    await handle.executeUpdate(requestExtensionUpdate, { args: [{ taskId: task.taskId, actor: officer(1), reason: '需补充材料' }] });
    const decision = (await handle.query(harnessView)).openTasks.find((t) => t.type === 'extension_decision')!;
    expect(decision.regionCode).toBe('371500');
    await expect(
      handle.executeUpdate(requestExtensionUpdate, { args: [{ taskId: task.taskId, actor: officer(1), reason: '再次申请' }] }),
    ).rejects.toMatchObject({ cause: { type: 'Conflict' } });
    const approve = (newDueDate: string) => ({
      taskId: decision.taskId,
      actor: cityReviewer,
      payload: { kind: 'extension_decision', decision: 'approve', newDueDate } as never,
    });
    const dueDay = new Date(Date.parse(task.dueAt) - DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    await expect(handle.executeUpdate(completeTaskUpdate, { args: [approve(dueDay)] })).rejects.toMatchObject({ cause: { type: 'RuleViolation' } });
    const later = new Date(Date.parse(task.dueAt) + 20 * DAY).toISOString().slice(0, 10);
    await handle.executeUpdate(completeTaskUpdate, { args: [approve(later)] });
    // A decided task is told "already done", not "unknown".
    await expect(handle.executeUpdate(completeTaskUpdate, { args: [approve(later)] })).rejects.toMatchObject({ cause: { type: 'TaskNotOpen' } });
    const extended = (await handle.query(harnessView)).openTasks;
    expect(extended).toHaveLength(1);
    expect(Date.parse(extended[0].dueAt)).toBeGreaterThan(Date.parse(task.dueAt) + 19 * DAY);
    expect(named('applyExtension')[0].input).toMatchObject({ taskId: task.taskId, dueAt: extended[0].dueAt });
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(1), payload: verification }] });
    expect(await handle.result()).toEqual([decision.taskId, task.taskId]);
  });

  it('recomputes the due instant of an open task on a newer policy version, and ignores an older one', async () => {
    const { handle, task } = await start();
    await handle.signal(policyChangedSignal, { version: 1 });
    await handle.signal(policyChangedSignal, { version: 4 });
    await until(() => named('recomputeDeadlines').length > 0);
    expect(named('recomputeDeadlines').map((c) => c.input)).toEqual([
      expect.objectContaining({ policyVersion: 4, tasks: [expect.objectContaining({ taskId: task.taskId })] }),
    ]);
    const view = await handle.query(harnessView);
    expect(view.policyVersion).toBe(4);
    expect(Date.parse(view.openTasks[0].dueAt)).toBe(Date.parse(task.dueAt) + 25 * DAY);
    await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.taskId, actor: officer(1), payload: verification }] });
    await handle.result();
  });
});
