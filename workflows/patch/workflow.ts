/**
 * patchWorkflow: one durable process per patch (workflow id = patch code), from issuance to closure
 * (000 二; 001 三; 003 四): county verification → the review chain with send-back, correction and direct
 * determination → on-site checks by a higher level → closed, or handed to a violation case.
 *
 * The state (state.ts) is the whole truth about where the patch is; it is carried over continue-as-new.
 * Human tasks are opened by an activity (which writes the read model and returns the due instant from
 * the region's policy), completed through the `completeTask` Update, and watched by re-armable timers.
 * Every transition runs under one lock, so an Update and a firing timer never interleave. The stages
 * themselves are the methods of {@link PatchProcess}; this function wires the handlers and runs the loop.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { caseStatusSignal, type PatchInfo, type PatchSnapshot, requestSplitUpdate, snapshotQuery } from '../messages';
import { createTaskEngine } from '../tasks';
import { PatchMerge } from './merge';
import { PatchProcess } from './process';
import { PatchSplit } from './split';
import { issuedState, type PatchState, PatchView, TERMINAL, type WorkflowActor } from './state';
import { completionValidator } from './validation';

export type { OnsiteRecord, PatchState, WorkflowActor } from './state';

export interface PatchWorkflowInput {
  patch: PatchInfo;
  issuedBy?: WorkflowActor;
  /** Set by continue-as-new. */
  carried?: PatchState;
  /** Set by continue-as-new: a policy version received and not yet applied. */
  pendingPolicyVersion?: number;
}

export async function patchWorkflow(input: PatchWorkflowInput): Promise<PatchSnapshot> {
  const { patch } = input;
  const state = input.carried ?? issuedState();
  const engine = createTaskEngine({
    workflowId: workflowInfo().workflowId,
    subject: patch,
    book: state,
    changed: () => view.syncSearchAttributes(),
    expired: (task) => lifecycle.correctionExpired(task),
  });
  const view = new PatchView(patch, state, engine);
  const lifecycle = new PatchProcess(patch, state, engine, view);
  const split = new PatchSplit(patch, state, engine, view, { openTask: (spec) => lifecycle.openTask(spec) });
  const merge = new PatchMerge(patch, state, engine, view, { openTask: (spec) => lifecycle.openTask(spec) });
  const snapshot = () => view.snapshot();

  setHandler(snapshotQuery, snapshot);
  setHandler(caseStatusSignal, async (status) => {
    // Merged into another case of the same party and site: that case reports from now on.
    if (status.status === 'merged') {
      if (status.subject === 'mineral') state.mineralCaseNo = status.caseNo;
      else state.caseNo = status.caseNo;
    }
    if (!status.closed || state.stage !== 'case') return;
    await engine.exclusive(() => lifecycle.caseReported(status));
  });
  engine.registerTaskHandlers({
    label: `图斑 ${patch.code}`,
    snapshot,
    openTask: (spec) => lifecycle.openTask(spec),
    onTaskCompleted: async (task, req) => {
      if (req.payload.kind === 'split_review') return split.reviewed(task, req.payload, req);
      if (req.payload.kind === 'merge_review') return merge.reviewed(task, req.payload, req);
      await lifecycle.completed(task, req);
      // The county filed (or declined to correct) the whole patch: a split or merge waiting for review lapses.
      if (task.type === 'verification' || task.type === 'correction') await split.withdrawIfFiled();
      if (task.type === 'verification') await merge.withdrawIfFiled();
    },
    validateCompletion: completionValidator(engine, patch, state),
  });
  setHandler(
    requestSplitUpdate,
    (req) =>
      engine.exclusive(async () => {
        await split.propose(req);
        engine.wake();
        return snapshot();
      }),
    { validator: (req) => split.validate(req) },
  );
  merge.registerHandlers(snapshot);
  engine.receivePolicyChange(input.pendingPolicyVersion);

  view.syncSearchAttributes();
  if (!input.carried) await engine.exclusive(() => lifecycle.issue(input.issuedBy));

  while (!TERMINAL.includes(state.stage)) {
    // Only an expired correction is decided automatically (it goes to direct determination): its instant wakes the loop.
    await engine.waitForWork([engine.nextWakeAt((task) => task.type === 'correction'), lifecycle.nextRecheckAt()]);
    await engine.exclusive(async () => {
      // Overdue marking, escalation, and the expired correction.
      await engine.fireDueTimers();
      view.syncSearchAttributes();
      // A policy change reached this patch: due instants of open tasks recomputed, timers re-armed.
      if (await engine.applyPendingPolicyChange()) view.syncSearchAttributes();
      await lifecycle.openDueRecheck();
    });
    if (workflowInfo().continueAsNewSuggested && !TERMINAL.includes(state.stage)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof patchWorkflow>({ patch, carried: state, pendingPolicyVersion: engine.pendingPolicyChange() });
    }
  }
  if (state.stage === 'split')
    // 被拆分: the parent waits for its children and closes with their outcomes.
    await split.closeWhenChildrenDone();
  await condition(allHandlersFinished);
  return snapshot();
}
