/**
 * The case's carried state, what it answers to the `caseSnapshot` query, and the search attributes the
 * task lists filter on (stage, overdue, next due instant, the case's regions).
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { TaskSubject } from '../../activities/tasks';
import type { AreaSplit } from '../../domain/cases';
import type { ReviewLevel } from '../../domain/policy';
import { cityOf, provinceOf } from '../../domain/regions';
import { SA } from '../../domain/search-attributes';
import type { CaseStage, Department, RectificationPath, TransferOrgan } from '../../domain/types';
import type { CaseDecision } from '../messages';
import type { TaskBookState, TaskEngine } from '../tasks';
import type { CaseSnapshot, CasePatch, CaseWorkflowInput } from './messages';

export interface Transfer {
  taskId: string;
  organ: TransferOrgan;
  department?: Department;
  feedback: boolean;
}

export interface CaseState extends TaskBookState {
  stage: CaseStage;
  patches: CasePatch[];
  decision?: CaseDecision;
  path?: RectificationPath;
  rectifiedMu?: number;
  /**
   * What the province has confirmed as rectified (cumulative), farmland and non-farmland apart: the quota is
   * unfrozen on what is accepted, not on what the county reports (000 二(三); 002 五(四) 分批…验收，并按比例解冻).
   */
  accepted?: AreaSplit;
  /** Province confirmations so far (each partial one books its own unfreeze entries). */
  acceptances?: number;
  /**
   * A stop order was reported not obeyed (stopped: false): the act continues, a follow-up stop order stays
   * open (its task id here) and the case is not struck off until one reports the act stopped.
   */
  actContinues?: boolean;
  stopFollowUpTaskId?: string;
  /** The last rectification reported, shown to each acceptance level. */
  rectification?: unknown;
  /**
   * On-site checks of the rectification result still to come (the levels that checked the patches on site,
   * 图斑及其整改结果: 000 二(五); 003 四(一)); the open one is the first.
   */
  rectificationChecks?: ReviewLevel[];
  eliminated: boolean;
  struckOff: boolean;
  mergedInto?: string;
  transfers: Transfer[];
  /** Jiangmen's construction-plan rounds (epoch ms) and how many are settled. */
  planRounds?: number[];
  planSettled: number;
}

/** A new case waits for its registration (立案). */
export function initialCaseState(input: CaseWorkflowInput): CaseState {
  return {
    stage: 'register',
    seq: 0,
    events: 0,
    tasks: [],
    closedTaskIds: [],
    policyVersion: 0,
    patches: input.patches,
    eliminated: false,
    struckOff: false,
    transfers: [],
    planSettled: 0,
  };
}

/** What the case's tasks are about: the case, its first patch and that patch's batch. */
export function caseSubject(input: CaseWorkflowInput, state: CaseState): TaskSubject {
  const first = state.patches[0];
  return {
    kind: 'case',
    code: input.caseNo,
    patchCode: first.code,
    countyCode: input.countyCode,
    batchKind: first.batchKind,
    issuedAt: first.issuedAt,
    imagedAt: first.imagedAt,
  };
}

export function caseSnapshot(caseNo: string, state: CaseState, engine: TaskEngine): CaseSnapshot {
  return {
    caseNo,
    stage: state.stage,
    patches: state.patches.map((p) => p.code),
    path: state.path,
    eliminated: state.eliminated,
    transfers: state.transfers,
    mergedInto: state.mergedInto,
    accepted: state.accepted,
    actContinues: state.actContinues,
    openTasks: engine.timedTasks().map((t) => ({
      taskId: t.taskId,
      type: t.type,
      regionCode: t.regionCode,
      dueAt: new Date(engine.effectiveDue(t)).toISOString(),
      overdue: t.overdue,
      ...(t.assignee ? { assignee: t.assignee } : {}),
    })),
  };
}

/**
 * Upserts the search attributes when what they show changed (the regions with the first upsert). The
 * engine is passed late: it is created with this function as its `changed` callback.
 */
export function searchAttributeSync(countyCode: string, state: CaseState, engine: () => TaskEngine): () => void {
  let last = '';
  return () => {
    const open = engine().timedTasks();
    const due = open.length ? Math.min(...open.map(engine().effectiveDue)) : undefined;
    const key = JSON.stringify({ stage: state.stage, overdue: open.some((t) => t.overdue), due });
    if (key === last) return;
    const firstSync = last === '';
    last = key;
    upsertSearchAttributes([
      ...(firstSync
        ? [
            { key: SA.ProvinceCode, value: provinceOf(countyCode) },
            { key: SA.CityCode, value: cityOf(countyCode) },
            { key: SA.CountyCode, value: countyCode },
          ]
        : []),
      { key: SA.Stage, value: `case:${state.stage}` },
      { key: SA.Overdue, value: open.some((t) => t.overdue) },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  };
}
