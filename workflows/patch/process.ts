/**
 * The patch's process, one method per stage in the notices' order (000 二(四); 001 三; 003 四): issuance and
 * the county's verification → the review chain, with send-back, correction and direct determination →
 * (in {@link PatchOutcome}) on-site checks by a higher level → closed, or handed to a violation case →
 * periodic re-checks. Every method runs under the engine's lock (an Update, a timer or the case's signal).
 */
import type { Determination } from '../../domain/legality';
import type { ReviewLevel } from '../../domain/policy';
import { levelRegion } from '../../domain/review';
import type { Actor } from '../../domain/types';
import type { CompleteTaskRequest, TaskState } from '../messages';
import { decisionActivities, SYSTEM } from '../tasks';
import { measureOnIssuance } from './measure';
import { type Done, type Payload, PatchOutcome } from './outcome';
import type { WorkflowActor } from './state';
import { checkCompletion } from './validation';

export class PatchProcess extends PatchOutcome {
  /** A completed task moves the patch on; which way depends on the task. */
  async completed(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    // A completion accepted while the task was still being opened is checked against its rules now
    // (who may act was decided by the validator; histories from before the level rule keep replaying).
    checkCompletion(this.engine, this.patch, task, req, { inHandler: true, suggestedAreas: this.state.suggestedAreas });
    const { payload, actor } = req;
    const done: Done = (update) => this.closeTask(task, 'completed', `${task.type}.completed`, actor, payload, update);
    switch (payload.kind) {
      case 'verification':
        return this.verified(payload, done);
      case 'review':
        return this.reviewed(task, payload, actor, done);
      case 'correction':
        return this.corrected(task, payload, actor, done);
      case 'direct_determination':
        return this.determinedDirectly(task, payload, done);
      case 'onsite_check':
        return this.checkedOnsite(task, payload, done);
      case 'recheck':
        return this.rechecked(payload, done);
      case 'extension_decision':
        await done();
        if (await this.engine.extendTarget(task, payload, actor)) this.view.syncSearchAttributes();
        return;
      case 'military_report':
        // Military land is reported through the classified channel; the system records only that it was (000, 002, 004).
        await this.closeTask(
          task,
          'completed',
          'military_report.completed',
          actor,
          { reportedOffline: true, reference: payload.reference },
          { stage: 'military_offline', closed: true },
        );
        return;
    }
  }

  // ---- issuance and the county's verification (核查填报) --------------------------------------------

  /** Issued: the county verifies, or reports military land offline. */
  async issue(issuedBy: WorkflowActor | undefined): Promise<void> {
    const { patch } = this;
    // `military` in histories recorded before the neutral `offline` flag.
    if (patch.offline || patch.military) {
      // Only users with the classified-handling permission see this task (000 二(二)).
      await this.openTask({
        type: 'military_report',
        regionCode: patch.countyCode,
        role: 'officer',
        restricted: true,
        stage: 'verification',
        actor: issuedBy,
        issuance: true,
      });
    } else {
      await this.openTask({ type: 'verification', regionCode: patch.countyCode, role: 'officer', stage: 'verification', actor: issuedBy, issuance: true });
    }
    // The land layers' areas and approvals, for the officer to confirm (docs/domain.md §13).
    const suggested = await measureOnIssuance(patch.code);
    if (suggested) this.state.suggestedAreas = suggested;
  }

  private async verified(payload: Payload<'verification'>, done: Done): Promise<void> {
    this.countyDetermined(payload.determination);
    await done(this.view.determinationUpdate());
    await this.continueReview(0);
  }

  /** The county filed (or corrected) its determination; the first one is what it reported. */
  private countyDetermined(d: Determination): void {
    this.state.determination = d;
    this.state.countyLegality ??= d.legality;
    this.state.determinedLevel = 'county';
    this.state.determinedAt = Date.now();
    this.countyAnswerReplacesDirectDetermination();
  }

  // ---- the review chain (逐级审核), send-back and correction (退回、修正) ------------------------------

  /**
   * Walks the review chain from `index`: opens the first level that covers the patch, or moves on.
   * `resubmittedBy`: the officer whose corrected answer this review looks at (its activity tells the reviewer
   * who sent it back; an activity argument only, so recorded histories replay as they are).
   */
  private async continueReview(index: number, resubmittedBy?: string): Promise<void> {
    const { patch, state } = this;
    for (let i = index; ; i++) {
      const decision = await decisionActivities().decideReviewLevel({
        patch,
        determination: state.determination!,
        levelIndex: i,
        eventKey: this.engine.nextEventKey(),
      });
      if (!decision) return this.afterReview();
      state.draws = [...state.draws.filter((d) => d.level !== decision.level), decision];
      if (!decision.selected) continue;
      state.reviewIndex = i;
      await this.openTask({
        type: 'review',
        regionCode: decision.regionCode,
        role: 'reviewer',
        level: decision.level,
        stage: 'review',
        eventAt: state.determinedAt,
        context: {
          ...this.levelContext(),
          level: decision.level,
          coverage: decision,
          ...(resubmittedBy !== undefined ? { resubmitted: true, resubmittedBy } : {}),
        },
        patchUpdate: this.view.determinationUpdate(),
      });
      return;
    }
  }

  private async reviewed(task: TaskState, payload: Payload<'review'>, actor: Actor, done: Done): Promise<void> {
    if (payload.decision === 'pass') {
      await done();
      await this.continueReview(this.state.reviewIndex + 1);
      return;
    }
    this.state.sendBacks += 1;
    await done({ sendBackCount: this.state.sendBacks });
    // 退回: the county corrects by the policy's correction deadline (Liaocheng: the 25th, 003).
    await this.openTask({
      type: 'correction',
      regionCode: this.patch.countyCode,
      role: 'officer',
      level: task.level,
      stage: 'correction',
      context: { ...this.levelContext(), level: task.level, reason: payload.reason, sentBackBy: actor.displayName },
    });
  }

  private async corrected(task: TaskState, payload: Payload<'correction'>, actor: Actor, done: Done): Promise<void> {
    if (payload.decision === 'submit') {
      this.countyDetermined(payload.determination);
      await done(this.view.determinationUpdate());
      // The level that sent it back looks again, and is told so.
      await this.continueReview(this.state.reviewIndex, actor.displayName);
    } else {
      await done();
      await this.openDirectDetermination(task.level!, 'declined', payload.reason);
    }
  }

  // ---- direct determination (直接认定) ----------------------------------------------------------

  /** 拒不修正: the correction deadline passed, so the level that sent it back determines directly (000 二(四)). */
  async correctionExpired(task: TaskState): Promise<boolean> {
    if (task.type !== 'correction') return false;
    await this.closeTask(task, 'expired', 'correction.expired', SYSTEM, { dueAt: new Date(this.engine.effectiveDue(task)).toISOString() });
    await this.openDirectDetermination(task.level!, 'expired');
    return true;
  }

  private async openDirectDetermination(level: ReviewLevel, why: 'declined' | 'expired', reason?: string): Promise<void> {
    await this.openTask({
      type: 'direct_determination',
      regionCode: levelRegion(level, this.patch.countyCode),
      role: 'reviewer',
      level,
      stage: 'direct_determination',
      context: { ...this.levelContext(), level, why, reason },
    });
  }

  /** 直接认定: marked as such and counted as such (000 二(四); 001 三(三); 003 四(二)); the chain goes on above. */
  private async determinedDirectly(task: TaskState, payload: Payload<'direct_determination'>, done: Done): Promise<void> {
    const { state } = this;
    state.determination = payload.determination;
    state.directDetermination = true;
    state.determinedLevel = task.level!;
    state.determinedAt = Date.now();
    await done(this.view.determinationUpdate());
    await this.continueReview(state.reviewIndex + 1);
  }
}
