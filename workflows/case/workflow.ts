/**
 * caseWorkflow: one durable process per violation case (workflow id = case number), docs/domain.md:
 * registration (立案) with the quota freeze, stop order, the decision and its "six musts", transfers that
 * wait for feedback, the rectification plan and rectification by one of three paths, the three-level
 * re-cultivation acceptance with the unfreeze, and the strike-off (销号) once the illegal state is gone
 * and every transfer has its feedback. The case reports its state to each linked patch.
 *
 * This file wires the handlers and runs the main loop (timers, Jiangmen's quota rounds, policy changes,
 * continue-as-new); the stages are in CaseProcess (process.ts, rectification.ts, steps.ts).
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { createTaskEngine, type TaskEngine } from '../tasks';
import { caseSnapshotQuery, mergeIntoSignal, type CaseSnapshot, type CaseWorkflowInput } from './messages';
import { CaseProcess } from './process';
import { nextPlanRound, settlePlanRound } from './quota';
import { caseSnapshot, caseSubject, initialCaseState, searchAttributeSync, type CaseState } from './state';

export type { CaseState, Transfer } from './state';

export async function caseWorkflow(
  input: CaseWorkflowInput & {
    carried?: CaseState /** Set by continue-as-new: a policy version received and not yet applied. */;
    pendingPolicyVersion?: number;
  },
): Promise<CaseSnapshot> {
  const { caseNo } = input;
  const state: CaseState = input.carried ?? initialCaseState(input);
  const sync = searchAttributeSync(input.countyCode, state, () => engine);
  const engine: TaskEngine = createTaskEngine({ workflowId: workflowInfo().workflowId, subject: caseSubject(input, state), book: state, changed: sync });
  const { exclusive, wake } = engine;
  const caseProcess = new CaseProcess(input, state, engine, sync);
  const snapshot = () => caseSnapshot(caseNo, state, engine);

  setHandler(caseSnapshotQuery, snapshot);
  setHandler(mergeIntoSignal, async ({ caseNo: target }) => {
    await exclusive(async () => {
      await caseProcess.mergeInto(target);
      wake();
    });
  });
  engine.registerTaskHandlers({
    label: `案件 ${caseNo}`,
    snapshot,
    openTask: (spec) => caseProcess.openTask(spec),
    onTaskCompleted: (task, req) => caseProcess.onTaskCompleted(task, req),
    validateCompletion: (req) => caseProcess.checkCompletion(engine.taskFor(req.taskId, `案件 ${caseNo}`), req),
  });
  engine.receivePolicyChange(input.pendingPolicyVersion);

  sync();
  if (!input.carried) await exclusive(() => caseProcess.open());

  const finished = () => state.stage === 'merged' || (state.struckOff && nextPlanRound(state) === undefined);
  while (!finished()) {
    await engine.waitForWork([engine.nextWakeAt(), nextPlanRound(state)]);
    await exclusive(async () => {
      await engine.fireDueTimers();
      const round = nextPlanRound(state);
      if (round !== undefined && Date.now() >= round) await settlePlanRound(caseNo, input.countyCode, state);
      await engine.applyPendingPolicyChange();
      sync();
    });
    if (workflowInfo().continueAsNewSuggested && !finished()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseWorkflow>({ ...input, carried: state, pendingPolicyVersion: engine.pendingPolicyChange() });
    }
  }
  await condition(allHandlersFinished);
  return snapshot();
}
