/**
 * The patch workflow's messages: the task-completion Update, the policy-change Signal and the state Query.
 * Imported by the API client as well as by the workflow; plain types only besides the definitions.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Determination, DeterminationRules } from '../domain/legality';
import type { ReviewLevel } from '../domain/policy';
import type {
  Actor,
  BatchKind,
  Legality,
  PatchCategory,
  PatchSource,
  PatchStage,
  Role,
  TaskStatus,
  TaskType,
} from '../domain/types';

/** What the process needs to know about a patch (the geometry stays in PostgreSQL). */
export interface PatchInfo {
  code: string;
  countyCode: string;
  cityCode: string;
  provinceCode: string;
  category: PatchCategory;
  source: PatchSource;
  batchCode?: string;
  batchKind: BatchKind;
  issuedAt: string;
  imagedAt?: string;
  military: boolean;
  areaMu: number;
}

export interface TaskState {
  taskId: string;
  type: TaskType;
  regionCode: string;
  role: Role;
  level?: ReviewLevel;
  restricted: boolean;
  status: TaskStatus | 'completing';
  eventAt: number;
  dueAt: number;
  /** An approved extension replaces the policy's due instant until the task closes. */
  extendedTo?: number;
  overdue: boolean;
  escalateAfterMs: number;
  escalated: boolean;
  rules?: DeterminationRules;
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
  | { kind: 'extension_decision'; decision: 'approve'; newDueDate: string; reason?: string }
  | { kind: 'extension_decision'; decision: 'reject'; reason: string }
  | { kind: 'military_report'; reportedOffline: true; reference?: string };

export interface OpenTaskView {
  taskId: string;
  type: TaskType;
  regionCode: string;
  role: Role;
  dueAt: string;
  overdue: boolean;
}

/** The answer to a completion and to the state query. */
export interface PatchSnapshot {
  patchCode: string;
  stage: PatchStage;
  legality?: Legality;
  directDetermination: boolean;
  overdue: boolean;
  openTasks: OpenTaskView[];
  policyVersion: number;
}

export interface PolicyChanged {
  /** Monotonic: the id of the newest policy row that applies. Older or equal versions are ignored. */
  version: number;
}

export const completeTaskUpdate = defineUpdate<PatchSnapshot, [CompleteTaskRequest]>('completeTask');
export const policyChangedSignal = defineSignal<[PolicyChanged]>('policyChanged');
export const snapshotQuery = defineQuery<PatchSnapshot>('snapshot');
