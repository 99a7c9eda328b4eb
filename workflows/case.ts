/**
 * caseWorkflow: one durable process per violation case (workflow id = case number), DOMAIN.md §6–9:
 * registration (立案) with the quota freeze, stop order, the decision and its "six musts", transfers that
 * wait for feedback, the rectification plan and rectification by one of three paths, the three-level
 * re-cultivation acceptance with the unfreeze, and the strike-off (销号) once the illegal state is gone
 * and every transfer has its feedback. The case reports its state to each linked patch.
 */
import { allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CaseUpdate, TaskSubject } from '../activities/tasks';
import { SA } from '../domain/search-attributes';
import { cityOf, provinceOf } from '../domain/regions';
import type { ReviewLevel } from '../domain/policy';
import { levelRegion } from '../domain/review';
import { checkCasePayload } from '../domain/case-checks';
import { type AreaSplit, AREA_EPS as EPS, caseAreas, latestDateMessage, latestDateMessageEn, rectifiedFarmland, round4 } from '../domain/cases';
import type { Actor, CaseStage, Department, RectificationPath, TransferOrgan } from '../domain/types';
import { caseSnapshotQuery, mergeIntoSignal, type CasePatch, type CaseSnapshot, type CaseWorkflowInput } from './case-messages';
import {
  type CaseDecision,
  type CompleteTaskRequest,
  type TaskState,
} from './messages';
import { acts, createTaskEngine, fail, type OpenTaskSpec, SYSTEM, type TaskBookState } from './task-engine';

export interface Transfer {
  taskId: string;
  organ: TransferOrgan;
  department?: Department;
  feedback: boolean;
}

export interface CaseState extends TaskBookState {
  stage: CaseStage;
  patches: CasePatch[];
  decision?: CaseDecision;
  path?: RectificationPath;
  rectifiedMu?: number;
  /**
   * What the province has confirmed as rectified (cumulative), farmland and non-farmland apart: the quota is
   * unfrozen on what is accepted, not on what the county reports (000 二(三); 002 五(四) 分批…验收，并按比例解冻).
   */
  accepted?: AreaSplit;
  /** Province confirmations so far (each partial one books its own unfreeze entries). */
  acceptances?: number;
  /**
   * A stop order was reported not obeyed (stopped: false): the act continues, a follow-up stop order stays
   * open (its task id here) and the case is not struck off until one reports the act stopped.
   */
  actContinues?: boolean;
  stopFollowUpTaskId?: string;
  /** The last rectification reported, shown to each acceptance level. */
  rectification?: unknown;
  /**
   * On-site checks of the rectification result still to come (the levels that checked the patches on site,
   * 图斑及其整改结果: 000 二(五); 003 四(一)); the open one is the first.
   */
  rectificationChecks?: ReviewLevel[];
  eliminated: boolean;
  struckOff: boolean;
  mergedInto?: string;
  transfers: Transfer[];
  /** Jiangmen's construction-plan rounds (epoch ms) and how many are settled. */
  planRounds?: number[];
  planSettled: number;
}

/** Quota bookings are short transactions: a worker that dies in one is noticed, and the booking retried, quickly. */
const quota = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const NON_AGRICULTURAL = (p: CasePatch) => p.category !== 'facility_agriculture' && p.category !== 'agricultural_project_illegal';

export async function caseWorkflow(input: CaseWorkflowInput & { carried?: CaseState; /** Set by continue-as-new: a policy version received and not yet applied. */ pendingPolicyVersion?: number }): Promise<CaseSnapshot> {
  const { caseNo } = input;
  const workflowId = workflowInfo().workflowId;
  const state: CaseState = input.carried ?? {
    stage: 'register',
    seq: 0,
    events: 0,
    tasks: [],
    closedTaskIds: [],
    policyVersion: 0,
    patches: input.patches,
    eliminated: false,
    struckOff: false,
    transfers: [],
    planSettled: 0,
  };
  const first = state.patches[0];
  const subject: TaskSubject = {
    kind: 'case',
    code: caseNo,
    patchCode: first.code,
    countyCode: input.countyCode,
    batchKind: first.batchKind,
    issuedAt: first.issuedAt,
    imagedAt: first.imagedAt,
  };

  let lastSearchAttributes = '';
  function syncSearchAttributes() {
    const open = engine.timedTasks();
    const due = open.length ? Math.min(...open.map(engine.effectiveDue)) : undefined;
    const key = JSON.stringify({ stage: state.stage, overdue: open.some((t) => t.overdue), due });
    if (key === lastSearchAttributes) return;
    const firstSync = lastSearchAttributes === '';
    lastSearchAttributes = key;
    upsertSearchAttributes([
      ...(firstSync
        ? [
            { key: SA.ProvinceCode, value: provinceOf(input.countyCode) },
            { key: SA.CityCode, value: cityOf(input.countyCode) },
            { key: SA.CountyCode, value: input.countyCode },
          ]
        : []),
      { key: SA.Stage, value: `case:${state.stage}` },
      { key: SA.Overdue, value: open.some((t) => t.overdue) },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  }

  const engine = createTaskEngine({ workflowId, subject, book: state, changed: syncSearchAttributes });
  const { nextEventKey, exclusive, wake } = engine;
  const patchCodes = () => state.patches.map((p) => p.code);
  const county = (type: OpenTaskSpec['type'], context?: Record<string, unknown>): OpenTaskSpec => ({ type, regionCode: input.countyCode, role: 'officer', context });

  function snapshot(): CaseSnapshot {
    return {
      caseNo,
      stage: state.stage,
      patches: patchCodes(),
      path: state.path,
      eliminated: state.eliminated,
      transfers: state.transfers,
      mergedInto: state.mergedInto,
      accepted: state.accepted,
      actContinues: state.actContinues,
      openTasks: engine.timedTasks().map((t) => ({
        taskId: t.taskId,
        type: t.type,
        regionCode: t.regionCode,
        dueAt: new Date(engine.effectiveDue(t)).toISOString(),
        overdue: t.overdue,
        ...(t.assignee ? { assignee: t.assignee } : {}),
      })),
    };
  }

  async function openTask(spec: OpenTaskSpec, stage?: CaseStage): Promise<TaskState> {
    const task = await engine.openTask({ ...spec, caseUpdate: { ...spec.caseUpdate, ...(stage ? { status: stage } : {}) } });
    if (stage) state.stage = stage;
    syncSearchAttributes();
    return task;
  }

  async function closeTask(task: TaskState, actor: Actor, result: unknown, caseUpdate?: CaseUpdate) {
    await engine.closeTask(task, 'completed', `${task.type}.completed`, actor, result, { caseUpdate });
    if (caseUpdate?.status) state.stage = caseUpdate.status;
    syncSearchAttributes();
  }

  async function report(closed = false) {
    await acts.reportCaseStatus({ caseNo, patchCodes: patchCodes(), status: state.stage, closed, path: state.path });
  }

  /** 销号: only once the illegal state is gone and every transfer has its feedback (001 三(四); 004 三(三)). */
  async function maybeStrikeOff() {
    if (!state.eliminated || state.struckOff) return;
    // Not while the act continues: the open follow-up stop order must report it stopped first.
    if (state.actContinues && !state.transfers.some((t) => !t.feedback)) {
      if (state.stage !== 'stop_order') {
        state.stage = 'stop_order';
        await acts.updateCase({ caseNo, eventKey: nextEventKey(), action: 'case.awaiting_stop', actor: SYSTEM, caseUpdate: { status: 'stop_order' } });
        syncSearchAttributes();
      }
      return;
    }
    if (state.transfers.some((t) => !t.feedback)) {
      if (state.stage !== 'awaiting_transfers') {
        state.stage = 'awaiting_transfers';
        await acts.updateCase({ caseNo, eventKey: nextEventKey(), action: 'case.awaiting_transfers', actor: SYSTEM, caseUpdate: { status: 'awaiting_transfers' } });
        syncSearchAttributes();
      }
      return;
    }
    state.struckOff = true;
    state.stage = 'struck_off';
    await acts.updateCase({ caseNo, eventKey: nextEventKey(), action: 'case.struck_off', actor: SYSTEM, caseUpdate: { status: 'struck_off', struckOff: true } });
    syncSearchAttributes();
    await report(true);
  }

  /**
   * The quota booking of each linked patch (farmland account): what is still frozen, or — for a partial
   * acceptance — up to `share` of what was frozen, under its own key.
   */
  const bookings = (kind: 'unfreeze' | 'deduct', reason: string, partial?: { share: number; key: string }) =>
    state.patches
      .filter((p) => p.determination.areas.farmlandMu > 0)
      .map((p) => ({
        entryKey: `${kind}:${caseNo}:${p.code}:farmland${partial ? `:${partial.key}` : ''}`,
        countyCode: input.countyCode,
        account: 'farmland' as const,
        caseNo,
        patchCode: p.code,
        reason,
        actorName: '系统',
        kind,
        ...(partial && kind === 'unfreeze' ? { share: partial.share } : {}),
      }));

  async function eliminated(how: string) {
    state.eliminated = true;
    await acts.updateCase({ caseNo, eventKey: nextEventKey(), action: 'case.eliminated', actor: SYSTEM, caseUpdate: { eliminated: true }, detail: { how } });
    await maybeStrikeOff();
  }

  async function backToRectification(level: string, reason: string) {
    await openTask(county('rectification', { path: state.path, rejectedBy: level, reason }), 'rectification');
    await report();
  }

  /** The act goes on after a stop order: a follow-up stop order (责令停止…复查) opens, due by the policy's stop-order deadline. */
  async function followUpStopOrder(previous: { documentNumber: string; issuedOn: string; notes?: string }) {
    state.actContinues = true;
    const followUp = await openTask(county('stop_order', { followUp: true, previous: { documentNumber: previous.documentNumber, issuedOn: previous.issuedOn, notes: previous.notes } }));
    state.stopFollowUpTaskId = followUp.taskId;
  }

  /** A follow-up stop order: stopped ends the follow-up (and may let the case be struck off); not stopped opens the next. */
  async function stopOrderFollowedUp(task: TaskState, req: CompleteTaskRequest) {
    const payload = req.payload as Extract<CompleteTaskRequest['payload'], { kind: 'stop_order' }>;
    state.stopFollowUpTaskId = undefined;
    await closeTask(task, req.actor, payload);
    if (!payload.stopped) {
      await followUpStopOrder(payload);
      return;
    }
    state.actContinues = false;
    await acts.updateCase({ caseNo, eventKey: nextEventKey(), action: 'case.act_stopped', actor: req.actor, caseUpdate: {}, detail: { documentNumber: payload.documentNumber, issuedOn: payload.issuedOn } });
    await maybeStrikeOff();
  }

  /**
   * 省级确认: what the confirmed rectification covers is accepted, farmland and non-farmland apart. The
   * farmland quota unfreezes in proportion to the accepted farmland (all of it once everything is accepted,
   * 000 二(三)); the construction-plan quota follows the accepted non-farmland at the next round (002 五(四)).
   * A partial acceptance sends the rest back to rectification.
   */
  async function provinceConfirmed(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    const areas = caseAreas(state.patches);
    const r = state.rectification as { rectifiedMu?: number; rectifiedFarmlandMu?: number } | undefined;
    const rectifiedMu = Math.min(r?.rectifiedMu ?? 0, areas.totalMu);
    const farmland = Math.min(rectifiedFarmland(areas, rectifiedMu, r?.rectifiedFarmlandMu) ?? 0, areas.farmlandMu, rectifiedMu);
    const before = state.accepted ?? { totalMu: 0, farmlandMu: 0, nonFarmlandMu: 0 };
    const accepted: AreaSplit = {
      totalMu: round4(Math.max(before.totalMu, rectifiedMu)),
      farmlandMu: round4(Math.max(before.farmlandMu, farmland)),
      nonFarmlandMu: round4(Math.max(before.nonFarmlandMu, Math.min(areas.nonFarmlandMu, rectifiedMu - farmland))),
    };
    state.accepted = accepted;
    state.acceptances = (state.acceptances ?? 0) + 1;
    const complete = accepted.farmlandMu >= areas.farmlandMu - EPS && accepted.nonFarmlandMu >= areas.nonFarmlandMu - EPS;
    await closeTask(task, req.actor, { ...req.payload, accepted }, complete ? undefined : { status: 'rectification' });
    if (complete) {
      await quota.bookQuota({ entries: bookings('unfreeze', '拆除复耕经省级确认') });
      await eliminated('demolish_recultivate');
      return;
    }
    const share = areas.farmlandMu > EPS ? Math.min(1, accepted.farmlandMu / areas.farmlandMu) : 0;
    if (share > 0) await quota.bookQuota({ entries: bookings('unfreeze', `拆除复耕经省级确认（部分，已验收耕地${accepted.farmlandMu}亩）`, { share, key: `acceptance${state.acceptances}` }) });
    await openTask(county('rectification', { path: state.path, partial: true, accepted, remainingMu: round4(areas.totalMu - accepted.totalMu) }), 'rectification');
    await report();
  }

  /** The on-site check of the rectification result by the first level still to check it. */
  async function openRectificationCheck() {
    const level = state.rectificationChecks![0];
    await openTask(
      { type: 'onsite_check', regionCode: levelRegion(level, input.countyCode), role: 'reviewer', level, context: { level, rectification: state.rectification, path: state.path, checks: 'rectification' } },
      'acceptance',
    );
  }

  /** The rectification result passed its on-site checks: the acceptance (re-cultivation), or the deduction and elimination. */
  async function rectificationChecked() {
    if (state.path === 'demolish_recultivate') {
      await openTask(county('acceptance_county', { rectification: state.rectification }), 'acceptance');
      await report();
      return;
    }
    await quota.bookQuota({ entries: bookings('deduct', state.path === 'legalise' ? '补办用地手续' : '依法没收') });
    await eliminated(state.path!);
  }

  async function onTaskCompleted(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    checkCompletion(task, req);
    const { payload, actor } = req;
    switch (payload.kind) {
      case 'case_register': {
        const linked = await acts.linkPatchesToCase({ caseNo, patchCodes: payload.linkPatchCodes, eventKey: nextEventKey(), actor });
        for (const p of linked) if (!state.patches.some((q) => q.code === p.code)) state.patches.push(p);
        const illegalMu = state.patches.reduce((s, p) => s + p.determination.areas.totalMu, 0);
        const illegalFarmlandMu = state.patches.reduce((s, p) => s + p.determination.areas.farmlandMu, 0);
        await closeTask(task, actor, payload, {
          party: payload.party,
          site: payload.site,
          facts: payload.facts,
          registered: true,
          illegalMu,
          illegalFarmlandMu,
          status: 'stop_order',
        });
        // 两平衡一冻结: the farmland of non-agricultural construction is frozen in the county's reserve (000 二(三)).
        const frozen = await quota.freezeCaseQuota({ caseNo, countyCode: input.countyCode, patches: state.patches.map((p) => ({ code: p.code, category: p.category, areas: p.determination.areas, nonAgricultural: NON_AGRICULTURAL(p), issuedAt: p.issuedAt, imagedAt: p.imagedAt })), now: Date.now() });
        state.planRounds = frozen.planRounds?.map((r) => Date.parse(r));
        await openTask(county('stop_order', { party: payload.party }), 'stop_order');
        await report();
        return;
      }
      case 'stop_order':
        if (task.taskId === state.stopFollowUpTaskId) {
          await stopOrderFollowedUp(task, req);
          return;
        }
        await closeTask(task, actor, payload, { status: 'decision' });
        // 拒不停止: the investigation goes on, and the act is followed up until it stops (patched: 'stop-order-follow-up').
        if (!payload.stopped && patched('stop-order-follow-up')) await followUpStopOrder(payload);
        await openTask(county('case_decision'), 'decision');
        return;
      case 'case_decision': {
        const { kind: _kind, ...decision } = payload;
        state.decision = decision;
        state.path = decision.path;
        await closeTask(task, actor, payload, { decision, path: decision.path, status: 'rectification' });
        // 移送: criminal matters to the judicial organs, discipline to the inspection organs, others to their departments.
        const transfers: Array<{ organ: TransferOrgan; department?: Department }> = [
          ...(decision.criminalReferral ? [{ organ: 'judicial' as const }] : []),
          ...(decision.disciplineReferral ? [{ organ: 'discipline' as const }] : []),
          ...decision.departments.map((department) => ({ organ: 'department' as const, department })),
        ];
        for (const t of transfers) {
          const opened = await openTask(county('transfer_feedback', { organ: t.organ, department: t.department }));
          state.transfers.push({ taskId: opened.taskId, organ: t.organ, department: t.department, feedback: false });
        }
        await openTask(county('rectification_plan', { path: decision.path }), 'rectification');
        await report();
        return;
      }
      case 'transfer_feedback': {
        const transfer = state.transfers.find((t) => t.taskId === task.taskId);
        if (transfer) transfer.feedback = true;
        await closeTask(task, actor, payload);
        await maybeStrikeOff();
        return;
      }
      case 'rectification_plan':
        await closeTask(task, actor, payload, { rectificationPlan: payload });
        await openTask(county('rectification', { path: state.path, plan: payload }), 'rectification');
        return;
      case 'rectification':
        state.rectifiedMu = payload.rectifiedMu;
        state.rectification = payload;
        // 图斑及其整改结果 (000 二(五); 003 四(一)): where a patch met a level's on-site threshold, that level checks
        // the rectification result on site before the acceptance goes on (patched: 'rectification-onsite-check').
        if (patched('rectification-onsite-check')) {
          const levels = await acts.rectificationOnsiteLevels({ patchCodes: state.patches.map((p) => p.code) });
          if (levels.length) {
            await closeTask(task, actor, payload, { rectification: payload, status: 'acceptance' });
            state.rectificationChecks = levels;
            await openRectificationCheck();
            await report();
            return;
          }
        }
        if (state.path === 'demolish_recultivate') {
          await closeTask(task, actor, payload, { rectification: payload, status: 'acceptance' });
          // 县级初验 → 市级验收并出具拆除复耕到位证明 (003 四(一)) → 省级确认后解冻 (000 二(三)).
          await openTask(county('acceptance_county', { rectification: payload }), 'acceptance');
          await report();
          return;
        }
        await closeTask(task, actor, payload, { rectification: payload });
        // 补办 or 没收: the frozen quota of the same quantity is deducted (000 二(三)).
        await quota.bookQuota({ entries: bookings('deduct', state.path === 'legalise' ? '补办用地手续' : '依法没收') });
        await eliminated(state.path!);
        return;
      case 'acceptance_county':
        if (payload.decision === 'reject') {
          await closeTask(task, actor, payload, { status: 'rectification' });
          await backToRectification('county', payload.reason);
          return;
        }
        await closeTask(task, actor, payload);
        await openTask({ type: 'acceptance_city', regionCode: cityOf(input.countyCode), role: 'reviewer', context: { rectification: state.rectification, countyAcceptance: payload } }, 'acceptance');
        return;
      case 'acceptance_city':
        if (payload.decision === 'reject') {
          await closeTask(task, actor, payload, { status: 'rectification' });
          await backToRectification('city', payload.reason);
          return;
        }
        await closeTask(task, actor, payload, { certificateNo: payload.certificateNo });
        await openTask({ type: 'acceptance_province', regionCode: provinceOf(input.countyCode), role: 'reviewer', context: { rectification: state.rectification, certificateNo: payload.certificateNo } }, 'acceptance');
        return;
      case 'acceptance_province':
        if (payload.decision === 'reject') {
          await closeTask(task, actor, payload, { status: 'rectification' });
          await backToRectification('province', payload.reason);
          return;
        }
        if (patched('accepted-area-unfreeze')) {
          await provinceConfirmed(task, req);
          return;
        }
        await closeTask(task, actor, payload);
        await quota.bookQuota({ entries: bookings('unfreeze', '拆除复耕经省级确认') });
        await eliminated('demolish_recultivate');
        return;
      case 'onsite_check': {
        // The rectification result checked on site: not as reported → back to rectification; else the next level, then on.
        if (payload.decision !== 'confirm') {
          await closeTask(task, actor, payload, { status: 'rectification' });
          state.rectificationChecks = [];
          await backToRectification(task.level ?? 'onsite', 'reason' in payload ? payload.reason : '');
          return;
        }
        await closeTask(task, actor, payload);
        state.rectificationChecks = (state.rectificationChecks ?? []).slice(1);
        if (state.rectificationChecks.length) {
          await openRectificationCheck();
          return;
        }
        await rectificationChecked();
        return;
      }
      case 'extension_decision':
        await closeTask(task, actor, payload);
        if (await engine.extendTarget(task, payload, actor)) syncSearchAttributes();
        return;
      default:
        fail('InvalidPayload', `案件不办理 ${payload.kind} 任务`);
    }
  }

  function checkCompletion(task: TaskState, req: CompleteTaskRequest): void {
    engine.checkAccess(req.actor, task);
    const payload = req.payload;
    if (payload.kind !== task.type) fail('InvalidPayload', `提交内容（${payload.kind}）与任务类型（${task.type}）不符`);
    // The shape and the six musts, whoever sent the Update (the API checks the same with zod first).
    const issues = checkCasePayload(task.type, payload as unknown as Record<string, unknown>);
    if (issues.length) fail('InvalidPayload', `提交内容不符合要求：${issues.map((i) => `${i.path}: ${i.message}`).join('；')}`, issues);
    if (payload.kind === 'rectification_plan' && task.latestDate && payload.plannedBy > task.latestDate) {
      const message = latestDateMessage(task.latestDate, payload.plannedBy);
      const messageEn = latestDateMessageEn(task.latestDate, payload.plannedBy);
      fail('RuleViolation', message, [{ path: 'plannedBy', rule: 'beyond_rectification_cutoff', message, messageEn, params: { latest: task.latestDate, planned: payload.plannedBy } }]);
    }
    if (payload.kind === 'rectification') {
      const areas = caseAreas(state.patches);
      const rule = (path: string, ruleName: string, message: string, messageEn: string, params?: Record<string, number>) =>
        fail('RuleViolation', message, [{ path, rule: ruleName, message, messageEn, ...(params ? { params } : {}) }]);
      if (payload.rectifiedMu > areas.totalMu + EPS) {
        rule('rectifiedMu', 'rectified_exceeds_illegal', `整改面积（${payload.rectifiedMu}亩）不能大于违法用地面积（${areas.totalMu}亩）`, `the area rectified (${payload.rectifiedMu} mu) cannot exceed the illegally used area (${areas.totalMu} mu)`, { rectifiedMu: payload.rectifiedMu, totalMu: areas.totalMu });
      }
      const farmland = payload.rectifiedFarmlandMu;
      if (farmland !== undefined) {
        if (farmland > payload.rectifiedMu + EPS) rule('rectifiedFarmlandMu', 'farmland_exceeds_rectified', '其中耕地面积不能大于整改面积', 'the farmland rectified cannot exceed the area rectified');
        if (farmland > areas.farmlandMu + EPS) {
          rule('rectifiedFarmlandMu', 'farmland_exceeds_illegal', `其中耕地面积不能大于违法占用耕地面积（${areas.farmlandMu}亩）`, `the farmland rectified cannot exceed the farmland illegally occupied (${areas.farmlandMu} mu)`, { farmlandMu: areas.farmlandMu });
        }
        if (payload.rectifiedMu - farmland > areas.nonFarmlandMu + EPS) {
          rule('rectifiedFarmlandMu', 'non_farmland_exceeds_illegal', `整改的非耕地面积不能大于违法占用非耕地面积（${areas.nonFarmlandMu}亩）`, `the non-farmland rectified cannot exceed the non-farmland illegally occupied (${areas.nonFarmlandMu} mu)`, { nonFarmlandMu: areas.nonFarmlandMu });
        }
      } else if (state.path === 'demolish_recultivate' && rectifiedFarmland(areas, payload.rectifiedMu) === undefined) {
        // Farmland and non-farmland unfreeze from different accounts (000 二(三); 002 五(四)): a partial rectification says which.
        rule('rectifiedFarmlandMu', 'farmland_split_required', '部分整改须填写其中耕地面积（耕地与非耕地分别解冻）', 'a partial rectification says how much of it is farmland (farmland and non-farmland unfreeze apart)');
      }
      if (state.path === 'legalise' && !payload.approval) {
        fail('RuleViolation', '补办用地手续须填写批准文件', [{ path: 'approval', rule: 'approval_required', message: '补办用地手续须填写批准文件（类型、文号、日期）', messageEn: 'legalisation needs its approval document (type, number, date)' }]);
      }
      if (state.path === 'confiscate' && !payload.confiscationDocument) {
        fail('RuleViolation', '没收须填写没收文书文号', [{ path: 'confiscationDocument', rule: 'document_required', message: '没收须填写没收文书文号', messageEn: 'confiscation needs the number of its document' }]);
      }
    }
    engine.checkExtensionApproval(task, payload);
  }

  /** Jiangmen's rounds: unfreeze the construction-plan freeze in proportion to what is rectified; deduct the rest at the last. */
  async function settlePlanRound(): Promise<void> {
    const rounds = state.planRounds ?? [];
    const index = state.planSettled;
    const last = index === rounds.length - 1;
    const illegalNonFarmland = state.patches.reduce((s, p) => s + Math.max(0, p.determination.areas.totalMu - p.determination.areas.farmlandMu), 0);
    // In proportion to the non-farmland area the province has accepted by the round (002 五(四)); before the
    // 'accepted-area-unfreeze' patch this was the county's own report of everything rectified.
    const share = state.eliminated
      ? 1
      : patched('accepted-area-unfreeze')
        ? Math.min(1, illegalNonFarmland > EPS ? (state.accepted?.nonFarmlandMu ?? 0) / illegalNonFarmland : 0)
        : Math.min(1, illegalNonFarmland > 0 ? (state.rectifiedMu ?? 0) / illegalNonFarmland : 0);
    await quota.bookQuota({
      entries: state.patches.flatMap((p) => [
        {
          entryKey: `unfreeze:${caseNo}:${p.code}:construction_plan:round${index + 1}`,
          countyCode: input.countyCode,
          account: 'construction_plan' as const,
          caseNo,
          patchCode: p.code,
          reason: `第${index + 1}批验收按比例解冻`,
          actorName: '系统',
          kind: 'unfreeze' as const,
          share,
        },
        ...(last
          ? [
              {
                entryKey: `deduct:${caseNo}:${p.code}:construction_plan:final`,
                countyCode: input.countyCode,
                account: 'construction_plan' as const,
                caseNo,
                patchCode: p.code,
                reason: '到期仍未解冻，直接扣减',
                actorName: '系统',
                kind: 'deduct' as const,
              },
            ]
          : []),
      ]),
    });
    state.planSettled = index + 1;
  }

  const nextPlanRound = () => (state.planRounds && state.planSettled < state.planRounds.length ? state.planRounds[state.planSettled] : undefined);

  setHandler(caseSnapshotQuery, snapshot);
  setHandler(mergeIntoSignal, async ({ caseNo: target }) => {
    await exclusive(async () => {
      // Only an unregistered case can merge: a registered one has its own decision and quota.
      if (state.stage !== 'register' || target === caseNo) return;
      for (const t of engine.openTasks()) await engine.closeTask(t, 'cancelled', 'case_register.cancelled', SYSTEM, { mergedInto: target }, { caseUpdate: { status: 'merged', mergedInto: target } });
      state.stage = 'merged';
      state.mergedInto = target;
      syncSearchAttributes();
      await acts.reportCaseStatus({ caseNo: target, patchCodes: patchCodes(), status: 'merged', closed: false });
      wake();
    });
  });
  engine.registerTaskHandlers({
    label: `案件 ${caseNo}`,
    snapshot,
    openTask: (spec) => openTask(spec),
    onTaskCompleted,
    validateCompletion: (req) => checkCompletion(engine.taskFor(req.taskId, `案件 ${caseNo}`), req),
  });
  engine.receivePolicyChange(input.pendingPolicyVersion);

  syncSearchAttributes();
  if (!input.carried) {
    await exclusive(async () => {
      await openTask(
        county('case_register', {
          patches: state.patches.map((p) => ({ code: p.code, legality: p.determination.legality, areas: p.determination.areas })),
          origin: input.origin,
          ...(input.previousCaseNo ? { previousCaseNo: input.previousCaseNo } : {}),
        }),
        'register',
      );
      await report();
    });
  }

  const finished = () => state.stage === 'merged' || (state.struckOff && nextPlanRound() === undefined);
  while (!finished()) {
    await engine.waitForWork([engine.nextWakeAt(), nextPlanRound()]);
    await exclusive(async () => {
      await engine.fireDueTimers();
      const round = nextPlanRound();
      if (round !== undefined && Date.now() >= round) await settlePlanRound();
      await engine.applyPendingPolicyChange();
      syncSearchAttributes();
    });
    if (workflowInfo().continueAsNewSuggested && !finished()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: state, pendingPolicyVersion: engine.pendingPolicyChange() });
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
