/**
 * The book of a workflow's open tasks: opening a task through an activity (which writes the read model and
 * answers with the due instant from the region's policy), closing it, and finding the task a message names.
 * The caller owns the state object; the book mutates it.
 */
import type { CaseUpdate, PatchUpdate, TaskSubject } from '../../activities/tasks';
import type { Actor } from '../../domain/types';
import type { TaskState } from '../messages';
import { taskActivities } from './activities';
import { fail, type OpenTaskSpec, SYSTEM, type TaskBookState } from './types';

const CLOSED_IDS_KEPT = 50;

export type TaskCloseStatus = 'completed' | 'cancelled' | 'expired';

export class TaskBook {
  constructor(
    readonly workflowId: string,
    readonly subject: TaskSubject,
    readonly state: TaskBookState,
  ) {}

  nextEventKey(): string {
    return `${this.workflowId}/e${++this.state.events}`;
  }

  openTasks(): TaskState[] {
    return this.state.tasks.filter((t) => t.status === 'open' || t.status === 'completing');
  }

  effectiveDue(t: TaskState): number {
    return t.extendedTo ?? t.dueAt;
  }

  /** Open tasks whose due instant is known (not still being opened). */
  timedTasks(): TaskState[] {
    return this.openTasks().filter((t) => !Number.isNaN(this.effectiveDue(t)));
  }

  /** A task of the book by its id, open or not. */
  find(taskId: string | undefined): TaskState | undefined {
    return this.state.tasks.find((t) => t.taskId === taskId);
  }

  /** The pending extension decision on a task, if any. */
  hasExtensionDecision(taskId: string): boolean {
    return this.state.tasks.some((t) => t.type === 'extension_decision' && t.targetTaskId === taskId);
  }

  async openTask(spec: OpenTaskSpec): Promise<TaskState> {
    const book = this.state;
    const taskId = `${this.workflowId}:${++book.seq}`;
    const eventAt = new Date(spec.eventAt ?? Date.now()).toISOString();
    // Known to the workflow before the read model shows it, so a completion that follows the row at once
    // is accepted (and waits for this transition to finish under the caller's lock).
    const task: TaskState = {
      taskId,
      type: spec.type,
      regionCode: spec.regionCode,
      role: spec.role,
      level: spec.level,
      restricted: spec.restricted ?? false,
      status: 'open',
      eventAt: Date.parse(eventAt),
      dueAt: Number.NaN,
      overdue: false,
      escalateAfterMs: 0,
      escalated: false,
      targetTaskId: spec.targetTaskId,
    };
    book.tasks.push(task);
    const opened = await taskActivities().openTask({
      taskId,
      eventKey: this.nextEventKey(),
      subject: this.subject,
      type: spec.type,
      regionCode: spec.regionCode,
      role: spec.role,
      level: spec.level,
      restricted: spec.restricted ?? false,
      eventAt,
      context: spec.context,
      patchUpdate: spec.patchUpdate,
      caseUpdate: spec.caseUpdate,
      actor: spec.actor,
      ...(spec.issuance ? { issuance: true } : {}),
    });
    task.dueAt = Date.parse(opened.dueAt);
    task.escalateAfterMs = opened.escalateAfterMs;
    task.rules = opened.rules;
    if (opened.latestDate) task.latestDate = opened.latestDate;
    book.policyVersion = Math.max(book.policyVersion, opened.policyVersion);
    return task;
  }

  async closeTask(
    task: TaskState,
    status: TaskCloseStatus,
    action: string,
    actor: Actor,
    result: unknown,
    update?: { patchUpdate?: PatchUpdate; caseUpdate?: CaseUpdate },
  ): Promise<void> {
    const book = this.state;
    await taskActivities().closeTask({
      taskId: task.taskId,
      eventKey: this.nextEventKey(),
      at: Date.now(),
      subject: this.subject,
      status,
      action,
      actor,
      result,
      patchUpdate: update?.patchUpdate,
      caseUpdate: update?.caseUpdate,
    });
    task.status = status;
    book.tasks = book.tasks.filter((t) => t !== task);
    book.closedTaskIds = [...book.closedTaskIds, task.taskId].slice(-CLOSED_IDS_KEPT);
    // An extension request dies with the task it was for.
    for (const pending of book.tasks.filter((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId && t.status === 'open')) {
      await this.closeTask(pending, 'cancelled', 'extension_decision.cancelled', SYSTEM, { reason: 'target task closed' });
    }
  }

  /** The open task an Update names, or the failure that answers the caller. */
  taskFor(taskId: string, label: string): TaskState {
    const task = this.find(taskId);
    if (!task) {
      if (this.state.closedTaskIds.includes(taskId)) fail('TaskNotOpen', '该任务已办结，不能重复提交');
      fail('TaskNotFound', `${label} 没有编号为 ${taskId} 的任务`);
    }
    if (task.status !== 'open') fail('TaskNotOpen', '该任务正在办理或已办结，不能重复提交');
    return task;
  }
}
