/**
 * patchWorkflow: one durable process per patch (workflow id = patch code), from issuance to closure
 * (DOMAIN.md §1–5): county verification → the review chain with send-back, correction and direct
 * determination → on-site checks by a higher level → closed, or handed to a violation case.
 *
 * The state below is the whole truth about where the patch is; it is carried over continue-as-new.
 * Human tasks are opened by an activity (which writes the read model and returns the due instant from
 * the region's policy), completed through the `completeTask` Update, and watched by re-armable timers.
 * Every transition runs under one lock, so an Update and a firing timer never interleave.
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
import { endOfLocalDay, endOfLocalDayString, formatLocalDate, localDateOf } from '../domain/deadlines';
import { checkDetermination, type Determination } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import { levelRegion, type ReviewDecision } from '../domain/review';
import { NATIONAL_CODE, regionLevel } from '../domain/regions';
import { SA } from '../domain/search-attributes';
import type { Actor, Legality, PatchStage, Role, TaskType } from '../domain/types';
import {
  caseStatusSignal,
  completeTaskUpdate,
  type CompleteTaskRequest,
  type ExtensionRequest,
  type PatchInfo,
  type PatchSnapshot,
  policyChangedSignal,
  requestExtensionUpdate,
  snapshotQuery,
  type TaskState,
} from './messages';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface OnsiteRecord {
  level: ReviewLevel;
  result: 'confirmed' | 'overturned';
  from?: Legality;
  to?: Legality;
}

export interface PatchState {
  stage: PatchStage;
  /** Task sequence: task ids are `<workflowId>:<seq>`. */
  seq: number;
  /** Event sequence: audit event keys are `<workflowId>/e<events>`. */
  events: number;
  tasks: TaskState[];
  /** Ids of closed tasks (bounded), so a late completion is told "already done" rather than "unknown". */
  closedTaskIds: string[];
  policyVersion: number;
  determination?: Determination;
  /** The county's first determination: what it reported. */
  countyLegality?: Legality;
  determinedLevel: 'county' | ReviewLevel;
  directDetermination: boolean;
  /** Position in the region's review chain of the level reviewing (or last reviewed). */
  reviewIndex: number;
  sendBacks: number;
  draws: ReviewDecision[];
  onsite: OnsiteRecord[];
  caseNo?: string;
}

export interface PatchWorkflowInput {
  patch: PatchInfo;
  issuedBy?: Actor;
  /** Set by continue-as-new. */
  carried?: PatchState;
}

const TERMINAL: PatchStage[] = ['closed', 'military_offline'];
const CLOSED_IDS_KEPT = 50;
const SYSTEM: Actor = { userId: 0, username: 'system', displayName: '系统', role: 'administrator', regionCode: NATIONAL_CODE, classified: true };

function fail(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}

/** The level above a region: county → city → province → the ministry. */
function parentRegion(code: string): string {
  switch (regionLevel(code)) {
    case 'county':
      return `${code.slice(0, 4)}00`;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    default:
      return NATIONAL_CODE;
  }
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
    policyVersion: 0,
    determinedLevel: 'county',
    directDetermination: false,
    reviewIndex: 0,
    sendBacks: 0,
    draws: [],
    onsite: [],
  };

  /** Set whenever something the main loop waits on changes. */
  let dirty = false;
  let pendingPolicyVersion = 0;

  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const nextEventKey = () => `${workflowId}/e${++state.events}`;
  const openTasks = () => state.tasks.filter((t) => t.status === 'open' || t.status === 'completing');
  const effectiveDue = (t: TaskState) => t.extendedTo ?? t.dueAt;
  /** Open tasks whose due instant is known (not still being opened). */
  const timedTasks = () => openTasks().filter((t) => !Number.isNaN(effectiveDue(t)));
  const concealed = () =>
    (state.countyLegality === 'legal' || state.countyLegality === 'other') && state.determination?.legality === 'illegal';

  function snapshot(): PatchSnapshot {
    return {
      patchCode: patch.code,
      stage: state.stage,
      legality: state.determination?.legality,
      determinedLevel: state.determinedLevel,
      directDetermination: state.directDetermination,
      concealed: concealed(),
      sendBacks: state.sendBacks,
      caseNo: state.caseNo,
      overdue: openTasks().some((t) => t.overdue),
      openTasks: timedTasks().map((t) => ({
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

  /** The patch fields every determination change writes to the read model. */
  function determinationUpdate(): PatchUpdate {
    return {
      legality: state.determination?.legality ?? null,
      determination: state.determination ?? null,
      directDetermination: state.directDetermination,
      determinedLevel: state.determinedLevel,
      countyLegality: state.countyLegality,
      concealed: concealed(),
      sendBackCount: state.sendBacks,
    };
  }

  // Search attributes are upserted only when they change, to keep the history small.
  let lastSearchAttributes = '';
  function syncSearchAttributes() {
    const open = timedTasks();
    const due = open.length ? Math.min(...open.map(effectiveDue)) : undefined;
    const values = { stage: state.stage, legality: state.determination?.legality ?? null, overdue: open.some((t) => t.overdue), due: due ?? null };
    const key = JSON.stringify(values);
    if (key === lastSearchAttributes) return;
    const first = lastSearchAttributes === '';
    lastSearchAttributes = key;
    upsertSearchAttributes([
      ...(first
        ? [
            { key: SA.ProvinceCode, value: patch.provinceCode },
            { key: SA.CityCode, value: patch.cityCode },
            { key: SA.CountyCode, value: patch.countyCode },
            { key: SA.Category, value: patch.category },
            { key: SA.PatchSource, value: patch.source },
            { key: SA.BatchCode, value: patch.batchCode ?? null },
          ]
        : []),
      { key: SA.Stage, value: values.stage },
      { key: SA.Legality, value: values.legality },
      { key: SA.Overdue, value: values.overdue },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  }

  // ---- tasks -------------------------------------------------------------------------------

  async function openTask(spec: {
    type: TaskType;
    regionCode: string;
    role: Role;
    level?: ReviewLevel;
    restricted?: boolean;
    /** The stage the patch enters; unset for side tasks (extension decisions). */
    stage?: PatchStage;
    context?: Record<string, unknown>;
    patchUpdate?: PatchUpdate;
    actor?: Actor;
    targetTaskId?: string;
  }): Promise<TaskState> {
    const taskId = `${workflowId}:${++state.seq}`;
    const eventAt = new Date(Date.now()).toISOString();
    // Known to the workflow before the read model shows it, so a completion that follows the row at once
    // is accepted (and waits for this transition to finish under the lock).
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
    state.tasks.push(task);
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
      patchUpdate: { ...spec.patchUpdate, ...(spec.stage ? { stage: spec.stage } : {}) },
      actor: spec.actor,
    });
    task.dueAt = Date.parse(opened.dueAt);
    task.escalateAfterMs = opened.escalateAfterMs;
    task.rules = opened.rules;
    if (spec.stage) state.stage = spec.stage;
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
    await acts.closeTask({ taskId: task.taskId, eventKey: nextEventKey(), patchCode: patch.code, status, action, actor, result, patchUpdate });
    task.status = status;
    state.tasks = state.tasks.filter((t) => t !== task);
    state.closedTaskIds = [...state.closedTaskIds, task.taskId].slice(-CLOSED_IDS_KEPT);
    if (patchUpdate?.stage) state.stage = patchUpdate.stage;
    // An extension request dies with the task it was for.
    for (const pending of state.tasks.filter((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId && t.status === 'open')) {
      await closeTask(pending, 'cancelled', 'extension_decision.cancelled', SYSTEM, { reason: 'target task closed' });
    }
    syncSearchAttributes();
  }

  // ---- the lifecycle -----------------------------------------------------------------------

  const levelContext = () => ({ determination: state.determination, countyLegality: state.countyLegality, sendBacks: state.sendBacks });

  /** The county filed (or corrected) its determination; the first one is what it reported. */
  function countyDetermined(d: Determination) {
    state.determination = d;
    state.countyLegality ??= d.legality;
    state.determinedLevel = 'county';
  }

  /** Walks the review chain from `index`: opens the first level that covers the patch, or moves on. */
  async function continueReview(index: number) {
    for (let i = index; ; i++) {
      const decision = await acts.decideReviewLevel({ patch, determination: state.determination!, levelIndex: i, eventKey: nextEventKey() });
      if (!decision) return finishDetermination();
      state.draws = [...state.draws.filter((d) => d.level !== decision.level), decision];
      if (!decision.selected) continue;
      state.reviewIndex = i;
      await openTask({
        type: 'review',
        regionCode: decision.regionCode,
        role: 'reviewer',
        level: decision.level,
        stage: 'review',
        context: { ...levelContext(), level: decision.level, coverage: decision },
        patchUpdate: determinationUpdate(),
      });
      return;
    }
  }

  /** After the chain: on-site checks by a higher level where the thresholds say so, then the outcome. */
  async function finishDetermination(after?: ReviewLevel) {
    const check = await acts.decideOnsiteCheck({ patch, determination: state.determination!, after });
    if (check) {
      await openTask({
        type: 'onsite_check',
        regionCode: check.regionCode,
        role: 'reviewer',
        level: check.level,
        stage: 'onsite_check',
        context: { ...levelContext(), level: check.level, thresholds: check.rules },
        patchUpdate: determinationUpdate(),
      });
      return;
    }
    await finalize();
  }

  async function finalize() {
    if (state.determination?.legality === 'illegal') {
      // The case is its own process; this patch stays open until the case reports back (DOMAIN.md §6).
      const { caseNo } = await acts.requestCase({ patch, determination: state.determination, eventKey: nextEventKey(), actor: SYSTEM });
      state.caseNo = caseNo;
      state.stage = 'case';
      await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.case_requested', actor: SYSTEM, patchUpdate: { ...determinationUpdate(), stage: 'case', caseNo } });
    } else {
      state.stage = 'closed';
      await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.closed', actor: SYSTEM, patchUpdate: { ...determinationUpdate(), stage: 'closed', closed: true } });
    }
    syncSearchAttributes();
  }

  async function openDirectDetermination(level: ReviewLevel, why: 'declined' | 'expired', reason?: string) {
    await openTask({
      type: 'direct_determination',
      regionCode: levelRegion(level, patch.countyCode),
      role: 'reviewer',
      level,
      stage: 'direct_determination',
      context: { ...levelContext(), level, why, reason },
    });
  }

  async function onTaskCompleted(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    // A completion accepted while the task was still being opened is checked against its rules now.
    checkCompletion(task, req);
    const { payload, actor } = req;
    const done = (update?: PatchUpdate) => closeTask(task, 'completed', `${task.type}.completed`, actor, payload, update);
    switch (payload.kind) {
      case 'verification':
        countyDetermined(payload.determination);
        await done(determinationUpdate());
        await continueReview(0);
        return;
      case 'correction':
        if (payload.decision === 'submit') {
          countyDetermined(payload.determination);
          await done(determinationUpdate());
          // The level that sent it back looks again.
          await continueReview(state.reviewIndex);
        } else {
          await done();
          await openDirectDetermination(task.level!, 'declined', payload.reason);
        }
        return;
      case 'review':
        if (payload.decision === 'pass') {
          await done();
          await continueReview(state.reviewIndex + 1);
        } else {
          state.sendBacks += 1;
          await done({ sendBackCount: state.sendBacks });
          // 退回: the county corrects by the policy's correction deadline (Liaocheng: the 25th, 003).
          await openTask({
            type: 'correction',
            regionCode: patch.countyCode,
            role: 'officer',
            level: task.level,
            stage: 'correction',
            context: { ...levelContext(), level: task.level, reason: payload.reason, sentBackBy: actor.displayName },
          });
        }
        return;
      case 'direct_determination':
        // 直接认定: marked as such and counted as such (000 二(四); 001 三(三); 003 四(二)).
        state.determination = payload.determination;
        state.directDetermination = true;
        state.determinedLevel = task.level!;
        await done(determinationUpdate());
        await continueReview(state.reviewIndex + 1);
        return;
      case 'onsite_check':
        if (payload.decision === 'confirm') {
          state.onsite = [...state.onsite, { level: task.level!, result: 'confirmed' }];
          await done({ onsiteChecks: state.onsite });
        } else {
          state.onsite = [...state.onsite, { level: task.level!, result: 'overturned', from: state.determination?.legality, to: payload.determination.legality }];
          state.determination = payload.determination;
          state.determinedLevel = task.level!;
          await done({ ...determinationUpdate(), onsiteChecks: state.onsite });
        }
        await finishDetermination(task.level);
        return;
      case 'extension_decision': {
        const target = state.tasks.find((t) => t.taskId === task.targetTaskId);
        await done();
        if (payload.decision === 'approve' && target) {
          target.extendedTo = endOfLocalDayString(payload.newDueDate).getTime();
          if (target.extendedTo > Date.now()) {
            target.overdue = false;
            target.escalated = false;
          }
          await acts.applyExtension({ taskId: target.taskId, patchCode: patch.code, dueAt: new Date(target.extendedTo).toISOString(), eventKey: nextEventKey(), actor, reason: payload.reason, now: Date.now() });
          syncSearchAttributes();
        }
        return;
      }
      case 'military_report':
        // Military land is reported through the classified channel; the system records only that it was (000, 002, 004).
        await closeTask(task, 'completed', 'military_report.completed', actor, { reportedOffline: true, reference: payload.reference }, { stage: 'military_offline', closed: true });
        return;
    }
  }

  // ---- validation (synchronous, no I/O: a rejected Update leaves no trace in history) -------

  function taskFor(taskId: string): TaskState {
    const task = state.tasks.find((t) => t.taskId === taskId);
    if (!task) {
      if (state.closedTaskIds.includes(taskId)) fail('TaskNotOpen', '该任务已办结，不能重复提交');
      fail('TaskNotFound', `图斑 ${patch.code} 没有编号为 ${taskId} 的任务`);
    }
    if (task.status !== 'open') fail('TaskNotOpen', '该任务正在办理或已办结，不能重复提交');
    return task;
  }

  function validateCompletion(req: CompleteTaskRequest): void {
    checkCompletion(taskFor(req.taskId), req);
  }

  /** Who may complete the task and whether the payload keeps the region's rules (also re-checked once a task being opened is open). */
  function checkCompletion(task: TaskState, req: CompleteTaskRequest): void {
    const access = canActOnTask(req.actor, task);
    if (!access.ok) fail('Forbidden', access.reason, { reasonEn: access.reasonEn });
    const payload = req.payload;
    if (payload.kind !== task.type) fail('InvalidPayload', `提交内容（${payload.kind}）与任务类型（${task.type}）不符`);
    const determination = 'determination' in payload ? payload.determination : undefined;
    if (determination && task.rules) {
      const violations = checkDetermination(determination, { category: patch.category, rules: task.rules });
      if (violations.length) fail('RuleViolation', violations.map((v) => v.message).join('；'), violations);
    }
    if (payload.kind === 'extension_decision' && payload.decision === 'approve') {
      const target = state.tasks.find((t) => t.taskId === task.targetTaskId);
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
  }

  function validateExtensionRequest(req: ExtensionRequest): void {
    const task = taskFor(req.taskId);
    if (task.type === 'extension_decision') fail('InvalidPayload', '延期审批任务本身不能申请延期');
    const access = canActOnTask(req.actor, task);
    if (!access.ok) fail('Forbidden', access.reason, { reasonEn: access.reasonEn });
    if (state.tasks.some((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId)) {
      fail('Conflict', '该任务已有待审批的延期申请');
    }
    if (req.requestedDate && endOfLocalDayString(req.requestedDate).getTime() <= effectiveDue(task)) {
      const msg = `申请的日期须晚于现截止日期 ${formatLocalDate(effectiveDue(task))}`;
      fail('RuleViolation', msg, [{ path: 'requestedDate', rule: 'extension_not_later', message: msg }]);
    }
  }

  // ---- timers --------------------------------------------------------------------------------

  /** Overdue marking, escalation, and the one automatic decision: an expired correction goes to direct determination. */
  async function fireDueTimers(): Promise<void> {
    const now = Date.now();
    for (const task of timedTasks()) {
      if (task.status !== 'open') continue;
      const due = effectiveDue(task);
      if (task.type === 'correction' && now >= due) {
        // 拒不修正: the correction deadline passed, so the level that sent it back determines directly (000 二(四)).
        await closeTask(task, 'expired', 'correction.expired', SYSTEM, { dueAt: new Date(due).toISOString() });
        await openDirectDetermination(task.level!, 'expired');
        continue;
      }
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
    for (const task of timedTasks()) {
      const due = effectiveDue(task);
      const at = task.type === 'correction' || !task.overdue ? due : !task.escalated ? due + task.escalateAfterMs : undefined;
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    return next;
  }

  /** A policy change reached this patch: recompute due instants of open tasks and re-arm the timers. */
  async function applyPolicyChange(): Promise<void> {
    const version = pendingPolicyVersion;
    pendingPolicyVersion = 0;
    const open = timedTasks().filter((t) => t.status === 'open');
    const refs = open
      .filter((t) => t.extendedTo === undefined)
      .map((t) => ({ taskId: t.taskId, type: t.type, level: t.level, eventAt: new Date(t.eventAt).toISOString() }));
    if (refs.length === 0) {
      state.policyVersion = Math.max(state.policyVersion, version);
      return;
    }
    const res = await acts.recomputeDeadlines({ patch, tasks: refs, eventKey: nextEventKey(), policyVersion: version, now: Date.now() });
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
      }
    }
    state.policyVersion = Math.max(state.policyVersion, version, res.policyVersion);
    syncSearchAttributes();
  }

  // ---- handlers ------------------------------------------------------------------------------

  setHandler(snapshotQuery, snapshot);
  setHandler(policyChangedSignal, ({ version }) => {
    if (version > state.policyVersion && version > pendingPolicyVersion) {
      pendingPolicyVersion = version;
      dirty = true;
    }
  });
  setHandler(caseStatusSignal, async (status) => {
    if (!status.closed || state.stage !== 'case') return;
    await exclusive(async () => {
      if (state.stage !== 'case') return;
      state.stage = 'closed';
      await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.closed', actor: SYSTEM, patchUpdate: { stage: 'closed', closed: true }, detail: status });
      syncSearchAttributes();
      dirty = true;
    });
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
  setHandler(
    requestExtensionUpdate,
    (req) =>
      exclusive(async () => {
        const task = state.tasks.find((t) => t.taskId === req.taskId && t.status === 'open');
        if (task && !state.tasks.some((t) => t.type === 'extension_decision' && t.targetTaskId === task.taskId)) {
          // 延期须书面申请 (000 三; 001 三(一); 002 三(三)): the level above decides.
          await openTask({
            type: 'extension_decision',
            regionCode: parentRegion(task.regionCode),
            role: 'reviewer',
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
          });
        }
        dirty = true;
        return snapshot();
      }),
    { validator: validateExtensionRequest },
  );

  // ---- main loop -----------------------------------------------------------------------------

  syncSearchAttributes();
  if (!input.carried) {
    await exclusive(async () => {
      if (patch.military) {
        // Only users with the classified-handling permission see this task (000 二(二)).
        await openTask({ type: 'military_report', regionCode: patch.countyCode, role: 'officer', restricted: true, stage: 'verification', actor: input.issuedBy });
      } else {
        await openTask({ type: 'verification', regionCode: patch.countyCode, role: 'officer', stage: 'verification', actor: input.issuedBy });
      }
    });
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
