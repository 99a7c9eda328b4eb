/**
 * The messages every workflow with human tasks answers: a policy change (re-arm the timers), the
 * completion of a task, its assignment and an extension request (Updates, validated before they are accepted).
 */
import { setHandler } from '@temporalio/workflow';
import type { CaseSnapshot } from '../case/messages';
import {
  assignTaskUpdate,
  completeTaskUpdate,
  type CompleteTaskRequest,
  type PatchSnapshot,
  policyChangedSignal,
  requestExtensionUpdate,
  type TaskState,
} from '../messages';
import { checkHolder } from './access';
import type { Assignment } from './assignment';
import type { TaskBook } from './book';
import type { Extensions } from './extensions';
import type { PolicyChanges } from './policy';
import type { Scheduling } from './scheduling';
import type { OpenTaskSpec } from './types';

/** What the workflow brings: its label in messages, its snapshot, and its own opening and completion of tasks. */
export interface TaskHandlerHooks<S extends PatchSnapshot | CaseSnapshot> {
  label: string;
  snapshot: () => S;
  openTask: (spec: OpenTaskSpec) => Promise<TaskState>;
  onTaskCompleted: (task: TaskState, req: CompleteTaskRequest) => Promise<void>;
  validateCompletion: (req: CompleteTaskRequest) => void;
}

/** The engine's parts the handlers use. */
export interface TaskHandlerParts {
  book: TaskBook;
  scheduling: Scheduling;
  policy: PolicyChanges;
  assignment: Assignment;
  extensions: Extensions;
}

export function registerTaskHandlers<S extends PatchSnapshot | CaseSnapshot>(p: TaskHandlerParts, h: TaskHandlerHooks<S>): void {
  const { book, scheduling, policy, assignment, extensions } = p;
  setHandler(policyChangedSignal, ({ version, dues }) => policy.receive(version, dues));
  setHandler(
    completeTaskUpdate,
    async (req) => {
      const task = book.find(req.taskId)!;
      // Claimed before the first await, so a concurrent completion fails validation.
      task.status = 'completing';
      try {
        return await scheduling.exclusive(async () => {
          await h.onTaskCompleted(task, req);
          scheduling.wake();
          return h.snapshot();
        });
      } catch (err) {
        if (task.status === 'completing') task.status = 'open';
        throw err;
      }
    },
    {
      validator: (req) => {
        h.validateCompletion(req);
        checkHolder(req.actor, book.find(req.taskId)!);
      },
    },
  );
  setHandler(assignTaskUpdate, (req) => assignment.assign(req), { validator: (req) => assignment.validate(req, h.label) });
  setHandler(
    requestExtensionUpdate,
    (req) =>
      scheduling.exclusive(async () => {
        const spec = extensions.decisionSpec(req);
        if (spec) await h.openTask(spec);
        scheduling.wake();
        return h.snapshot();
      }),
    { validator: (req) => extensions.validateRequest(req, h.label) },
  );
}
