/**
 * Rectification and its acceptance (000 二(三)(五); 003 四(一)): the rectification reported by one of
 * three paths, the on-site checks of the result, then for demolition and re-cultivation the three-level
 * acceptance (县级初验 → 市级验收并出具拆除复耕到位证明 → 省级确认) with the unfreeze; for legalisation and
 * confiscation the deduction of the frozen quota.
 */
import { patched } from '@temporalio/workflow';
import { AREA_EPS as EPS, round4 } from '../../domain/cases';
import { cityOf, provinceOf } from '../../domain/regions';
import { levelRegion } from '../../domain/review';
import type { Actor } from '../../domain/types';
import type { CompleteTaskRequest, TaskState } from '../messages';
import { acts } from '../tasks';
import { acceptedAreas, quota } from './quota';
import { CaseSteps } from './steps';

type Payload<K extends CompleteTaskRequest['payload']['kind']> = Extract<CompleteTaskRequest['payload'], { kind: K }>;

export class RectificationStages extends CaseSteps {
  /** 整改: checked on site where a level asked to, then accepted (复耕) or deducted (补办, 没收). */
  protected async rectify(task: TaskState, actor: Actor, payload: Payload<'rectification'>): Promise<void> {
    const { state } = this;
    state.rectifiedMu = payload.rectifiedMu;
    state.rectification = payload;
    // 图斑及其整改结果 (000 二(五); 003 四(一)): where a patch met a level's on-site threshold, that level checks
    // the rectification result on site before the acceptance goes on (patched: 'rectification-onsite-check').
    if (patched('rectification-onsite-check')) {
      const levels = await acts.rectificationOnsiteLevels({ patchCodes: state.patches.map((p) => p.code) });
      if (levels.length) {
        await this.closeTask(task, actor, payload, { rectification: payload, status: 'acceptance' });
        state.rectificationChecks = levels;
        await this.openRectificationCheck();
        await this.report();
        return;
      }
    }
    if (state.path === 'demolish_recultivate') {
      await this.closeTask(task, actor, payload, { rectification: payload, status: 'acceptance' });
      // 县级初验 → 市级验收并出具拆除复耕到位证明 (003 四(一)) → 省级确认后解冻 (000 二(三)).
      await this.openTask(this.county('acceptance_county', { rectification: payload }), 'acceptance');
      await this.report();
      return;
    }
    await this.closeTask(task, actor, payload, { rectification: payload });
    // 补办 or 没收: the frozen quota of the same quantity is deducted (000 二(三)).
    await this.deductAndEliminate();
  }

  private async deductAndEliminate(): Promise<void> {
    await quota.bookQuota({ entries: this.bookings('deduct', this.state.path === 'legalise' ? '补办用地手续' : '依法没收') });
    await this.eliminated(this.state.path!);
  }

  /** The on-site check of the rectification result by the first level still to check it. */
  protected async openRectificationCheck(): Promise<void> {
    const level = this.state.rectificationChecks![0];
    const { rectification, path } = this.state;
    await this.openTask(
      {
        type: 'onsite_check',
        regionCode: levelRegion(level, this.input.countyCode),
        role: 'reviewer',
        level,
        context: { level, rectification, path, checks: 'rectification' },
      },
      'acceptance',
    );
  }

  /** The rectification result checked on site: not as reported → back to rectification; else the next level, then on. */
  protected async rectificationCheckDone(task: TaskState, actor: Actor, payload: Payload<'onsite_check'>): Promise<void> {
    if (payload.decision !== 'confirm') {
      await this.closeTask(task, actor, payload, { status: 'rectification' });
      this.state.rectificationChecks = [];
      await this.backToRectification(task.level ?? 'onsite', 'reason' in payload ? payload.reason : '');
      return;
    }
    await this.closeTask(task, actor, payload);
    this.state.rectificationChecks = (this.state.rectificationChecks ?? []).slice(1);
    if (this.state.rectificationChecks.length) {
      await this.openRectificationCheck();
      return;
    }
    // Passed its on-site checks: the acceptance (re-cultivation), or the deduction and elimination.
    if (this.state.path === 'demolish_recultivate') {
      await this.openTask(this.county('acceptance_county', { rectification: this.state.rectification }), 'acceptance');
      await this.report();
      return;
    }
    await this.deductAndEliminate();
  }

  /** 县级初验: rejected → back to rectification; passed → the city. */
  protected async acceptanceCounty(task: TaskState, actor: Actor, payload: Payload<'acceptance_county'>): Promise<void> {
    if (payload.decision === 'reject') {
      await this.closeTask(task, actor, payload, { status: 'rectification' });
      await this.backToRectification('county', payload.reason);
      return;
    }
    await this.closeTask(task, actor, payload);
    const context = { rectification: this.state.rectification, countyAcceptance: payload };
    await this.openTask({ type: 'acceptance_city', regionCode: cityOf(this.input.countyCode), role: 'reviewer', context }, 'acceptance');
  }

  /** 市级验收并出具拆除复耕到位证明: rejected → back to rectification; passed → the province, with the certificate. */
  protected async acceptanceCity(task: TaskState, actor: Actor, payload: Payload<'acceptance_city'>): Promise<void> {
    if (payload.decision === 'reject') {
      await this.closeTask(task, actor, payload, { status: 'rectification' });
      await this.backToRectification('city', payload.reason);
      return;
    }
    await this.closeTask(task, actor, payload, { certificateNo: payload.certificateNo });
    const context = { rectification: this.state.rectification, certificateNo: payload.certificateNo };
    await this.openTask({ type: 'acceptance_province', regionCode: provinceOf(this.input.countyCode), role: 'reviewer', context }, 'acceptance');
  }

  /** 省级确认: rejected → back to rectification; confirmed → the quota unfreezes on what is accepted. */
  protected async acceptanceProvince(task: TaskState, req: CompleteTaskRequest, payload: Payload<'acceptance_province'>): Promise<void> {
    if (payload.decision === 'reject') {
      await this.closeTask(task, req.actor, payload, { status: 'rectification' });
      await this.backToRectification('province', payload.reason);
      return;
    }
    if (patched('accepted-area-unfreeze')) {
      await this.provinceConfirmed(task, req);
      return;
    }
    await this.closeTask(task, req.actor, payload);
    await quota.bookQuota({ entries: this.bookings('unfreeze', '拆除复耕经省级确认') });
    await this.eliminated('demolish_recultivate');
  }

  /**
   * 省级确认: what the confirmed rectification covers is accepted, farmland and non-farmland apart. The
   * farmland quota unfreezes in proportion to the accepted farmland (all of it once everything is accepted,
   * 000 二(三)); the construction-plan quota follows the accepted non-farmland at the next round (002 五(四)).
   * A partial acceptance sends the rest back to rectification.
   */
  private async provinceConfirmed(task: TaskState, req: CompleteTaskRequest): Promise<void> {
    const { state } = this;
    const { accepted, complete, areas } = acceptedAreas(state);
    state.accepted = accepted;
    state.acceptances = (state.acceptances ?? 0) + 1;
    await this.closeTask(task, req.actor, { ...req.payload, accepted }, complete ? undefined : { status: 'rectification' });
    if (complete) {
      await quota.bookQuota({ entries: this.bookings('unfreeze', '拆除复耕经省级确认') });
      await this.eliminated('demolish_recultivate');
      return;
    }
    const share = areas.farmlandMu > EPS ? Math.min(1, accepted.farmlandMu / areas.farmlandMu) : 0;
    if (share > 0) {
      const entries = this.bookings('unfreeze', `拆除复耕经省级确认（部分，已验收耕地${accepted.farmlandMu}亩）`, {
        share,
        key: `acceptance${state.acceptances}`,
      });
      await quota.bookQuota({ entries });
    }
    const context = { path: state.path, partial: true, accepted, remainingMu: round4(areas.totalMu - accepted.totalMu) };
    await this.openTask(this.county('rectification', context), 'rectification');
    await this.report();
  }
}
