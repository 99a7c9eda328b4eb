/**
 * 合并 (docs/domain.md §13), the split in reverse: the county proposes, while it verifies the first source, to merge
 * it with adjacent patches of the county and of one situation (the API checked them: policy, county, stage, batch
 * kind, adjacency); the level above decides (合并审核) in this, the lead's, workflow. Approved, the merged patch
 * becomes a patchWorkflow of its own (workflow id = its code) with the sources' earliest issuance — a merge buys no
 * time — and every source closes as 被合并: the others through the `closeMerged` Update, whose validator refuses a
 * stale or repeated request, this one here. New Updates and task type: histories from before never reach this
 * code, and its commands are behind `patched('patch-merge')`.
 */
import { ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import {
  type CloseMergedRequest,
  type CompleteTaskRequest,
  closeMergedUpdate,
  type MergeProposal,
  type PatchInfo,
  type PatchSnapshot,
  requestMergeUpdate,
  type TaskState,
} from '../messages';
import { acts, fail, parentRegion, SYSTEM, type TaskEngine } from '../tasks';
import type { Payload } from './outcome';
import type { PatchState, PatchView } from './state';

export interface MergeHooks {
  openTask: (spec: Parameters<TaskEngine['openTask']>[0]) => Promise<TaskState>;
}

export class PatchMerge {
  constructor(
    private readonly patch: PatchInfo,
    private readonly state: PatchState,
    private readonly engine: TaskEngine,
    private readonly view: PatchView,
    private readonly hooks: MergeHooks,
  ) {}

  /** Proposed by the county on this patch (`requestMerge`); a source closed by the lead's workflow (`closeMerged`). */
  registerHandlers(snapshot: () => PatchSnapshot): void {
    const { engine } = this;
    setHandler(
      requestMergeUpdate,
      (req) =>
        engine.exclusive(async () => {
          await this.propose(req);
          engine.wake();
          return snapshot();
        }),
      {
        validator: (req) => this.validate(req),
      },
    );
    setHandler(
      closeMergedUpdate,
      (req) =>
        engine.exclusive(async () => {
          await this.closeAsSource(req);
          engine.wake();
          return snapshot();
        }),
      {
        validator: (req) => this.validateClose(req),
      },
    );
  }

  /** The county's verification of this patch is open (not yet determined), the actor may file it, nothing else pends. */
  validate(req: MergeProposal): void {
    if (this.patch.offline || this.patch.military) fail('Conflict', '机要渠道上报的图斑不能合并', { reasonEn: 'a patch reported offline cannot be merged' });
    const task = this.engine.openTasks().find((t) => t.type === 'verification');
    if (!task) fail('Conflict', '只有尚未核查填报的图斑可以合并', { reasonEn: 'only a patch not yet determined can be merged' });
    this.engine.checkAccess(req.actor, task);
    if (this.state.merge || this.engine.openTasks().some((t) => t.type === 'merge_review' || t.type === 'split_review'))
      fail('Conflict', '该图斑已提交合并或拆分，待上级审核', { reasonEn: 'a merge or split of this patch awaits review' });
  }

  /** 提交合并: the level above the county decides (its reviewer), like a split; the county's task stays open meanwhile. */
  async propose(req: MergeProposal): Promise<void> {
    if (!patched('patch-merge')) return;
    this.state.merge = { mergeId: req.mergeId, mergedCode: req.mergedCode, sources: req.sources };
    await this.hooks.openTask({
      type: 'merge_review',
      regionCode: parentRegion(this.patch.countyCode),
      role: 'reviewer',
      context: {
        mergeId: req.mergeId,
        sources: req.sources,
        mergedCode: req.mergedCode,
        areaMu: req.areaMu,
        legality: req.legality,
        reason: req.reason,
        requestedBy: req.actor.displayName,
      },
      actor: req.actor,
    });
  }

  /** The county filed its determination of this patch meanwhile: the merge proposal lapses. */
  async withdrawIfFiled(): Promise<void> {
    const review = this.engine.openTasks().find((t) => t.type === 'merge_review');
    if (!review || !patched('patch-merge')) return;
    await this.engine.closeTask(review, 'cancelled', 'merge_review.withdrawn', SYSTEM, { reason: 'determination filed' });
    await acts.decideMerge({ mergeId: this.state.merge!.mergeId, status: 'withdrawn', actor: SYSTEM });
    this.state.merge = undefined;
  }

  /** 合并审核 decided: refused, or the merged patch starts and every source closes as 被合并. */
  async reviewed(task: TaskState, payload: Payload<'merge_review'>, req: CompleteTaskRequest): Promise<void> {
    const merge = this.state.merge!;
    await this.engine.closeTask(task, 'completed', 'merge_review.completed', req.actor, payload);
    if (payload.decision === 'reject') {
      await acts.decideMerge({ mergeId: merge.mergeId, status: 'rejected', actor: req.actor });
      this.state.merge = undefined;
      return;
    }
    const merged = await acts.decideMerge({ mergeId: merge.mergeId, status: 'approved', actor: req.actor, eventKey: this.engine.nextEventKey() });
    // A source was determined (or merged elsewhere) since the proposal: the merge lapsed, nothing changes.
    if (!merged) {
      this.state.merge = undefined;
      return;
    }
    await startChild('patchWorkflow', {
      workflowId: merged.code,
      args: [
        { patch: merged, issuedBy: { userId: req.actor.userId, displayName: req.actor.displayName, role: req.actor.role, regionCode: req.actor.regionCode } },
      ],
      // The merged patch is a patch in its own right: it outlives the lead's run.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    for (const source of merge.sources.filter((s) => s.code !== this.patch.code)) {
      await acts.closeMergedSource({ patchCode: source.code, mergeId: merge.mergeId, mergedCode: merged.code, leadCode: this.patch.code });
    }
    await this.close();
  }

  /** The `closeMerged` Update's validator: a request for another merge, or for a patch determined meanwhile, is stale; a second one a duplicate. */
  validateClose(req: CloseMergedRequest): void {
    if (this.state.stage === 'merged') {
      if (this.state.merge?.mergeId === req.mergeId) fail('Duplicate', `图斑 ${this.patch.code} 已合并至 ${req.mergedCode}`, { reasonEn: 'already merged' });
      fail('Conflict', `图斑 ${this.patch.code} 已合并至 ${this.state.merge?.mergedCode}`, { reasonEn: 'merged into another patch' });
    }
    if (!this.engine.openTasks().some((t) => t.type === 'verification') || this.state.determination)
      fail('Conflict', `图斑 ${this.patch.code} 已核查填报，不能合并`, { reasonEn: 'the patch was determined meanwhile' });
  }

  /** 被合并 (a source other than the lead), as the lead's workflow orders it. */
  async closeAsSource(req: CloseMergedRequest): Promise<void> {
    if (!patched('patch-merge')) return;
    const review = this.engine.openTasks().find((t) => t.type === 'merge_review');
    // This patch led a merge of its own that is now moot.
    if (review) await acts.decideMerge({ mergeId: this.state.merge!.mergeId, status: 'withdrawn', actor: SYSTEM });
    this.state.merge = { mergeId: req.mergeId, mergedCode: req.mergedCode, sources: [] };
    await this.close();
  }

  /** Closes this patch's open tasks and the patch itself as 被合并. */
  private async close(): Promise<void> {
    const mergedCode = this.state.merge!.mergedCode;
    for (const open of this.engine.openTasks()) {
      await this.engine.closeTask(open, 'cancelled', `${open.type}.merged`, SYSTEM, { mergedInto: mergedCode });
    }
    this.state.stage = 'merged';
    this.state.merge = { ...this.state.merge!, closed: true };
    this.view.syncSearchAttributes();
    await acts.updatePatch({
      patchCode: this.patch.code,
      eventKey: this.engine.nextEventKey(),
      action: 'patch.merged',
      actor: SYSTEM,
      patchUpdate: { stage: 'merged', closed: true },
      detail: { mergedInto: mergedCode, mergeId: this.state.merge.mergeId },
    });
  }
}
