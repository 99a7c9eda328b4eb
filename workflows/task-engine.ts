/**
 * The human-task mechanics shared by the patch and the case workflows: opening a task through an
 * activity (which writes the read model and answers with the due instant from the region's policy),
 * closing it, re-armable deadline timers (overdue, escalation), policy re-application, and the checks an
 * Update validator makes. The caller owns its state object; the engine mutates the task part of it.
 */
import { ApplicationFailure, condition, patched, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CaseUpdate, PatchUpdate, TaskSubject } from '../activities/tasks';
import { assignmentProblem, canAssign } from '../domain/assignment';
import { canActOnTask, canSeeRegion } from '../domain/authorization';
import { endOfLocalDay, endOfLocalDayString, formatLocalDate, localDateOf } from '../domain/deadlines';
import type { ReviewLevel } from '../domain/policy';
import { NATIONAL_CODE, regionLevel } from '../domain/regions';
import type { Actor, Role, TaskType } from '../domain/types';
import {
  assignTaskUpdate,
  completeTaskUpdate,
  policyChangedSignal,
  requestExtensionUpdate,
  type AssignTaskRequest,
  type AssignTaskResult,
  type CompleteTaskRequest,
  type ExtensionRequest,
  type PatchSnapshot,
  type TaskHolder,
  type TaskPayload,
  type TaskState,
} from './messages';
import type { CaseSnapshot } from './case/messages';

export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Opening and closing a task are short database writes on the hot path of every patch: run as local
 * activities (in the worker, no task-queue round trip) since the 'local-task-activities' patch; histories
 * from before it keep replaying with the ordinary activities.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const taskActivities = () => (patched('local-task-activities') ? local : acts);

export const SYSTEM: Actor = { userId: 0, username: 'system', displayName: '系统', role: 'administrator', regionCode: NATIONAL_CODE, classified: true };

const CLOSED_IDS_KEPT = 50;

/** The part of a workflow's carried state that the engine keeps. */
export interface TaskBookState {
  /** Task sequence: task ids are `<workflowId>:<seq>`. */
  seq: number;
  /** Event sequence: audit event keys are `<workflowId>/e<events>`. */
  events: number;
  tasks: TaskState[];
  /** Ids of closed tasks (bounded), so a late completion is told "already done" rather than "unknown". */
  closedTaskIds: string[];
  policyVersion: number;
}

export interface OpenTaskSpec {
  type: TaskType;
  regionCode: string;
  role: Role;
  level?: ReviewLevel;
  restricted?: boolean;
  context?: Record<string, unknown>;
  patchUpdate?: PatchUpdate;
  caseUpdate?: CaseUpdate;
  /** Who opened it (its audit row): the name is all that is needed. */
  actor?: Pick<Actor, 'userId' | 'displayName'>;
  targetTaskId?: string;
  /** The instant its deadline counts from ('event' rules), when not its opening (epoch ms). */
  eventAt?: number;
  /** The patch's first task: its activity also writes the patch's `patch.issued` audit row (once, by its key). */
  issuance?: boolean;
}

/** The level above a region: county → city → province → the ministry. */
export function parentRegion(code: string): string {
  switch (regionLevel(code)) {
    case 'county':
      return `${code.slice(0, 4)}00`;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    default:
      return NATIONAL_CODE;
  }
}

export function fail(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

export function createTaskEngine(o: {
  workflowId: string;
  subject: TaskSubject;
  book: TaskBookState;
  /** Called after a task opens or closes, or a deadline changes (search attributes). */
  changed: () => void;
  /** A task's due instant passed; return true when the caller handled it (no overdue marking). */
  expired?: (task: TaskState) => Promise<boolean>;
}) {
  const { workflowId, subject, book } = o;

  // Transitions run one at a time: an Update handler and a firing timer never interleave their steps.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };
  /** Set whenever something the main loop waits on changes. */
  let dirty = false;
  const wake = () => {
    dirty = true;
  };
  let pendingPolicyVersion = 0;

  /** Sleeps until something happens or the earliest of the given instants comes. */
  async function waitForWork(instants: Array<number | undefined>): Promise<void> {
    const at = instants.filter((t): t is number => t !== undefined);
    if (at.length === 0) await condition(() => dirty);
    else await condition(() => dirty, Math.max(Math.min(...at) - Date.now(), 1));
    dirty = false;
  }

  const nextEventKey = () => `${workflowId}/e${++book.events}`;
  const openTasks = () => book.tasks.filter((t) => t.status === 'open' || t.status === 'completing');
  const effectiveDue = (t: TaskState) => t.extendedTo ?? t.dueAt;
  /** Open tasks whose due instant is known (not still being opened). */
  const timedTasks = () => openTasks().filter((t) => !Number.isNaN(effectiveDue(t)));

  async function openTask(spec: OpenTaskSpec): Promise<TaskState> {
    const taskId = `${workflowId}:${++book.seq}`;
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
      eventKey: nextEventKey(),
      subject,
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

  async function closeTask(
    task: TaskState,
    status: 'completed' | 'cancelled' | 'expired',
    action: string,
    actor: Actor,
    result: unknown,
    update?: { patchUpdate?: PatchUpdate; caseUpdate?: CaseUpdate },
  ): Promise<void> {
    await taskActivities().closeTask({
      taskId: task.taskId,
      eventKey: nextEventKey(),
      at: Date.now(),
      subject,
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
      await closeTask(pending, 'cancelled', 'extension_decision.cancelled', SYSTEM, { reason: 'target task closed' });
    }
  }

  /** The open task an Update names, or the failure that answers the caller. */
  function taskFor(taskId: string, label: string): TaskState {
    const task = book.tasks.find((t) => t.taskId === taskId);
    if (!task) {
      if (book.closedTaskIds.includes(taskId)) fail('TaskNotOpen', '该任务已办结，不能重复提交');
      fail('TaskNotFound', `${label} 没有编号为 ${taskId} 的任务`);
    }
    if (task.status !== 'open') fail('TaskNotOpen', '该任务正在办理或已办结，不能重复提交');
    return task;
  }

  /** `sameLevel: false` in an Update handler re-checking what its validator accepted (see canActOnTask). */
  function checkAccess(actor: Actor, task: TaskState, sameLevel = true): void {
    const access = canActOnTask(actor, task, { sameLevel });
    if (!access.ok) fail('Forbidden', access.reason, { reasonEn: access.reasonEn });
  }

  /** A held task is completed (or extended) by its holder only: anyone else is the wrong actor. */
  function checkHolder(actor: Actor, task: TaskState): void {
    if (task.assignee && task.assignee.userId !== actor.userId) {
      fail('Forbidden', `该任务已由${task.assignee.displayName}认领，只能由其办理`, {
        reasonEn: `the task is held by ${task.assignee.displayName}; only they can act on it`,
      });
    }
  }

  /** Who may claim, release or hand on a task (issue 5: officers claim their own; reviewers, supervisors and administrators assign). */
  function validateAssignment(req: AssignTaskRequest, label: string): void {
    const task = taskFor(req.taskId, label);
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
        if (!canAssign(req.actor.role)) fail('Forbidden', '只有审核员、督办员和管理员可以分派任务', { reasonEn: 'only reviewers, supervisors and administrators assign tasks' });
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

  async function assign(req: AssignTaskRequest): Promise<AssignTaskResult> {
    const task = book.tasks.find((t) => t.taskId === req.taskId)!;
    const before = task.assignee ?? null;
    const after: TaskHolder | null =
      req.action === 'claim' ? { userId: req.actor.userId, displayName: req.actor.displayName } : req.action === 'assign' ? { userId: req.assignee!.userId, displayName: req.assignee!.displayName } : null;
    if ((before?.userId ?? null) === (after?.userId ?? null)) return { taskId: task.taskId, assignee: before, changed: false };
    // Held before the first await: a claim racing this one is refused by its validator.
    task.assignee = after ?? undefined;
    return exclusive(async () => {
      await taskActivities().recordAssignment({
        taskId: task.taskId,
        eventKey: nextEventKey(),
        subject,
        actor: req.actor,
        action: req.action === 'claim' ? 'task.claimed' : req.action === 'unclaim' ? 'task.unclaimed' : 'task.assigned',
        before,
        after,
        bulk: req.bulk,
      });
      return { taskId: task.taskId, assignee: after, changed: true };
    });
  }

  /** Overdue marking and escalation for every task whose instant has come (and the caller's own hand-overs). */
  async function fireDueTimers(): Promise<void> {
    const now = Date.now();
    for (const task of timedTasks()) {
      if (task.status !== 'open') continue;
      const due = effectiveDue(task);
      if (now >= due && o.expired && (await o.expired(task))) continue;
      if (!task.overdue && now >= due) {
        await acts.markTaskOverdue({ taskId: task.taskId, subject, eventKey: nextEventKey() });
        task.overdue = true;
      }
      if (task.overdue && !task.escalated && now >= due + task.escalateAfterMs) {
        const escalated = await acts.escalateOverdueTask({ taskId: task.taskId, subject, eventKey: nextEventKey(), dueAt: due + task.escalateAfterMs, now });
        task.escalated = true;
        // 未查处到位的要持续查处直至办结 (004 三(三)): the policy chases some task types again on a cycle after the escalation.
        // Older runs (whose activity answered nothing) and histories from before 'overdue-follow-up' do not.
        if (escalated?.followUpAt && patched('overdue-follow-up')) task.followUpAt = Date.parse(escalated.followUpAt);
      }
      if (task.escalated && task.followUpAt !== undefined && now >= task.followUpAt) {
        const round = (task.reminders ?? 0) + 1;
        const next = await acts.remindOverdueTask({ taskId: task.taskId, subject, eventKey: nextEventKey(), round, dueAt: task.followUpAt, now });
        task.reminders = round;
        task.followUpAt = next.followUpAt ? Date.parse(next.followUpAt) : undefined;
      }
    }
  }

  function nextWakeAt(handedOver: (task: TaskState) => boolean = () => false): number | undefined {
    let next: number | undefined;
    for (const task of timedTasks()) {
      const due = effectiveDue(task);
      const at = handedOver(task) || !task.overdue ? due : !task.escalated ? due + task.escalateAfterMs : task.followUpAt;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** A policy change reached this workflow: recompute due instants of open tasks (not extended ones) and re-arm. */
  async function applyPolicyChange(version: number): Promise<void> {
    const open = timedTasks().filter((t) => t.status === 'open');
    const refs = open
      .filter((t) => t.extendedTo === undefined)
      .map((t) => ({ taskId: t.taskId, type: t.type, level: t.level, eventAt: new Date(t.eventAt).toISOString() }));
    if (refs.length === 0) {
      book.policyVersion = Math.max(book.policyVersion, version);
      return;
    }
    const res = await acts.recomputeDeadlines({ subject, tasks: refs, eventKey: nextEventKey(), policyVersion: version, now: Date.now() });
    const now = Date.now();
    for (const task of open) {
      task.escalateAfterMs = res.escalateAfterMs;
      if (task.rules) task.rules = res.rules;
      const due = res.dueAt[task.taskId];
      if (!due) continue;
      task.dueAt = Date.parse(due);
      if (task.dueAt > now) {
        task.overdue = false;
        task.escalated = false;
        task.followUpAt = undefined;
      }
    }
    book.policyVersion = Math.max(book.policyVersion, version, res.policyVersion);
  }

  /**
   * A policy version reached this workflow: by the signal, or carried over continue-as-new — a signal that
   * arrives after the last application and before the run continues as new would otherwise be lost.
   */
  function receivePolicyChange(version: number | undefined): void {
    if (version && version > book.policyVersion && version > pendingPolicyVersion) {
      pendingPolicyVersion = version;
      wake();
    }
  }

  /** The received policy version not applied yet, to carry into the next run. */
  const pendingPolicyChange = (): number | undefined => pendingPolicyVersion || undefined;

  /** Applies a policy change that a signal brought, if any; returns whether it ran. */
  async function applyPendingPolicyChange(): Promise<boolean> {
    if (!pendingPolicyVersion) return false;
    const version = pendingPolicyVersion;
    pendingPolicyVersion = 0;
    await applyPolicyChange(version);
    return true;
  }

  /**
   * The messages every workflow with human tasks answers: a policy change (re-arm the timers), the
   * completion of a task and an extension request (both Updates, validated before they are accepted).
   */
  function registerTaskHandlers<S extends PatchSnapshot | CaseSnapshot>(h: {
    label: string;
    snapshot: () => S;
    openTask: (spec: OpenTaskSpec) => Promise<TaskState>;
    onTaskCompleted: (task: TaskState, req: CompleteTaskRequest) => Promise<void>;
    validateCompletion: (req: CompleteTaskRequest) => void;
  }): void {
    setHandler(policyChangedSignal, ({ version }) => receivePolicyChange(version));
    setHandler(
      completeTaskUpdate,
      async (req) => {
        const task = book.tasks.find((t) => t.taskId === req.taskId)!;
        // Claimed before the first await, so a concurrent completion fails validation.
        task.status = 'completing';
        try {
          return await exclusive(async () => {
            await h.onTaskCompleted(task, req);
            wake();
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
          checkHolder(req.actor, book.tasks.find((t) => t.taskId === req.taskId)!);
        },
      },
    );
    setHandler(assignTaskUpdate, assign, { validator: (req) => validateAssignment(req, h.label) });
    setHandler(
      requestExtensionUpdate,
      (req) =>
        exclusive(async () => {
          const spec = extensionDecisionSpec(req);
          if (spec) await h.openTask(spec);
          wake();
          return h.snapshot();
        }),
      { validator: (req) => validateExtensionRequest(req, h.label) },
    );
  }

  // ---- extension requests: written, decided by a reviewer of the level above (000 三; 001 三(一); 002 三(三)) ----

  function validateExtensionRequest(req: ExtensionRequest, label: string): void {
    const task = taskFor(req.taskId, label);
    if (task.type === 'extension_decision') fail('InvalidPayload', '延期审批任务本身不能申请延期');
    checkAccess(req.actor, task);
    checkHolder(req.actor, task);
    if (book.tasks.some((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId)) {
      fail('Conflict', '该任务已有待审批的延期申请');
    }
    if (req.requestedDate && endOfLocalDayString(req.requestedDate).getTime() <= effectiveDue(task)) {
      const msg = `申请的日期须晚于现截止日期 ${formatLocalDate(effectiveDue(task))}`;
      fail('RuleViolation', msg, [{ path: 'requestedDate', rule: 'extension_not_later', message: msg }]);
    }
  }

  /** The task to open for a request, unless one is pending already. */
  function extensionDecisionSpec(req: ExtensionRequest): OpenTaskSpec | undefined {
    const task = book.tasks.find((t) => t.taskId === req.taskId && t.status === 'open');
    if (!task || book.tasks.some((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId)) return undefined;
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
        currentDueAt: new Date(effectiveDue(task)).toISOString(),
        requestedBy: req.actor.displayName,
      },
    };
  }

  function checkExtensionApproval(task: TaskState, payload: TaskPayload): void {
    if (payload.kind !== 'extension_decision' || payload.decision !== 'approve') return;
    const target = book.tasks.find((t) => t.taskId === task.targetTaskId);
    const granted = endOfLocalDayString(payload.newDueDate).getTime();
    const today = endOfLocalDay(localDateOf(Date.now())).getTime();
    if (granted < today) {
      fail('RuleViolation', '延期后的截止日期不能早于今天', [{ path: 'newDueDate', rule: 'extension_in_past', message: '延期后的截止日期不能早于今天' }]);
    }
    if (target && granted <= effectiveDue(target)) {
      const msg = `延期后的截止日期须晚于现截止日期 ${formatLocalDate(effectiveDue(target))}`;
      fail('RuleViolation', msg, [{ path: 'newDueDate', rule: 'extension_not_later', message: msg }]);
    }
  }

  /** After an approval: the target task is due at the end of the granted day. Returns whether a deadline moved. */
  async function extendTarget(task: TaskState, payload: TaskPayload, actor: Actor): Promise<boolean> {
    if (payload.kind !== 'extension_decision' || payload.decision !== 'approve') return false;
    const target = book.tasks.find((t) => t.taskId === task.targetTaskId);
    if (!target) return false;
    target.extendedTo = endOfLocalDayString(payload.newDueDate).getTime();
    if (target.extendedTo > Date.now()) {
      target.overdue = false;
      target.escalated = false;
      target.followUpAt = undefined;
    }
    await acts.applyExtension({ taskId: target.taskId, subject, dueAt: new Date(target.extendedTo).toISOString(), eventKey: nextEventKey(), actor, reason: payload.reason, now: Date.now() });
    return true;
  }

  return {
    exclusive,
    wake,
    waitForWork,
    applyPendingPolicyChange,
    receivePolicyChange,
    pendingPolicyChange,
    registerTaskHandlers,
    nextEventKey,
    openTasks,
    timedTasks,
    effectiveDue,
    openTask,
    closeTask,
    taskFor,
    checkAccess,
    fireDueTimers,
    nextWakeAt,
    applyPolicyChange,
    validateExtensionRequest,
    extensionDecisionSpec,
    checkExtensionApproval,
    extendTarget,
  };
}

export type TaskEngine = ReturnType<typeof createTaskEngine>;
