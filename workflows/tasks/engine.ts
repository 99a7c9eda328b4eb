/**
 * The human-task mechanics shared by the patch and the case workflows, put together: the book of tasks
 * (book.ts), the turn-taking of transitions (scheduling.ts), deadline timers and escalation (timers.ts),
 * policy re-application (policy.ts), extensions (extensions.ts), assignment (assignment.ts) and the message
 * handlers (handlers.ts). The caller owns its state object; the engine mutates the task part of it.
 */
import type { TaskSubject } from '../../activities/tasks';
import type { CaseSnapshot } from '../case/messages';
import type { PatchSnapshot } from '../messages';
import { checkAccess } from './access';
import { Assignment } from './assignment';
import { TaskBook } from './book';
import { Extensions } from './extensions';
import { registerTaskHandlers, type TaskHandlerHooks } from './handlers';
import { PolicyChanges } from './policy';
import { Scheduling } from './scheduling';
import { type ExpiredHandler, TaskTimers } from './timers';
import type { TaskBookState } from './types';

export function createTaskEngine(o: {
  workflowId: string;
  subject: TaskSubject;
  book: TaskBookState;
  /** Called after a task opens or closes, or a deadline changes (search attributes). */
  changed: () => void;
  /** A task's due instant passed; return true when the caller handled it (no overdue marking). */
  expired?: ExpiredHandler;
}) {
  const book = new TaskBook(o.workflowId, o.subject, o.book);
  const scheduling = new Scheduling();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => scheduling.exclusive(fn);
  const wake = () => scheduling.wake();
  const timers = new TaskTimers(book, o.expired);
  const policy = new PolicyChanges(book, wake);
  const assignment = new Assignment(book, exclusive);
  const extensions = new Extensions(book);
  const parts = { book, scheduling, policy, assignment, extensions };

  // Plain functions (callers take them out of the engine: `const { wake } = engine`).
  return {
    exclusive,
    wake,
    waitForWork: (instants: Array<number | undefined>) => scheduling.waitForWork(instants),
    applyPendingPolicyChange: () => policy.applyPending(),
    receivePolicyChange: (version: number | undefined) => policy.receive(version),
    pendingPolicyChange: () => policy.pending(),
    registerTaskHandlers: <S extends PatchSnapshot | CaseSnapshot>(h: TaskHandlerHooks<S>) => registerTaskHandlers(parts, h),
    nextEventKey: () => book.nextEventKey(),
    openTasks: () => book.openTasks(),
    timedTasks: () => book.timedTasks(),
    effectiveDue: (t: Parameters<TaskBook['effectiveDue']>[0]) => book.effectiveDue(t),
    openTask: book.openTask.bind(book),
    closeTask: book.closeTask.bind(book),
    taskFor: book.taskFor.bind(book),
    checkAccess,
    fireDueTimers: () => timers.fireDueTimers(),
    nextWakeAt: timers.nextWakeAt.bind(timers),
    applyPolicyChange: (version: number) => policy.apply(version),
    validateExtensionRequest: extensions.validateRequest.bind(extensions),
    extensionDecisionSpec: extensions.decisionSpec.bind(extensions),
    checkExtensionApproval: extensions.checkApproval.bind(extensions),
    extendTarget: extensions.extendTarget.bind(extensions),
  };
}

export type TaskEngine = ReturnType<typeof createTaskEngine>;
