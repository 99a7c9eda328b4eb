/** Who may act on a task: the checks an Update validator (and its handler) makes. */
import { canActOnTask } from '../../domain/authorization';
import type { Actor } from '../../domain/types';
import type { TaskState } from '../messages';
import { fail } from './types';

/** `sameLevel: false` in an Update handler re-checking what its validator accepted (see canActOnTask). */
export function checkAccess(actor: Actor, task: TaskState, sameLevel = true): void {
  const access = canActOnTask(actor, task, { sameLevel });
  if (!access.ok) fail('Forbidden', access.reason, { reasonEn: access.reasonEn });
}

/** A held task is completed (or extended) by its holder only: anyone else is the wrong actor. */
export function checkHolder(actor: Actor, task: TaskState): void {
  if (task.assignee && task.assignee.userId !== actor.userId) {
    fail('Forbidden', `该任务已由${task.assignee.displayName}认领，只能由其办理`, {
      reasonEn: `the task is held by ${task.assignee.displayName}; only they can act on it`,
    });
  }
}
