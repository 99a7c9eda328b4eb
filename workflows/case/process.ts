/**
 * The case process, one method per stage in the order the notices give them:
 * registration (立案) with the quota freeze, the stop order and its follow-up, the decision and its
 * transfers, the rectification plan and rectification by one of three paths, the on-site checks of the
 * result, the three-level acceptance with the unfreeze, and the strike-off (销号). The
 * rectification stages are in RectificationStages, the steps they share in CaseSteps.
 */
import { patched } from '@temporalio/workflow';
import type { Actor, Department, TransferOrgan } from '../../domain/types';
import type { CompleteTaskRequest, TaskState } from '../messages';
import { acts, fail, SYSTEM } from '../tasks';
import { NON_AGRICULTURAL, quota } from './quota';
import { RectificationStages } from './rectification';
import { checkCaseCompletion } from './validation';

type Payload<K extends CompleteTaskRequest['payload']['kind']> = Extract<CompleteTaskRequest['payload'], { kind: K }>;

export class CaseProcess extends RectificationStages {
  /** The `completeTask` Update: checked again, then the stage the task belongs to. */
  async onTaskCompleted(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    this.checkCompletion(task, req);
    const { payload, actor } = req;
    switch (payload.kind) {
      case 'case_register':
        return this.register(task, actor, payload);
      case 'stop_order':
        return this.stopOrder(task, actor, payload);
      case 'case_decision':
        return this.decision(task, actor, payload);
      case 'transfer_feedback':
        return this.transferFeedback(task, actor, payload);
      case 'rectification_plan':
        return this.rectificationPlan(task, actor, payload);
      case 'rectification':
        return this.rectify(task, actor, payload);
      case 'onsite_check':
        return this.rectificationCheckDone(task, actor, payload);
      case 'acceptance_county':
        return this.acceptanceCounty(task, actor, payload);
      case 'acceptance_city':
        return this.acceptanceCity(task, actor, payload);
      case 'acceptance_province':
        return this.acceptanceProvince(task, req, payload);
      case 'extension_decision':
        await this.closeTask(task, actor, payload);
        if (await this.engine.extendTarget(task, payload, actor)) this.sync();
        return;
      default:
        fail('InvalidPayload', `案件不办理 ${payload.kind} 任务`);
    }
  }

  checkCompletion(task: TaskState, req: CompleteTaskRequest): void {
    checkCaseCompletion(this.state, this.engine, task, req);
  }

  /** The first task: register the case (立案). */
  async open(): Promise<void> {
    await this.openTask(
      this.county('case_register', {
        patches: this.state.patches.map((p) => ({ code: p.code, legality: p.determination.legality, areas: p.determination.areas })),
        origin: this.input.origin,
        ...(this.input.previousCaseNo ? { previousCaseNo: this.input.previousCaseNo } : {}),
      }),
      'register',
    );
    await this.report();
  }

  /** Another case of the same party and site takes this one's patches: only an unregistered case merges. */
  async mergeInto(target: string): Promise<void> {
    // Only an unregistered case can merge: a registered one has its own decision and quota.
    if (this.state.stage !== 'register' || target === this.caseNo) return;
    for (const t of this.engine.openTasks())
      await this.engine.closeTask(
        t,
        'cancelled',
        'case_register.cancelled',
        SYSTEM,
        { mergedInto: target },
        { caseUpdate: { status: 'merged', mergedInto: target } },
      );
    this.state.stage = 'merged';
    this.state.mergedInto = target;
    this.sync();
    await acts.reportCaseStatus({ caseNo: target, patchCodes: this.patchCodes(), status: 'merged', closed: false });
  }

  /** 立案: link the patches named, record the party, site and facts, freeze the quota, order the act stopped. */
  private async register(task: TaskState, actor: Actor, payload: Payload<'case_register'>): Promise<void> {
    const { state } = this;
    const linked = await acts.linkPatchesToCase({ caseNo: this.caseNo, patchCodes: payload.linkPatchCodes, eventKey: this.engine.nextEventKey(), actor });
    for (const p of linked) if (!state.patches.some((q) => q.code === p.code)) state.patches.push(p);
    const illegalMu = state.patches.reduce((s, p) => s + p.determination.areas.totalMu, 0);
    const illegalFarmlandMu = state.patches.reduce((s, p) => s + p.determination.areas.farmlandMu, 0);
    await this.closeTask(task, actor, payload, {
      party: payload.party,
      site: payload.site,
      facts: payload.facts,
      registered: true,
      illegalMu,
      illegalFarmlandMu,
      status: 'stop_order',
    });
    // 两平衡一冻结: the farmland of non-agricultural construction is frozen in the county's reserve (000 二(三));
    // a mineral case (违法采矿 / 越界开采) freezes no land quota (its input says so: older cases are land cases).
    const patches = (this.input.subject === 'mineral' ? [] : state.patches).map((p) => ({
      code: p.code,
      category: p.category,
      areas: p.determination.areas,
      nonAgricultural: NON_AGRICULTURAL(p),
      issuedAt: p.issuedAt,
      imagedAt: p.imagedAt,
    }));
    const frozen = await quota.freezeCaseQuota({ caseNo: this.caseNo, countyCode: this.input.countyCode, patches, now: Date.now() });
    state.planRounds = frozen.planRounds?.map((r) => Date.parse(r));
    await this.openTask(this.county('stop_order', { party: payload.party }), 'stop_order');
    await this.report();
  }

  /** 责令停止违法行为: the decision follows; an act not stopped is followed up until it stops. */
  private async stopOrder(task: TaskState, actor: Actor, payload: Payload<'stop_order'>): Promise<void> {
    if (task.taskId === this.state.stopFollowUpTaskId) {
      await this.stopOrderFollowedUp(task, actor, payload);
      return;
    }
    await this.closeTask(task, actor, payload, { status: 'decision' });
    // 拒不停止: the investigation goes on, and the act is followed up until it stops (patched: 'stop-order-follow-up').
    if (!payload.stopped && patched('stop-order-follow-up')) await this.followUpStopOrder(payload);
    await this.openTask(this.county('case_decision'), 'decision');
  }

  /** The act goes on after a stop order: a follow-up stop order (责令停止…复查) opens, due by the policy's stop-order deadline. */
  private async followUpStopOrder(previous: { documentNumber: string; issuedOn: string; notes?: string }): Promise<void> {
    this.state.actContinues = true;
    const followUp = await this.openTask(
      this.county('stop_order', { followUp: true, previous: { documentNumber: previous.documentNumber, issuedOn: previous.issuedOn, notes: previous.notes } }),
    );
    this.state.stopFollowUpTaskId = followUp.taskId;
  }

  /** A follow-up stop order: stopped ends the follow-up (and may let the case be struck off); not stopped opens the next. */
  private async stopOrderFollowedUp(task: TaskState, actor: Actor, payload: Payload<'stop_order'>): Promise<void> {
    this.state.stopFollowUpTaskId = undefined;
    await this.closeTask(task, actor, payload);
    if (!payload.stopped) {
      await this.followUpStopOrder(payload);
      return;
    }
    this.state.actContinues = false;
    await acts.updateCase({
      caseNo: this.caseNo,
      eventKey: this.engine.nextEventKey(),
      action: 'case.act_stopped',
      actor,
      caseUpdate: {},
      detail: { documentNumber: payload.documentNumber, issuedOn: payload.issuedOn },
    });
    await this.maybeStrikeOff();
  }

  /** 处罚决定: the path of rectification, and the transfers (移送) that must each come back with feedback. */
  private async decision(task: TaskState, actor: Actor, payload: Payload<'case_decision'>): Promise<void> {
    const { kind: _kind, ...decision } = payload;
    this.state.decision = decision;
    this.state.path = decision.path;
    await this.closeTask(task, actor, payload, { decision, path: decision.path, status: 'rectification' });
    // 移送: criminal matters to the judicial organs, discipline to the inspection organs, others to their departments.
    const transfers: Array<{ organ: TransferOrgan; department?: Department }> = [
      ...(decision.criminalReferral ? [{ organ: 'judicial' as const }] : []),
      ...(decision.disciplineReferral ? [{ organ: 'discipline' as const }] : []),
      ...decision.departments.map((department) => ({ organ: 'department' as const, department })),
    ];
    for (const t of transfers) {
      const opened = await this.openTask(this.county('transfer_feedback', { organ: t.organ, department: t.department }));
      this.state.transfers.push({ taskId: opened.taskId, organ: t.organ, department: t.department, feedback: false });
    }
    await this.openTask(this.county('rectification_plan', { path: decision.path }), 'rectification');
    await this.report();
  }

  /** A transfer's feedback came back: the last one may let the case be struck off. */
  private async transferFeedback(task: TaskState, actor: Actor, payload: Payload<'transfer_feedback'>): Promise<void> {
    const transfer = this.state.transfers.find((t) => t.taskId === task.taskId);
    if (transfer) transfer.feedback = true;
    await this.closeTask(task, actor, payload);
    await this.maybeStrikeOff();
  }

  /** 整改方案: the rectification itself follows. */
  private async rectificationPlan(task: TaskState, actor: Actor, payload: Payload<'rectification_plan'>): Promise<void> {
    await this.closeTask(task, actor, payload, { rectificationPlan: payload });
    await this.openTask(this.county('rectification', { path: this.state.path, plan: payload }), 'rectification');
  }
}
