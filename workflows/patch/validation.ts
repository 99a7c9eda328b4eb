/**
 * The completeTask Update's validator: synchronous, no I/O, so a rejected Update leaves no trace in
 * history. The same rules are checked again in the handler for a completion accepted while its task
 * was still being opened.
 */
import { checkDetermination, type OccupiedAreas } from '../../domain/legality';
import type { CompleteTaskRequest, PatchInfo, TaskState } from '../messages';
import { fail, type TaskEngine } from '../tasks';

/** Who may complete the task and whether the payload keeps the region's rules (also re-checked once a task being opened is open). */
export function checkCompletion(
  engine: TaskEngine,
  patch: PatchInfo,
  task: TaskState,
  req: CompleteTaskRequest,
  o: { inHandler?: boolean; suggestedAreas?: OccupiedAreas } = {},
): void {
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
    // Areas that differ from the measured ones need a reason (docs/domain.md §13) where the areas are filed: the
    // county's filing and the direct determination. The suggestion is the workflow's own (the measuring activity's
    // result in its history), never the one a request carries.
    const suggestedAreas = countyFiling || task.type === 'direct_determination' ? o.suggestedAreas : undefined;
    const violations = checkDetermination(determination, { category: patch.category, batchKind: patch.batchKind, rules, suggestedAreas });
    if (violations.length) fail('RuleViolation', violations.map((v) => v.message).join('；'), violations);
  }
  engine.checkExtensionApproval(task, payload);
}

/** The Update validator: the task named must be this patch's, open, and the request must pass {@link checkCompletion}. */
export function completionValidator(engine: TaskEngine, patch: PatchInfo, state: { suggestedAreas?: OccupiedAreas }): (req: CompleteTaskRequest) => void {
  return (req) => checkCompletion(engine, patch, engine.taskFor(req.taskId, `图斑 ${patch.code}`), req, { suggestedAreas: state.suggestedAreas });
}
