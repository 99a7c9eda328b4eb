/**
 * What the `completeTask` Update validator checks for a case's task before anything is recorded: who may
 * act, the payload's shape and the six musts (domain/case-checks, the same the API checks with zod first),
 * the rectification cut-off, and the rectified areas against the case's illegal areas.
 */
import { checkCasePayload } from '../../domain/case-checks';
import { AREA_EPS as EPS, caseAreas, latestDateMessage, latestDateMessageEn, rectifiedFarmland } from '../../domain/cases';
import type { CompleteTaskRequest, TaskState } from '../messages';
import { fail, type TaskEngine } from '../tasks';
import type { CaseState } from './state';

type Payload<K extends CompleteTaskRequest['payload']['kind']> = Extract<CompleteTaskRequest['payload'], { kind: K }>;

export function checkCaseCompletion(state: CaseState, engine: TaskEngine, task: TaskState, req: CompleteTaskRequest): void {
  engine.checkAccess(req.actor, task);
  const payload = req.payload;
  if (payload.kind !== task.type) fail('InvalidPayload', `提交内容（${payload.kind}）与任务类型（${task.type}）不符`);
  // The shape and the six musts, whoever sent the Update (the API checks the same with zod first).
  const issues = checkCasePayload(task.type, payload as unknown as Record<string, unknown>);
  if (issues.length) fail('InvalidPayload', `提交内容不符合要求：${issues.map((i) => `${i.path}: ${i.message}`).join('；')}`, issues);
  if (payload.kind === 'rectification_plan' && task.latestDate && payload.plannedBy > task.latestDate) {
    const message = latestDateMessage(task.latestDate, payload.plannedBy);
    const messageEn = latestDateMessageEn(task.latestDate, payload.plannedBy);
    fail('RuleViolation', message, [
      { path: 'plannedBy', rule: 'beyond_rectification_cutoff', message, messageEn, params: { latest: task.latestDate, planned: payload.plannedBy } },
    ]);
  }
  if (payload.kind === 'rectification') checkRectification(state, payload);
  engine.checkExtensionApproval(task, payload);
}

function rule(path: string, ruleName: string, message: string, messageEn: string, params?: Record<string, number>): never {
  return fail('RuleViolation', message, [{ path, rule: ruleName, message, messageEn, ...(params ? { params } : {}) }]);
}

/** The areas rectified fit the illegal ones; the path's own document is there (补办: the approval, 没收: its document). */
function checkRectification(state: CaseState, payload: Payload<'rectification'>): void {
  const areas = caseAreas(state.patches);
  if (payload.rectifiedMu > areas.totalMu + EPS) {
    rule(
      'rectifiedMu',
      'rectified_exceeds_illegal',
      `整改面积（${payload.rectifiedMu}亩）不能大于违法用地面积（${areas.totalMu}亩）`,
      `the area rectified (${payload.rectifiedMu} mu) cannot exceed the illegally used area (${areas.totalMu} mu)`,
      { rectifiedMu: payload.rectifiedMu, totalMu: areas.totalMu },
    );
  }
  const farmland = payload.rectifiedFarmlandMu;
  if (farmland !== undefined) {
    if (farmland > payload.rectifiedMu + EPS)
      rule('rectifiedFarmlandMu', 'farmland_exceeds_rectified', '其中耕地面积不能大于整改面积', 'the farmland rectified cannot exceed the area rectified');
    if (farmland > areas.farmlandMu + EPS) {
      rule(
        'rectifiedFarmlandMu',
        'farmland_exceeds_illegal',
        `其中耕地面积不能大于违法占用耕地面积（${areas.farmlandMu}亩）`,
        `the farmland rectified cannot exceed the farmland illegally occupied (${areas.farmlandMu} mu)`,
        { farmlandMu: areas.farmlandMu },
      );
    }
    if (payload.rectifiedMu - farmland > areas.nonFarmlandMu + EPS) {
      rule(
        'rectifiedFarmlandMu',
        'non_farmland_exceeds_illegal',
        `整改的非耕地面积不能大于违法占用非耕地面积（${areas.nonFarmlandMu}亩）`,
        `the non-farmland rectified cannot exceed the non-farmland illegally occupied (${areas.nonFarmlandMu} mu)`,
        { nonFarmlandMu: areas.nonFarmlandMu },
      );
    }
  } else if (state.path === 'demolish_recultivate' && rectifiedFarmland(areas, payload.rectifiedMu) === undefined) {
    // Farmland and non-farmland unfreeze from different accounts (000 二(三); 002 五(四)): a partial rectification says which.
    rule(
      'rectifiedFarmlandMu',
      'farmland_split_required',
      '部分整改须填写其中耕地面积（耕地与非耕地分别解冻）',
      'a partial rectification says how much of it is farmland (farmland and non-farmland unfreeze apart)',
    );
  }
  if (state.path === 'legalise' && !payload.approval) {
    fail('RuleViolation', '补办用地手续须填写批准文件', [
      {
        path: 'approval',
        rule: 'approval_required',
        message: '补办用地手续须填写批准文件（类型、文号、日期）',
        messageEn: 'legalisation needs its approval document (type, number, date)',
      },
    ]);
  }
  if (state.path === 'confiscate' && !payload.confiscationDocument) {
    fail('RuleViolation', '没收须填写没收文书文号', [
      {
        path: 'confiscationDocument',
        rule: 'document_required',
        message: '没收须填写没收文书文号',
        messageEn: 'confiscation needs the number of its document',
      },
    ]);
  }
}
