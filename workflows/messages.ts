/**
 * The patch workflow's messages: the task-completion Update, the policy-change Signal and the state Query.
 * Imported by the API client as well as by the workflow; plain types only besides the definitions.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { TaskHolder } from '../domain/messages';
import type { CaseSnapshot } from './case/messages';
import type { CaseDecision, Party } from '../domain/cases';

export type { CaseDecision, Party };
// The messages activities send or read too live in domain/ (below activities); re-exported for the workflows.
export { caseStatusSignal, policyChangedSignal, type CaseStatus, type PatchInfo, type PolicyChanged, type TaskHolder } from '../domain/messages';
import type { Approval, Determination, DeterminationRules, EvidenceRef } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import type { MergeSource } from '../domain/merge';
import type { SplitChild } from '../domain/split';
import type { Actor, Legality, PatchStage, Role, TaskStatus, TaskType } from '../domain/types';

export interface TaskState {
  taskId: string;
  type: TaskType;
  regionCode: string;
  role: Role;
  level?: ReviewLevel;
  restricted: boolean;
  status: TaskStatus | 'completing';
  eventAt: number;
  /** NaN while the task is being opened (its due instant comes back from the activity). */
  dueAt: number;
  /** An approved extension replaces the policy's due instant until the task closes. */
  extendedTo?: number;
  overdue: boolean;
  escalateAfterMs: number;
  escalated: boolean;
  /** After the escalation: when the task is chased next (policy-set cycle, e.g. monthly for transfer feedback), and how often it was. */
  followUpAt?: number;
  reminders?: number;
  rules?: DeterminationRules;
  /** The latest date a completion may name (a rectification plan's deadline: the region's rectification cut-off). */
  latestDate?: string;
  /** For an extension decision: the task whose deadline it decides. */
  targetTaskId?: string;
  /** Who holds the task (claimed, or assigned by a reviewer, supervisor or administrator): only they complete it. */
  assignee?: TaskHolder;
}

/** Claim, release or hand a task to someone: work distribution, decided by the workflow like a completion. */
export interface AssignTaskRequest {
  taskId: string;
  actor: Actor;
  action: 'claim' | 'unclaim' | 'assign';
  /** For 'assign': the user as the API found them; the validator checks role, region and permission again. */
  assignee?: { userId: number; displayName: string; role: string; regionCode: string; classified: boolean; active: boolean };
  /** Part of a supervisor's bulk reassignment (recorded in the audit entry). */
  bulk?: boolean;
}

export interface AssignTaskResult {
  taskId: string;
  assignee: TaskHolder | null;
  /** False when the task already was where the request wanted it (a harmless repeat). */
  changed: boolean;
}

export interface CompleteTaskRequest {
  taskId: string;
  actor: Actor;
  payload: TaskPayload;
}

export type TaskPayload =
  | { kind: 'verification'; determination: Determination }
  | { kind: 'correction'; decision: 'submit'; determination: Determination }
  | { kind: 'correction'; decision: 'decline'; reason: string }
  | { kind: 'review'; decision: 'pass' }
  | { kind: 'review'; decision: 'send_back'; reason: string }
  | { kind: 'direct_determination'; determination: Determination; reason?: string }
  | { kind: 'onsite_check'; decision: 'confirm'; notes?: string }
  | { kind: 'onsite_check'; decision: 'overturn'; determination: Determination; reason: string }
  /** A case's rectification result checked on site and found not as reported: back to rectification. */
  | { kind: 'onsite_check'; decision: 'reject'; reason: string }
  | { kind: 'extension_decision'; decision: 'approve'; newDueDate: string; reason?: string }
  | { kind: 'extension_decision'; decision: 'reject'; reason: string }
  | { kind: 'military_report'; reportedOffline: true; reference?: string }
  | { kind: 'split_review'; decision: 'approve'; notes?: string }
  | { kind: 'split_review'; decision: 'reject'; reason: string }
  | { kind: 'merge_review'; decision: 'approve'; notes?: string }
  | { kind: 'merge_review'; decision: 'reject'; reason: string }
  | CasePayload;

export type CasePayload =
  | { kind: 'case_register'; party: Party; site: string; facts: string; legalBasis?: string; linkPatchCodes: string[] }
  | { kind: 'stop_order'; documentNumber: string; issuedOn: string; stopped: boolean; notes?: string }
  | ({ kind: 'case_decision' } & CaseDecision)
  | { kind: 'transfer_feedback'; receivedOn: string; result: string; documentNumber?: string }
  | { kind: 'rectification_plan'; responsiblePerson: string; measures: string; plannedBy: string }
  | {
      kind: 'rectification';
      completedOn: string;
      /** Cumulative: everything rectified so far, of which `rectifiedFarmlandMu` is farmland. */
      rectifiedMu: number;
      rectifiedFarmlandMu?: number;
      notes?: string;
      evidence: EvidenceRef[];
      approval?: Approval;
      confiscationDocument?: string;
    }
  | { kind: 'acceptance_county'; decision: 'pass'; notes?: string }
  | { kind: 'acceptance_county'; decision: 'reject'; reason: string }
  | { kind: 'acceptance_city'; decision: 'pass'; certificateNo: string; notes?: string }
  | { kind: 'acceptance_city'; decision: 'reject'; reason: string }
  | { kind: 'acceptance_province'; decision: 'confirm'; notes?: string }
  | { kind: 'acceptance_province'; decision: 'reject'; reason: string }
  | { kind: 'recheck'; finding: 'unchanged'; notes?: string; evidence: EvidenceRef[] }
  | { kind: 'recheck'; finding: 'rebuilt' | 'changed_use'; notes: string; evidence: EvidenceRef[] };

export interface OpenTaskView {
  taskId: string;
  type: TaskType;
  regionCode: string;
  role: Role;
  dueAt: string;
  overdue: boolean;
  assignee?: TaskHolder;
}

/** The answer to a completion and to the state query. */
export interface PatchSnapshot {
  patchCode: string;
  stage: PatchStage;
  legality?: Legality;
  /** Who made the determination in force: the county, or a higher level (direct determination, on-site overturn). */
  determinedLevel: 'county' | ReviewLevel;
  directDetermination: boolean;
  /** Reported legal or other by the county and found illegal by a higher level (瞒报). */
  concealed: boolean;
  sendBacks: number;
  caseNo?: string;
  /** The mineral violation's own case (地矿同核). */
  mineralCaseNo?: string;
  /** 拆分 (docs/domain.md §13): the split proposed or approved, and its children's outcomes once they closed. */
  split?: { splitId: number; children: SplitChild[]; outcomes?: unknown[] };
  /** 合并 (docs/domain.md §13): the merge proposed (this patch leads it) or approved (被合并 into `mergedCode`). */
  merge?: MergeState;
  overdue: boolean;
  openTasks: OpenTaskView[];
  policyVersion: number;
}

export interface ExtensionRequest {
  taskId: string;
  actor: Actor;
  reason: string;
  /** YYYY-MM-DD, optional: the date the officer asks for. */
  requestedDate?: string;
}

/** 拆分 (docs/domain.md §13): the county's proposed split, its polygons checked and stored by the API (patch_splits). */
export interface SplitProposal {
  splitId: number;
  actor: Actor;
  reason: string;
  children: SplitChild[];
  /** The parent's area as the children's are measured (its polygon), which the children add up to. */
  parentAreaMu?: number;
}

/** 合并 (docs/domain.md §13): the county's proposed merge, its polygons checked and stored by the API (patch_merges). */
export interface MergeProposal {
  mergeId: number;
  actor: Actor;
  reason: string;
  /** One situation: the legality class the county states for the merged patch. */
  legality: Legality;
  /** The sources, this patch first. */
  sources: MergeSource[];
  mergedCode: string;
  /** The union's ellipsoidal area. */
  areaMu: number;
}

/** A merge as a patch's state keeps it: proposed by this patch (the lead), or approved and this patch 被合并. */
export interface MergeState {
  mergeId: number;
  mergedCode: string;
  sources: MergeSource[];
  /** Set once the patch closed as 被合并. */
  closed?: boolean;
}

/** 被合并: the lead's workflow (through an activity) closes a source; stale or repeated requests are refused. */
export interface CloseMergedRequest {
  mergeId: number;
  mergedCode: string;
  leadCode: string;
}

/** Completing a task of a patch or of a case: the answer is the workflow's new state. */
export const completeTaskUpdate = defineUpdate<PatchSnapshot | CaseSnapshot, [CompleteTaskRequest]>('completeTask');
export const requestExtensionUpdate = defineUpdate<PatchSnapshot | CaseSnapshot, [ExtensionRequest]>('requestExtension');
export const assignTaskUpdate = defineUpdate<AssignTaskResult, [AssignTaskRequest]>('assignTask');
export const requestSplitUpdate = defineUpdate<PatchSnapshot, [SplitProposal]>('requestSplit');
export const requestMergeUpdate = defineUpdate<PatchSnapshot, [MergeProposal]>('requestMerge');
export const closeMergedUpdate = defineUpdate<PatchSnapshot, [CloseMergedRequest]>('closeMerged');
export const snapshotQuery = defineQuery<PatchSnapshot>('snapshot');
