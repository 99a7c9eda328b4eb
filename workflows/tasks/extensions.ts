/**
 * Extension requests: written, decided by a reviewer of the level above (000 三; 001 三(一); 002 三(三)).
 * The request opens an extension-decision task; its approval moves the target task's deadline to the end
 * of the granted day.
 */
import { endOfLocalDay, endOfLocalDayString, formatLocalDate, localDateOf } from '../../domain/deadlines';
import type { Actor } from '../../domain/types';
import type { ExtensionRequest, TaskPayload, TaskState } from '../messages';
import { checkAccess, checkHolder } from './access';
import { acts } from './activities';
import type { TaskBook } from './book';
import { fail, type OpenTaskSpec, parentRegion } from './types';

export class Extensions {
  constructor(private readonly book: TaskBook) {}

  validateRequest(req: ExtensionRequest, label: string): void {
    const { book } = this;
    const task = book.taskFor(req.taskId, label);
    if (task.type === 'extension_decision') fail('InvalidPayload', '延期审批任务本身不能申请延期');
    checkAccess(req.actor, task);
    checkHolder(req.actor, task);
    if (book.hasExtensionDecision(task.taskId)) {
      fail('Conflict', '该任务已有待审批的延期申请');
    }
    if (req.requestedDate && endOfLocalDayString(req.requestedDate).getTime() <= book.effectiveDue(task)) {
      const msg = `申请的日期须晚于现截止日期 ${formatLocalDate(book.effectiveDue(task))}`;
      fail('RuleViolation', msg, [{ path: 'requestedDate', rule: 'extension_not_later', message: msg }]);
    }
  }

  /** The task to open for a request, unless one is pending already. */
  decisionSpec(req: ExtensionRequest): OpenTaskSpec | undefined {
    const { book } = this;
    const task = book.state.tasks.find((t) => t.taskId === req.taskId && t.status === 'open');
    if (!task || book.hasExtensionDecision(task.taskId)) return undefined;
    return {
      type: 'extension_decision',
      regionCode: parentRegion(task.regionCode),
      role: 'reviewer',
      // The decision on a restricted (military) task is as restricted as the task (000, 002, 004). Only an
      // activity argument changes, not the command sequence: recorded histories replay as they are.
      restricted: task.restricted,
      targetTaskId: task.taskId,
      actor: req.actor,
      context: {
        targetTaskId: task.taskId,
        targetType: task.type,
        reason: req.reason,
        requestedDate: req.requestedDate,
        currentDueAt: new Date(book.effectiveDue(task)).toISOString(),
        requestedBy: req.actor.displayName,
      },
    };
  }

  /** The checks on an approval: the granted day is today or later, and later than the deadline it replaces. */
  checkApproval(task: TaskState, payload: TaskPayload): void {
    if (payload.kind !== 'extension_decision' || payload.decision !== 'approve') return;
    const target = this.book.find(task.targetTaskId);
    const granted = endOfLocalDayString(payload.newDueDate).getTime();
    const today = endOfLocalDay(localDateOf(Date.now())).getTime();
    if (granted < today) {
      fail('RuleViolation', '延期后的截止日期不能早于今天', [{ path: 'newDueDate', rule: 'extension_in_past', message: '延期后的截止日期不能早于今天' }]);
    }
    if (target && granted <= this.book.effectiveDue(target)) {
      const msg = `延期后的截止日期须晚于现截止日期 ${formatLocalDate(this.book.effectiveDue(target))}`;
      fail('RuleViolation', msg, [{ path: 'newDueDate', rule: 'extension_not_later', message: msg }]);
    }
  }

  /** After an approval: the target task is due at the end of the granted day. Returns whether a deadline moved. */
  async extendTarget(task: TaskState, payload: TaskPayload, actor: Actor): Promise<boolean> {
    if (payload.kind !== 'extension_decision' || payload.decision !== 'approve') return false;
    const { book } = this;
    const target = book.find(task.targetTaskId);
    if (!target) return false;
    target.extendedTo = endOfLocalDayString(payload.newDueDate).getTime();
    if (target.extendedTo > Date.now()) {
      target.overdue = false;
      target.escalated = false;
      target.followUpAt = undefined;
    }
    await acts.applyExtension({
      taskId: target.taskId,
      subject: book.subject,
      dueAt: new Date(target.extendedTo).toISOString(),
      eventKey: book.nextEventKey(),
      actor,
      reason: payload.reason,
      now: Date.now(),
    });
    return true;
  }
}
