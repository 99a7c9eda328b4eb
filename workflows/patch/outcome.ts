/**
 * The later stages of the patch's process, and the steps every stage shares: on-site checks by a higher
 * level after the review chain, the outcome (closed, or handed to a violation case, which reports back),
 * and periodic re-checks. {@link PatchProcess} adds the earlier stages on top.
 */
import { patched } from '@temporalio/workflow';
import type { PatchUpdate } from '../../activities/tasks';
import type { ReviewLevel } from '../../domain/policy';
import type { Actor, PatchStage } from '../../domain/types';
import type { CaseStatus, PatchInfo, TaskPayload, TaskState } from '../messages';
import { acts, decisionActivities, type OpenTaskSpec, SYSTEM, type TaskEngine } from '../tasks';
import { settledCaseStatus, wantsMineralCase } from './mineral';
import type { PatchState, PatchView } from './state';

export type Payload<K extends TaskPayload['kind']> = Extract<TaskPayload, { kind: K }>;
/** Closes the task being completed, with the patch fields that change with it. */
export type Done = (update?: PatchUpdate) => Promise<void>;

export abstract class PatchOutcome {
  constructor(
    protected readonly patch: PatchInfo,
    protected readonly state: PatchState,
    protected readonly engine: TaskEngine,
    protected readonly view: PatchView,
  ) {}

  // ---- tasks ---------------------------------------------------------------------------------

  async openTask(
    spec: OpenTaskSpec & { /** The stage the patch enters; unset for side tasks (extension decisions). */ stage?: PatchStage },
  ): Promise<TaskState> {
    const task = await this.engine.openTask({ ...spec, patchUpdate: { ...spec.patchUpdate, ...(spec.stage ? { stage: spec.stage } : {}) } });
    if (spec.stage) this.state.stage = spec.stage;
    this.view.syncSearchAttributes();
    return task;
  }

  protected async closeTask(
    task: TaskState,
    status: 'completed' | 'cancelled' | 'expired',
    action: string,
    actor: Actor,
    result: unknown,
    patchUpdate?: PatchUpdate,
  ): Promise<void> {
    await this.engine.closeTask(task, status, action, actor, result, { patchUpdate });
    if (patchUpdate?.stage) this.state.stage = patchUpdate.stage;
    this.view.syncSearchAttributes();
  }

  protected levelContext() {
    return { determination: this.state.determination, countyLegality: this.state.countyLegality, sendBacks: this.state.sendBacks };
  }

  /**
   * A higher level's send-back of a directly determined result goes to the county, which is the subject of
   * the determination (001 三(一)) and corrects "限期纠正后逐级审核上报" (001 三(三); 000 二(四)). Its answer
   * is then the determination in force, so the direct-determination mark — "作为统计依据" only while the
   * higher level's decision stands (001 三(三); 003 四(二)) — is cleared; the audit keeps the direct
   * determination itself. Guarded: histories from before kept the mark.
   */
  protected countyAnswerReplacesDirectDetermination(): void {
    if (this.state.directDetermination && patched('county-answer-clears-direct-determination')) this.state.directDetermination = false;
  }

  // ---- on-site checks by a higher level (实地核查) ------------------------------------------------

  /** After the chain: on-site checks by a higher level where the thresholds say so, then the outcome. */
  protected async afterReview(after?: ReviewLevel): Promise<void> {
    const check = await decisionActivities().decideOnsiteCheck({ patch: this.patch, determination: this.state.determination!, after });
    if (check) {
      await this.openTask({
        type: 'onsite_check',
        regionCode: check.regionCode,
        role: 'reviewer',
        level: check.level,
        stage: 'onsite_check',
        context: { ...this.levelContext(), level: check.level, thresholds: check.rules },
        patchUpdate: this.view.determinationUpdate(),
      });
      return;
    }
    await this.finalize();
  }

  protected async checkedOnsite(task: TaskState, payload: Payload<'onsite_check'>, done: Done): Promise<void> {
    const { state } = this;
    if (payload.decision === 'confirm') {
      state.onsite = [...state.onsite, { level: task.level!, result: 'confirmed' }];
      await done({ onsiteChecks: state.onsite });
    } else if (payload.decision === 'overturn') {
      state.onsite = [...state.onsite, { level: task.level!, result: 'overturned', from: state.determination?.legality, to: payload.determination.legality }];
      state.determination = payload.determination;
      state.determinedLevel = task.level!;
      await done({ ...this.view.determinationUpdate(), onsiteChecks: state.onsite });
    }
    await this.afterReview(task.level);
  }

  // ---- the outcome: closed, or a violation case (立案查处) ----------------------------------------

  private async finalize(): Promise<void> {
    const mineralCase = wantsMineralCase(this.state);
    if (this.state.determination?.legality === 'illegal') {
      await this.requestCase('determination');
      if (mineralCase) await this.requestCase('determination', 'mineral');
    } else if (mineralCase) {
      await this.requestCase('determination', 'mineral');
    } else {
      if (await this.startRechecks(this.state.determination?.subType)) return;
      await this.close();
    }
    this.view.syncSearchAttributes();
  }

  private async close(detail?: unknown): Promise<void> {
    this.state.stage = 'closed';
    await decisionActivities().updatePatch({
      patchCode: this.patch.code,
      eventKey: this.engine.nextEventKey(),
      action: 'patch.closed',
      actor: SYSTEM,
      patchUpdate: { ...this.view.determinationUpdate(), stage: 'closed', closed: true },
      detail,
    });
  }

  /** The case is its own process; this patch stays open until the case reports back (see {@link caseReported}). */
  protected async requestCase(origin: 'determination' | 'recheck', subject?: 'mineral'): Promise<void> {
    const { patch, state } = this;
    // A re-check that reopens a case names the patch's earlier one (an activity argument: no new command).
    const previousCaseNo = origin === 'recheck' ? state.caseNo : undefined;
    const { caseNo } = await acts.requestCase({
      patch,
      determination: state.determination!,
      eventKey: this.engine.nextEventKey(),
      actor: SYSTEM,
      origin,
      ...(previousCaseNo ? { previousCaseNo } : {}),
      ...(subject ? { subject } : {}),
      now: Date.now(),
    });
    if (subject) state.mineralCaseNo = caseNo;
    else state.caseNo = caseNo;
    state.stage = 'case';
    await decisionActivities().updatePatch({
      patchCode: patch.code,
      eventKey: this.engine.nextEventKey(),
      action: subject ? 'patch.mineral_case_requested' : 'patch.case_requested',
      actor: SYSTEM,
      patchUpdate: { ...this.view.determinationUpdate(), stage: 'case', ...(subject ? { mineralCaseNo: caseNo } : { caseNo }) },
    });
  }

  /** The case was struck off (销号): the patch closes, or is re-checked when the land was re-cultivated. */
  async caseReported(reported: CaseStatus): Promise<void> {
    if (this.state.stage !== 'case') return;
    // With a mineral case beside the land case, the patch waits for both (地矿同核).
    const status = settledCaseStatus(this.state, reported);
    if (!status) return;
    if (status.path === 'demolish_recultivate' && (await this.startRechecks('demolished_recultivated'))) {
      this.engine.wake();
      return;
    }
    this.state.stage = 'closed';
    await decisionActivities().updatePatch({
      patchCode: this.patch.code,
      eventKey: this.engine.nextEventKey(),
      action: 'patch.closed',
      actor: SYSTEM,
      patchUpdate: { stage: 'closed', closed: true },
      detail: status,
    });
    this.view.syncSearchAttributes();
    this.engine.wake();
  }

  // ---- periodic re-checks (周期复核) ----------------------------------------------------------------

  /**
   * 周期复核 (003 四(六)): patches filed as facility agriculture, temporary land, rural road or unchanged, and
   * re-cultivated ones, are re-checked on the region's cycle. Returns whether a cycle started.
   */
  private async startRechecks(subType: string | undefined): Promise<boolean> {
    if (!patched('recheck-cycle')) return false;
    const plan = await decisionActivities().planRechecks({ countyCode: this.patch.countyCode, subType, now: Date.now() });
    if (plan.length === 0) return false;
    this.state.rechecks = plan.map((at) => Date.parse(at));
    this.state.stage = 'recheck';
    await decisionActivities().updatePatch({
      patchCode: this.patch.code,
      eventKey: this.engine.nextEventKey(),
      action: 'patch.recheck_scheduled',
      actor: SYSTEM,
      patchUpdate: { ...this.view.determinationUpdate(), stage: 'recheck' },
      detail: { at: plan },
    });
    this.view.syncSearchAttributes();
    return true;
  }

  /** The next re-check instant, while none is open. */
  nextRecheckAt(): number | undefined {
    const { state } = this;
    return state.stage === 'recheck' && state.rechecks?.length && !state.tasks.some((t) => t.type === 'recheck') ? state.rechecks[0] : undefined;
  }

  async openDueRecheck(): Promise<void> {
    const at = this.nextRecheckAt();
    if (at === undefined || Date.now() < at) return;
    await this.openTask({
      type: 'recheck',
      regionCode: this.patch.countyCode,
      role: 'officer',
      stage: 'recheck',
      context: { remaining: this.state.rechecks!.length, determination: this.state.determination, caseNo: this.state.caseNo },
    });
  }

  protected async rechecked(payload: Payload<'recheck'>, done: Done): Promise<void> {
    const { state } = this;
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
      this.countyAnswerReplacesDirectDetermination();
      await this.requestCase('recheck');
    } else if (state.rechecks.length === 0) {
      await this.close({ rechecks: 'completed' });
    }
    this.view.syncSearchAttributes();
  }
}
