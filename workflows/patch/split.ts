/**
 * 拆分 (docs/domain.md §13): the county proposes child polygons while it verifies (or corrects) the patch; the
 * level above approves or refuses (拆分审核). Approved, the parent's open tasks end, each child becomes its own
 * patchWorkflow (workflow id = child code) started by the parent as a child workflow, and the parent waits for
 * all of them and closes as 被拆分 with their outcomes. The children carry the parent's issuance, so their
 * deadlines are the parent's: a split does not buy time. New Update and task type: histories from before never
 * reach this code, and its commands are behind `patched('patch-split')`.
 */
import { ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import type { CompleteTaskRequest, PatchInfo, PatchSnapshot, SplitProposal, TaskState } from '../messages';
import { acts, fail, parentRegion, SYSTEM, type TaskEngine } from '../tasks';
import type { Payload } from './outcome';
import type { PatchState, PatchView } from './state';

/** The tasks a split replaces: the county's determination of the parent. */
const DETERMINING = ['verification', 'correction'];

export interface SplitHooks {
  openTask: (spec: Parameters<TaskEngine['openTask']>[0]) => Promise<TaskState>;
}

export class PatchSplit {
  /** The children's results, while the parent waits for them. */
  private results: Array<Promise<PatchSnapshot>> = [];

  constructor(
    private readonly patch: PatchInfo,
    private readonly state: PatchState,
    private readonly engine: TaskEngine,
    private readonly view: PatchView,
    private readonly hooks: SplitHooks,
  ) {}

  /** The Update's validator: the actor may file this patch's determination now, and no split waits for a decision. */
  validate(req: SplitProposal): void {
    if (this.patch.offline || this.patch.military) fail('Conflict', '机要渠道上报的图斑不能拆分', { reasonEn: 'a patch reported offline cannot be split' });
    const task = this.engine.openTasks().find((t) => DETERMINING.includes(t.type));
    if (!task) fail('Conflict', '只有核查填报或退回修正中的图斑可以拆分', { reasonEn: 'only a patch being verified or corrected can be split' });
    this.engine.checkAccess(req.actor, task);
    if (this.engine.openTasks().some((t) => t.type === 'split_review'))
      fail('Conflict', '该图斑已提交拆分，待上级审核', { reasonEn: 'a split of this patch awaits review' });
  }

  /** 提交拆分: the level above the county decides (its reviewer), like an extension; the county's task stays open meanwhile. */
  async propose(req: SplitProposal): Promise<void> {
    if (!patched('patch-split')) return;
    this.state.split = { splitId: req.splitId, children: req.children };
    await this.hooks.openTask({
      type: 'split_review',
      regionCode: parentRegion(this.patch.countyCode),
      role: 'reviewer',
      context: {
        splitId: req.splitId,
        children: req.children,
        reason: req.reason,
        requestedBy: req.actor.displayName,
        parentAreaMu: req.parentAreaMu ?? this.patch.areaMu,
      },
      actor: req.actor,
    });
  }

  /** The county filed its determination of the whole patch meanwhile: the split proposal lapses. */
  async withdrawIfFiled(): Promise<void> {
    const review = this.engine.openTasks().find((t) => t.type === 'split_review');
    if (!review) return;
    await this.engine.closeTask(review, 'cancelled', 'split_review.withdrawn', SYSTEM, { reason: 'determination filed' });
    await acts.decideSplit({ splitId: this.state.split!.splitId, status: 'withdrawn', actor: SYSTEM });
    this.state.split = undefined;
  }

  /** 拆分审核 decided. */
  async reviewed(task: TaskState, payload: Payload<'split_review'>, req: CompleteTaskRequest): Promise<void> {
    const split = this.state.split!;
    await this.engine.closeTask(task, 'completed', 'split_review.completed', req.actor, payload);
    if (payload.decision === 'reject') {
      await acts.decideSplit({ splitId: split.splitId, status: 'rejected', actor: req.actor });
      this.state.split = undefined;
      return;
    }
    const codes = split.children.map((c) => c.code);
    for (const open of this.engine.openTasks().filter((t) => t !== task)) {
      await this.engine.closeTask(open, 'cancelled', `${open.type}.split`, SYSTEM, { splitInto: codes });
    }
    const children = await acts.decideSplit({ splitId: split.splitId, status: 'approved', actor: req.actor, eventKey: this.engine.nextEventKey() });
    this.state.stage = 'split';
    this.view.syncSearchAttributes();
    for (const child of children) {
      const handle = await startChild('patchWorkflow', {
        workflowId: child.code,
        args: [
          { patch: child, issuedBy: { userId: req.actor.userId, displayName: req.actor.displayName, role: req.actor.role, regionCode: req.actor.regionCode } },
        ],
        // The children are patches in their own right: they outlive anything that ends the parent's run.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      this.results.push(handle.result() as Promise<PatchSnapshot>);
    }
  }

  /** 被拆分: once every child has closed, the parent closes with their outcomes. */
  async closeWhenChildrenDone(): Promise<void> {
    const outcomes = await Promise.all(
      this.results.map((r, i) =>
        r.then(
          (s) => ({ code: s.patchCode, stage: s.stage, legality: s.legality ?? null, caseNo: s.caseNo ?? null }),
          () => ({ code: this.state.split!.children[i].code, stage: 'failed', legality: null, caseNo: null }),
        ),
      ),
    );
    this.state.split = { ...this.state.split!, outcomes };
    await acts.updatePatch({
      patchCode: this.patch.code,
      eventKey: this.engine.nextEventKey(),
      action: 'patch.split_closed',
      actor: SYSTEM,
      patchUpdate: { stage: 'split', closed: true },
      detail: { children: outcomes },
    });
  }
}
