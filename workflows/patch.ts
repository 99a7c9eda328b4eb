/**
 * patchWorkflow: one durable process per patch (workflow id = patch code), from issuance to closure.
 *
 * The state below is the whole truth about where the patch is; it is carried over continue-as-new.
 * Human tasks are opened by an activity (which writes the read model and returns the due instant from
 * the region's policy), completed through the `completeTask` Update, and watched by re-armable timers.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { PatchUpdate } from '../activities/tasks';
import { canActOnTask } from '../domain/authorization';
import { checkDetermination, type Determination } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import { SA } from '../domain/search-attributes';
import type { Actor, Legality, PatchStage, Role, TaskType } from '../domain/types';
import {
  completeTaskUpdate,
  type CompleteTaskRequest,
  type PatchInfo,
  type PatchSnapshot,
  policyChangedSignal,
  snapshotQuery,
  type TaskState,
} from './messages';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface PatchState {
  stage: PatchStage;
  /** Task sequence: task ids are `<workflowId>:<seq>`. */
  seq: number;
  /** Event sequence: audit event keys are `<workflowId>/e<events>`. */
  events: number;
  tasks: TaskState[];
  /** Ids of closed tasks (bounded), so a late completion is told "already done" rather than "unknown". */
  closedTaskIds: string[];
  legality?: Legality;
  determination?: Determination;
  directDetermination: boolean;
  policyVersion: number;
}

export interface PatchWorkflowInput {
  patch: PatchInfo;
  issuedBy?: Actor;
  /** Set by continue-as-new. */
  carried?: PatchState;
}

const TERMINAL: PatchStage[] = ['closed', 'military_offline'];
const CLOSED_IDS_KEPT = 50;

function fail(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

export async function patchWorkflow(input: PatchWorkflowInput): Promise<PatchSnapshot> {
  const { patch } = input;
  const workflowId = workflowInfo().workflowId;
  const state: PatchState = input.carried ?? {
    stage: 'issued',
    seq: 0,
    events: 0,
    tasks: [],
    closedTaskIds: [],
    directDetermination: false,
    policyVersion: 0,
  };

  /** Set whenever something the main loop waits on changes. */
  let dirty = false;
  let pendingPolicyVersion = 0;

  // Transitions run one at a time: an Update handler and a firing timer never interleave their steps.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const nextEventKey = () => `${workflowId}/e${++state.events}`;
  const openTasks = () => state.tasks.filter((t) => t.status === 'open' || t.status === 'completing');
  const effectiveDue = (t: TaskState) => t.extendedTo ?? t.dueAt;

  function snapshot(): PatchSnapshot {
    return {
      patchCode: patch.code,
      stage: state.stage,
      legality: state.legality,
      directDetermination: state.directDetermination,
      overdue: openTasks().some((t) => t.overdue),
      openTasks: openTasks().map((t) => ({
        taskId: t.taskId,
        type: t.type,
        regionCode: t.regionCode,
        role: t.role,
        dueAt: new Date(effectiveDue(t)).toISOString(),
        overdue: t.overdue,
      })),
      policyVersion: state.policyVersion,
    };
  }

  // Search attributes are upserted only when they change, to keep the history small.
  let lastSearchAttributes = '';
  function syncSearchAttributes() {
    const open = openTasks();
    const due = open.length ? Math.min(...open.map(effectiveDue)) : undefined;
    const values = {
      stage: state.stage,
      legality: state.legality ?? null,
      overdue: open.some((t) => t.overdue),
      due: due ?? null,
    };
    const key = JSON.stringify(values);
    if (key === lastSearchAttributes) return;
    lastSearchAttributes = key;
    upsertSearchAttributes([
      { key: SA.ProvinceCode, value: patch.provinceCode },
      { key: SA.CityCode, value: patch.cityCode },
      { key: SA.CountyCode, value: patch.countyCode },
      { key: SA.Category, value: patch.category },
      { key: SA.PatchSource, value: patch.source },
      { key: SA.BatchCode, value: patch.batchCode ?? null },
      { key: SA.Stage, value: values.stage },
      { key: SA.Legality, value: values.legality },
      { key: SA.Overdue, value: values.overdue },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  }

  async function openTask(spec: {
    type: TaskType;
    regionCode: string;
    role: Role;
    level?: ReviewLevel;
    restricted?: boolean;
    stage: PatchStage;
    context?: Record<string, unknown>;
    patchUpdate?: PatchUpdate;
    actor?: Actor;
  }): Promise<TaskState> {
    const taskId = `${workflowId}:${++state.seq}`;
    const eventAt = new Date(Date.now()).toISOString();
    const opened = await acts.openTask({
      taskId,
      eventKey: nextEventKey(),
      patch,
      type: spec.type,
      regionCode: spec.regionCode,
      role: spec.role,
      level: spec.level,
      restricted: spec.restricted ?? false,
      eventAt,
      context: spec.context,
      patchUpdate: { ...spec.patchUpdate, stage: spec.stage },
      actor: spec.actor,
    });
    const task: TaskState = {
      taskId,
      type: spec.type,
      regionCode: spec.regionCode,
      role: spec.role,
      level: spec.level,
      restricted: spec.restricted ?? false,
      status: 'open',
      eventAt: Date.parse(eventAt),
      dueAt: Date.parse(opened.dueAt),
      overdue: false,
      escalateAfterMs: opened.escalateAfterMs,
      escalated: false,
      rules: opened.rules,
    };
    state.tasks.push(task);
    state.stage = spec.stage;
    state.policyVersion = Math.max(state.policyVersion, opened.policyVersion);
    syncSearchAttributes();
    return task;
  }

  async function closeTask(
    task: TaskState,
    status: 'completed' | 'cancelled' | 'expired',
    action: string,
    actor: Actor,
    result: unknown,
    patchUpdate?: PatchUpdate,
  ): Promise<void> {
    await acts.closeTask({
      taskId: task.taskId,
      eventKey: nextEventKey(),
      patchCode: patch.code,
      status,
      action,
      actor,
      result,
      patchUpdate,
    });
    task.status = status;
    state.tasks = state.tasks.filter((t) => t !== task);
    state.closedTaskIds = [...state.closedTaskIds, task.taskId].slice(-CLOSED_IDS_KEPT);
    if (patchUpdate?.stage) state.stage = patchUpdate.stage;
    syncSearchAttributes();
  }

  /** The county's determination is final for this slice: legal and other close, illegal awaits its case. */
  async function determine(task: TaskState, actor: Actor, determination: Determination, result: unknown) {
    state.legality = determination.legality;
    state.determination = determination;
    const stage: PatchStage = determination.legality === 'illegal' ? 'case' : 'closed';
    await closeTask(task, 'completed', `${task.type}.completed`, actor, result, {
      stage,
      legality: determination.legality,
      determination,
    });
  }

  async function onTaskCompleted(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    const { payload, actor } = req;
    switch (payload.kind) {
      case 'verification':
        await determine(task, actor, payload.determination, payload);
        return;
      case 'military_report':
        // Military land is reported through the classified channel; the system records only that it was (000, 002, 004).
        await closeTask(task, 'completed', 'military_report.completed', actor, { reportedOffline: true }, { stage: 'military_offline' });
        return;
      default:
        fail('InvalidPayload', `任务类型 ${task.type} 暂不支持`);
    }
  }

  function validateCompletion(req: CompleteTaskRequest): void {
    const task = state.tasks.find((t) => t.taskId === req.taskId);
    if (!task) {
      if (state.closedTaskIds.includes(req.taskId)) fail('TaskNotOpen', '该任务已办结，不能重复提交');
      fail('TaskNotFound', `图斑 ${patch.code} 没有编号为 ${req.taskId} 的任务`);
    }
    if (task.status !== 'open') fail('TaskNotOpen', '该任务正在办理或已办结，不能重复提交');
    const access = canActOnTask(req.actor, task);
    if (!access.ok) fail('Forbidden', access.reason, { reasonEn: access.reasonEn });
    if (req.payload.kind !== task.type) fail('InvalidPayload', `提交内容（${req.payload.kind}）与任务类型（${task.type}）不符`);
    const determination = 'determination' in req.payload ? req.payload.determination : undefined;
    if (determination && task.rules) {
      const violations = checkDetermination(determination, { category: patch.category, rules: task.rules });
      if (violations.length) fail('RuleViolation', violations.map((v) => v.message).join('；'), violations);
    }
  }

  /** Overdue marking and escalation, for every task whose instant has come. */
  async function fireDueTimers(): Promise<void> {
    const now = Date.now();
    for (const task of openTasks()) {
      if (task.status !== 'open') continue;
      const due = effectiveDue(task);
      if (!task.overdue && now >= due) {
        await acts.markTaskOverdue({ taskId: task.taskId, patchCode: patch.code, eventKey: nextEventKey() });
        task.overdue = true;
      }
      if (task.overdue && !task.escalated && now >= due + task.escalateAfterMs) {
        await acts.escalateOverdueTask({ taskId: task.taskId, patchCode: patch.code, eventKey: nextEventKey() });
        task.escalated = true;
      }
    }
    syncSearchAttributes();
  }

  function nextWakeAt(): number | undefined {
    let next: number | undefined;
    for (const task of openTasks()) {
      const due = effectiveDue(task);
      const at = !task.overdue ? due : !task.escalated ? due + task.escalateAfterMs : undefined;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** A policy change reached this patch: recompute due instants of open tasks and re-arm the timers. */
  async function applyPolicyChange(): Promise<void> {
    const version = pendingPolicyVersion;
    pendingPolicyVersion = 0;
    const refs = openTasks()
      .filter((t) => t.extendedTo === undefined)
      .map((t) => ({ taskId: t.taskId, type: t.type, level: t.level, eventAt: new Date(t.eventAt).toISOString() }));
    if (refs.length === 0) {
      state.policyVersion = Math.max(state.policyVersion, version);
      return;
    }
    const res = await acts.recomputeDeadlines({ patch, tasks: refs, eventKey: nextEventKey(), policyVersion: version });
    const now = Date.now();
    for (const task of openTasks()) {
      const due = res.dueAt[task.taskId];
      if (!due) continue;
      task.dueAt = Date.parse(due);
      task.escalateAfterMs = res.escalateAfterMs;
      if (task.dueAt > now) {
        task.overdue = false;
        task.escalated = false;
      }
    }
    state.policyVersion = Math.max(state.policyVersion, version, res.policyVersion);
    syncSearchAttributes();
  }

  setHandler(snapshotQuery, snapshot);
  setHandler(policyChangedSignal, ({ version }) => {
    if (version > state.policyVersion && version > pendingPolicyVersion) {
      pendingPolicyVersion = version;
      dirty = true;
    }
  });
  setHandler(
    completeTaskUpdate,
    async (req) => {
      const task = state.tasks.find((t) => t.taskId === req.taskId)!;
      // Claimed before the first await, so a concurrent completion fails validation.
      task.status = 'completing';
      try {
        return await exclusive(async () => {
          await onTaskCompleted(task, req);
          dirty = true;
          return snapshot();
        });
      } catch (err) {
        if (task.status === 'completing') task.status = 'open';
        throw err;
      }
    },
    { validator: validateCompletion },
  );

  if (!input.carried) {
    syncSearchAttributes();
    await exclusive(async () => {
      if (patch.military) {
        // Only users with the classified-handling permission see this task (000 二(二)).
        await openTask({ type: 'military_report', regionCode: patch.countyCode, role: 'officer', restricted: true, stage: 'verification', actor: input.issuedBy });
      } else {
        await openTask({ type: 'verification', regionCode: patch.countyCode, role: 'officer', stage: 'verification', actor: input.issuedBy });
      }
    });
  } else {
    syncSearchAttributes();
  }

  while (!TERMINAL.includes(state.stage)) {
    const wakeAt = nextWakeAt();
    if (wakeAt === undefined) await condition(() => dirty);
    else await condition(() => dirty, Math.max(wakeAt - Date.now(), 1));
    dirty = false;
    await exclusive(async () => {
      await fireDueTimers();
      if (pendingPolicyVersion) await applyPolicyChange();
    });
    if (workflowInfo().continueAsNewSuggested && !TERMINAL.includes(state.stage)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof patchWorkflow>({ patch, carried: state });
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
