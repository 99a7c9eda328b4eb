/**
 * A minimal workflow around the task engine for the stubbed-activity tests (test/workflows/task-engine.test.ts):
 * it opens one officer task and runs the engine's handlers, timers and policy changes until no task is open.
 */
import { defineQuery, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TaskSubject } from '../../activities/tasks';
import type { PatchSnapshot } from '../../workflows/messages';
import { createTaskEngine, type TaskBookState } from '../../workflows/tasks';

export interface HarnessView {
  openTasks: Array<{ taskId: string; type: string; regionCode: string; dueAt: string; overdue: boolean; escalated: boolean; assignee?: { userId: number } }>;
  closed: string[];
  policyVersion: number;
}

export const harnessView = defineQuery<HarnessView>('harnessView');

export const HARNESS_SUBJECT: TaskSubject = { kind: 'patch', code: 'H-1', countyCode: '371502', batchKind: 'monthly', issuedAt: '2026-01-05T00:00:00.000Z' };

export async function taskEngineHarness(): Promise<string[]> {
  const state: TaskBookState = { seq: 0, events: 0, tasks: [], closedTaskIds: [], policyVersion: 0 };
  const engine = createTaskEngine({ workflowId: workflowInfo().workflowId, subject: HARNESS_SUBJECT, book: state, changed: () => undefined });
  const closed: string[] = [];
  const view = (): HarnessView => ({
    openTasks: engine.timedTasks().map((t) => ({
      taskId: t.taskId,
      type: t.type,
      regionCode: t.regionCode,
      dueAt: new Date(engine.effectiveDue(t)).toISOString(),
      overdue: t.overdue,
      escalated: t.escalated,
      assignee: t.assignee,
    })),
    closed,
    policyVersion: state.policyVersion,
  });
  engine.registerTaskHandlers({
    label: '测试图斑',
    snapshot: () => view() as unknown as PatchSnapshot,
    openTask: engine.openTask,
    onTaskCompleted: async (task, req) => {
      await engine.closeTask(task, 'completed', `${task.type}.completed`, req.actor, req.payload);
      closed.push(task.taskId);
      await engine.extendTarget(task, req.payload, req.actor);
    },
    validateCompletion: (req) => {
      const task = engine.taskFor(req.taskId, '测试图斑');
      engine.checkAccess(req.actor, task);
      engine.checkExtensionApproval(task, req.payload);
    },
  });
  setHandler(harnessView, view);
  await engine.exclusive(() => engine.openTask({ type: 'verification', regionCode: '371502', role: 'officer' }));
  while (engine.openTasks().length > 0) {
    await engine.waitForWork([engine.nextWakeAt()]);
    await engine.exclusive(async () => {
      await engine.fireDueTimers();
      await engine.applyPendingPolicyChange();
    });
  }
  return closed;
}
