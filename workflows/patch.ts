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
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { PatchUpdate } from '../activities/tasks';
import { checkDetermination, type Determination } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import { levelRegion, type ReviewDecision } from '../domain/review';
import { SA } from '../domain/search-attributes';
import type { Actor, Legality, PatchStage } from '../domain/types';
import {
  caseStatusSignal,
  type CompleteTaskRequest,
  type PatchInfo,
  type PatchSnapshot,
  snapshotQuery,
  type TaskState,
} from './messages';
import { acts, createTaskEngine, fail, type OpenTaskSpec, SYSTEM, type TaskBookState } from './task-engine';

export interface OnsiteRecord {
  level: ReviewLevel;
  result: 'confirmed' | 'overturned';
  from?: Legality;
  to?: Legality;
}

export interface PatchState extends TaskBookState {
  stage: PatchStage;
  determination?: Determination;
  /** The county's first determination: what it reported. */
  countyLegality?: Legality;
  determinedLevel: 'county' | ReviewLevel;
  /**
   * When the determination in force was filed (the county's confirmation, or a direct determination),
   * epoch ms: what a review's deadline counts from — 省级…在县级…确认上报数据后一个月内完成内业审核 (000 二(四)),
   * not from when the province's task opens after the city passed. Unset in runs carried from before.
   */
  determinedAt?: number;
  directDetermination: boolean;
  /** Position in the region's review chain of the level reviewing (or last reviewed). */
  reviewIndex: number;
  sendBacks: number;
  draws: ReviewDecision[];
  onsite: OnsiteRecord[];
  caseNo?: string;
  /** Periodic re-check (003 四(六)): the instants still to come, as epoch ms. */
  rechecks?: number[];
}

/** An actor as a workflow's input names it: without the classified-handling permission (histories before carry it). */
export type WorkflowActor = Pick<Actor, 'userId' | 'displayName' | 'role' | 'regionCode'> & { classified?: boolean };

export interface PatchWorkflowInput {
  patch: PatchInfo;
  issuedBy?: WorkflowActor;
  /** Set by continue-as-new. */
  carried?: PatchState;
  /** Set by continue-as-new: a policy version received and not yet applied. */
  pendingPolicyVersion?: number;
}

const TERMINAL: PatchStage[] = ['closed', 'military_offline'];

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

  const engine = createTaskEngine({
    workflowId,
    subject: patch,
    book: state,
    changed: () => syncSearchAttributes(),
    expired: async (task) => {
      if (task.type !== 'correction') return false;
      // 拒不修正: the correction deadline passed, so the level that sent it back determines directly (000 二(四)).
      await closeTask(task, 'expired', 'correction.expired', SYSTEM, { dueAt: new Date(engine.effectiveDue(task)).toISOString() });
      await openDirectDetermination(task.level!, 'expired');
      return true;
    },
  });
  const { nextEventKey, openTasks, timedTasks, effectiveDue, exclusive, wake } = engine;
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
        ...(t.assignee ? { assignee: t.assignee } : {}),
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
      // Search attributes are listed by anyone reaching the Temporal server: the offline report's end shows as
      // an ordinary close, never as military (000 二(二)).
      { key: SA.Stage, value: values.stage === 'military_offline' ? 'closed' : values.stage },
      { key: SA.Legality, value: values.legality },
      { key: SA.Overdue, value: values.overdue },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  }

  // ---- tasks -------------------------------------------------------------------------------

  async function openTask(spec: OpenTaskSpec & { /** The stage the patch enters; unset for side tasks (extension decisions). */ stage?: PatchStage }): Promise<TaskState> {
    const task = await engine.openTask({ ...spec, patchUpdate: { ...spec.patchUpdate, ...(spec.stage ? { stage: spec.stage } : {}) } });
    if (spec.stage) state.stage = spec.stage;
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
    await engine.closeTask(task, status, action, actor, result, { patchUpdate });
    if (patchUpdate?.stage) state.stage = patchUpdate.stage;
    syncSearchAttributes();
  }

  // ---- the lifecycle -----------------------------------------------------------------------

  const levelContext = () => ({ determination: state.determination, countyLegality: state.countyLegality, sendBacks: state.sendBacks });

  /** The county filed (or corrected) its determination; the first one is what it reported. */
  function countyDetermined(d: Determination) {
    state.determination = d;
    state.countyLegality ??= d.legality;
    state.determinedLevel = 'county';
    state.determinedAt = Date.now();
    countyAnswerReplacesDirectDetermination();
  }

  /**
   * A higher level's send-back of a directly determined result goes to the county, which is the subject of
   * the determination (001 三(一)) and corrects "限期纠正后逐级审核上报" (001 三(三); 000 二(四)). Its answer
   * is then the determination in force, so the direct-determination mark — "作为统计依据" only while the
   * higher level's decision stands (001 三(三); 003 四(二)) — is cleared; the audit keeps the direct
   * determination itself. Guarded: histories from before kept the mark.
   */
  function countyAnswerReplacesDirectDetermination() {
    if (state.directDetermination && patched('county-answer-clears-direct-determination')) state.directDetermination = false;
  }

  /**
   * Walks the review chain from `index`: opens the first level that covers the patch, or moves on.
   * `resubmittedBy`: the officer whose corrected answer this review looks at (its activity tells the reviewer
   * who sent it back; an activity argument only, so recorded histories replay as they are).
   */
  async function continueReview(index: number, resubmittedBy?: string) {
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
        eventAt: state.determinedAt,
        context: { ...levelContext(), level: decision.level, coverage: decision, ...(resubmittedBy !== undefined ? { resubmitted: true, resubmittedBy } : {}) },
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
      await requestCase('determination');
    } else {
      if (await startRechecks(state.determination?.subType)) return;
      await close();
    }
    syncSearchAttributes();
  }

  async function close(detail?: unknown) {
    state.stage = 'closed';
    await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.closed', actor: SYSTEM, patchUpdate: { ...determinationUpdate(), stage: 'closed', closed: true }, detail });
  }

  /** The case is its own process; this patch stays open until the case reports back (DOMAIN.md §6). */
  async function requestCase(origin: 'determination' | 'recheck') {
    // A re-check that reopens a case names the patch's earlier one (an activity argument: no new command).
    const previousCaseNo = origin === 'recheck' ? state.caseNo : undefined;
    const { caseNo } = await acts.requestCase({ patch, determination: state.determination!, eventKey: nextEventKey(), actor: SYSTEM, origin, ...(previousCaseNo ? { previousCaseNo } : {}), now: Date.now() });
    state.caseNo = caseNo;
    state.stage = 'case';
    await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.case_requested', actor: SYSTEM, patchUpdate: { ...determinationUpdate(), stage: 'case', caseNo } });
  }

  /**
   * 周期复核 (003 四(六)): patches filed as facility agriculture, temporary land, rural road or unchanged, and
   * re-cultivated ones, are re-checked on the region's cycle. Returns whether a cycle started.
   */
  async function startRechecks(subType: string | undefined): Promise<boolean> {
    if (!patched('recheck-cycle')) return false;
    const plan = await acts.planRechecks({ countyCode: patch.countyCode, subType, now: Date.now() });
    if (plan.length === 0) return false;
    state.rechecks = plan.map((at) => Date.parse(at));
    state.stage = 'recheck';
    await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.recheck_scheduled', actor: SYSTEM, patchUpdate: { ...determinationUpdate(), stage: 'recheck' }, detail: { at: plan } });
    syncSearchAttributes();
    return true;
  }

  /** The next re-check instant, while none is open. */
  const nextRecheckAt = () =>
    state.stage === 'recheck' && state.rechecks?.length && !state.tasks.some((t) => t.type === 'recheck') ? state.rechecks[0] : undefined;

  async function openDueRecheck() {
    const at = nextRecheckAt();
    if (at === undefined || Date.now() < at) return;
    await openTask({
      type: 'recheck',
      regionCode: patch.countyCode,
      role: 'officer',
      stage: 'recheck',
      context: { remaining: state.rechecks!.length, determination: state.determination, caseNo: state.caseNo },
    });
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
    // A completion accepted while the task was still being opened is checked against its rules now
    // (who may act was decided by the validator; histories from before the level rule keep replaying).
    checkCompletion(task, req, { inHandler: true });
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
          // The level that sent it back looks again, and is told so.
          await continueReview(state.reviewIndex, actor.displayName);
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
        state.determinedAt = Date.now();
        await done(determinationUpdate());
        await continueReview(state.reviewIndex + 1);
        return;
      case 'onsite_check':
        if (payload.decision === 'confirm') {
          state.onsite = [...state.onsite, { level: task.level!, result: 'confirmed' }];
          await done({ onsiteChecks: state.onsite });
        } else if (payload.decision === 'overturn') {
          state.onsite = [...state.onsite, { level: task.level!, result: 'overturned', from: state.determination?.legality, to: payload.determination.legality }];
          state.determination = payload.determination;
          state.determinedLevel = task.level!;
          await done({ ...determinationUpdate(), onsiteChecks: state.onsite });
        }
        await finishDetermination(task.level);
        return;
      case 'extension_decision':
        await done();
        if (await engine.extendTarget(task, payload, actor)) syncSearchAttributes();
        return;
      case 'recheck':
        state.rechecks = state.rechecks?.slice(1) ?? [];
        await done();
        if (payload.finding !== 'unchanged') {
          // 复建或改变用途: the patch is illegal again and a new case is opened.
          state.rechecks = [];
          const previous = state.determination!;
          state.determination = {
            ...previous,
            legality: 'illegal',
            subType: 'other_illegal',
            approvals: [],
            farmlandFlags: previous.farmlandFlags,
            evidence: payload.evidence,
            notes: `周期复核发现${payload.finding === 'rebuilt' ? '违法复建' : '改变批准用途'}：${payload.notes}`,
          };
          state.determinedLevel = 'county';
          countyAnswerReplacesDirectDetermination();
          await requestCase('recheck');
        } else if (state.rechecks.length === 0) {
          await close({ rechecks: 'completed' });
        }
        syncSearchAttributes();
        return;
      case 'military_report':
        // Military land is reported through the classified channel; the system records only that it was (000, 002, 004).
        await closeTask(task, 'completed', 'military_report.completed', actor, { reportedOffline: true, reference: payload.reference }, { stage: 'military_offline', closed: true });
        return;
    }
  }

  // ---- validation (synchronous, no I/O: a rejected Update leaves no trace in history) -------

  const taskFor = (taskId: string) => engine.taskFor(taskId, `图斑 ${patch.code}`);

  function validateCompletion(req: CompleteTaskRequest): void {
    checkCompletion(taskFor(req.taskId), req);
  }

  /** Who may complete the task and whether the payload keeps the region's rules (also re-checked once a task being opened is open). */
  function checkCompletion(task: TaskState, req: CompleteTaskRequest, o: { inHandler?: boolean } = {}): void {
    engine.checkAccess(req.actor, task, !o.inHandler);
    const payload = req.payload;
    if (payload.kind !== task.type) fail('InvalidPayload', `提交内容（${payload.kind}）与任务类型（${task.type}）不符`);
    // "reject" is for a case's rectification result; a patch's on-site check confirms or overturns.
    if (payload.kind === 'onsite_check' && payload.decision === 'reject') fail('InvalidPayload', '图斑实地核查须确认原判定或改判');
    const determination = 'determination' in payload ? payload.determination : undefined;
    if (determination && task.rules) {
      // The evidence rule is the county's (核查填报 and its correction); a higher level's determination is not held to it.
      const countyFiling = task.type === 'verification' || task.type === 'correction';
      const rules = countyFiling ? task.rules : { ...task.rules, evidence: undefined };
      const violations = checkDetermination(determination, { category: patch.category, rules });
      if (violations.length) fail('RuleViolation', violations.map((v) => v.message).join('；'), violations);
    }
    engine.checkExtensionApproval(task, payload);
  }

  // ---- timers --------------------------------------------------------------------------------

  /** Overdue marking, escalation, and the one automatic decision: an expired correction goes to direct determination. */
  async function fireDueTimers(): Promise<void> {
    await engine.fireDueTimers();
    syncSearchAttributes();
  }

  const nextWakeAt = () => engine.nextWakeAt((task) => task.type === 'correction');

  // ---- handlers ------------------------------------------------------------------------------

  setHandler(snapshotQuery, snapshot);
  setHandler(caseStatusSignal, async (status) => {
    // Merged into another case of the same party and site: that case reports from now on.
    if (status.status === 'merged') state.caseNo = status.caseNo;
    if (!status.closed || state.stage !== 'case') return;
    await exclusive(async () => {
      if (state.stage !== 'case') return;
      if (status.path === 'demolish_recultivate' && (await startRechecks('demolished_recultivated'))) {
        wake();
        return;
      }
      state.stage = 'closed';
      await acts.updatePatch({ patchCode: patch.code, eventKey: nextEventKey(), action: 'patch.closed', actor: SYSTEM, patchUpdate: { stage: 'closed', closed: true }, detail: status });
      syncSearchAttributes();
      wake();
    });
  });
  engine.registerTaskHandlers({ label: `图斑 ${patch.code}`, snapshot, openTask, onTaskCompleted, validateCompletion });
  engine.receivePolicyChange(input.pendingPolicyVersion);

  // ---- main loop -----------------------------------------------------------------------------

  syncSearchAttributes();
  if (!input.carried) {
    await exclusive(async () => {
      // `military` in histories recorded before the neutral `offline` flag.
      if (patch.offline || patch.military) {
        // Only users with the classified-handling permission see this task (000 二(二)).
        await openTask({ type: 'military_report', regionCode: patch.countyCode, role: 'officer', restricted: true, stage: 'verification', actor: input.issuedBy, issuance: true });
      } else {
        await openTask({ type: 'verification', regionCode: patch.countyCode, role: 'officer', stage: 'verification', actor: input.issuedBy, issuance: true });
      }
    });
  }

  while (!TERMINAL.includes(state.stage)) {
    await engine.waitForWork([nextWakeAt(), nextRecheckAt()]);
    await exclusive(async () => {
      await fireDueTimers();
      // A policy change reached this patch: due instants of open tasks recomputed, timers re-armed.
      if (await engine.applyPendingPolicyChange()) syncSearchAttributes();
      await openDueRecheck();
    });
    if (workflowInfo().continueAsNewSuggested && !TERMINAL.includes(state.stage)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof patchWorkflow>({ patch, carried: state, pendingPolicyVersion: engine.pendingPolicyChange() });
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
