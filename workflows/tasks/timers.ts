/**
 * Deadline timers of the open tasks, re-armable: a task past its due instant is marked overdue, escalated
 * after the policy's grace, then chased on the policy's cycle until it is done (004 三(三)).
 */
import { patched } from '@temporalio/workflow';
import type { TaskState } from '../messages';
import { acts } from './activities';
import type { TaskBook } from './book';

/** A task's due instant passed; return true when the caller handled it (no overdue marking). */
export type ExpiredHandler = (task: TaskState) => Promise<boolean>;

export class TaskTimers {
  constructor(
    private readonly book: TaskBook,
    private readonly expired?: ExpiredHandler,
  ) {}

  /** Overdue marking and escalation for every task whose instant has come (and the caller's own hand-overs). */
  async fireDueTimers(): Promise<void> {
    const { book } = this;
    const { subject } = book;
    const now = Date.now();
    for (const task of book.timedTasks()) {
      if (task.status !== 'open') continue;
      const due = book.effectiveDue(task);
      if (now >= due && this.expired && (await this.expired(task))) continue;
      if (!task.overdue && now >= due) {
        await acts.markTaskOverdue({ taskId: task.taskId, subject, eventKey: book.nextEventKey() });
        task.overdue = true;
      }
      if (task.overdue && !task.escalated && now >= due + task.escalateAfterMs) {
        const escalated = await acts.escalateOverdueTask({
          taskId: task.taskId,
          subject,
          eventKey: book.nextEventKey(),
          dueAt: due + task.escalateAfterMs,
          now,
        });
        task.escalated = true;
        // 未查处到位的要持续查处直至办结 (004 三(三)): the policy chases some task types again on a cycle after the escalation.
        // Older runs (whose activity answered nothing) and histories from before 'overdue-follow-up' do not.
        if (escalated?.followUpAt && patched('overdue-follow-up')) task.followUpAt = Date.parse(escalated.followUpAt);
      }
      if (task.escalated && task.followUpAt !== undefined && now >= task.followUpAt) {
        const round = (task.reminders ?? 0) + 1;
        const next = await acts.remindOverdueTask({ taskId: task.taskId, subject, eventKey: book.nextEventKey(), round, dueAt: task.followUpAt, now });
        task.reminders = round;
        task.followUpAt = next.followUpAt ? Date.parse(next.followUpAt) : undefined;
      }
    }
  }

  /** The next instant a timer of an open task fires; a task the caller hands over when due has no later timer. */
  nextWakeAt(handedOver: (task: TaskState) => boolean = () => false): number | undefined {
    let next: number | undefined;
    for (const task of this.book.timedTasks()) {
      const due = this.book.effectiveDue(task);
      const at = handedOver(task) || !task.overdue ? due : !task.escalated ? due + task.escalateAfterMs : task.followUpAt;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }
}
