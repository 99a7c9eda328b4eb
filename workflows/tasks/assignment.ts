/**
 * Who holds a task: officers claim their own; reviewers, supervisors and administrators assign (issue 5).
 * A held task is completed or extended by its holder only (see access.ts).
 */
import { assignmentProblem, canAssign } from '../../domain/assignment';
import { canSeeRegion } from '../../domain/authorization';
import type { AssignTaskRequest, AssignTaskResult, TaskHolder } from '../messages';
import { checkAccess } from './access';
import { taskActivities } from './activities';
import type { TaskBook } from './book';
import { fail } from './types';

export class Assignment {
  constructor(
    private readonly book: TaskBook,
    private readonly exclusive: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  /** Who may claim, release or hand on a task. */
  validate(req: AssignTaskRequest, label: string): void {
    const task = this.book.taskFor(req.taskId, label);
    const held = (name: string) => fail('Conflict', `该任务已由${name}认领`, { reasonEn: `the task is already claimed by ${name}` });
    switch (req.action) {
      case 'claim':
        checkAccess(req.actor, task);
        if (task.assignee && task.assignee.userId !== req.actor.userId) held(task.assignee.displayName);
        return;
      case 'unclaim':
        if (!task.assignee || task.assignee.userId === req.actor.userId) return;
        if (!canAssign(req.actor.role) || !canSeeRegion(req.actor, task.regionCode).ok) held(task.assignee.displayName);
        return;
      case 'assign': {
        const region = canSeeRegion(req.actor, task.regionCode);
        if (!canAssign(req.actor.role))
          fail('Forbidden', '只有审核员、督办员和管理员可以分派任务', { reasonEn: 'only reviewers, supervisors and administrators assign tasks' });
        if (!region.ok) fail('Forbidden', region.reason, { reasonEn: region.reasonEn });
        const problem = assignmentProblem(task, req.assignee);
        if (problem) {
          const message = `不能分派给该用户：${problem.message}`;
          fail('InvalidPayload', message, [{ path: 'userId', message: problem.message, messageEn: problem.messageEn, rule: 'assignee' }]);
        }
        return;
      }
      default:
        fail('InvalidPayload', '未知的分派操作');
    }
  }

  /** Records the new holder (nothing when it does not change). */
  async assign(req: AssignTaskRequest): Promise<AssignTaskResult> {
    const { book } = this;
    const task = book.find(req.taskId)!;
    const before = task.assignee ?? null;
    const after: TaskHolder | null =
      req.action === 'claim'
        ? { userId: req.actor.userId, displayName: req.actor.displayName }
        : req.action === 'assign'
          ? { userId: req.assignee!.userId, displayName: req.assignee!.displayName }
          : null;
    if ((before?.userId ?? null) === (after?.userId ?? null)) return { taskId: task.taskId, assignee: before, changed: false };
    // Held before the first await: a claim racing this one is refused by its validator.
    task.assignee = after ?? undefined;
    return this.exclusive(async () => {
      await taskActivities().recordAssignment({
        taskId: task.taskId,
        eventKey: book.nextEventKey(),
        subject: book.subject,
        actor: req.actor,
        action: req.action === 'claim' ? 'task.claimed' : req.action === 'unclaim' ? 'task.unclaimed' : 'task.assigned',
        before,
        after,
        bulk: req.bulk,
      });
      return { taskId: task.taskId, assignee: after, changed: true };
    });
  }
}
