/** What the workflows with human tasks share with the engine: its state, a task's opening, the system actor, failures. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { CaseUpdate, PatchUpdate } from '../../activities/tasks';
import type { ReviewLevel } from '../../domain/policy';
import { NATIONAL_CODE, regionLevel } from '../../domain/regions';
import type { Actor, Role, TaskType } from '../../domain/types';
import type { TaskState } from '../messages';

export const SYSTEM: Actor = { userId: 0, username: 'system', displayName: '系统', role: 'administrator', regionCode: NATIONAL_CODE, classified: true };

/** The part of a workflow's carried state that the engine keeps. */
export interface TaskBookState {
  /** Task sequence: task ids are `<workflowId>:<seq>`. */
  seq: number;
  /** Event sequence: audit event keys are `<workflowId>/e<events>`. */
  events: number;
  tasks: TaskState[];
  /** Ids of closed tasks (bounded), so a late completion is told "already done" rather than "unknown". */
  closedTaskIds: string[];
  policyVersion: number;
}

export interface OpenTaskSpec {
  type: TaskType;
  regionCode: string;
  role: Role;
  level?: ReviewLevel;
  restricted?: boolean;
  context?: Record<string, unknown>;
  patchUpdate?: PatchUpdate;
  caseUpdate?: CaseUpdate;
  /** Who opened it (its audit row): the name is all that is needed. */
  actor?: Pick<Actor, 'userId' | 'displayName'>;
  targetTaskId?: string;
  /** The instant its deadline counts from ('event' rules), when not its opening (epoch ms). */
  eventAt?: number;
  /** The patch's first task: its activity also writes the patch's `patch.issued` audit row (once, by its key). */
  issuance?: boolean;
}

/** The level above a region: county → city → province → the ministry. */
export function parentRegion(code: string): string {
  switch (regionLevel(code)) {
    case 'county':
      return `${code.slice(0, 4)}00`;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    default:
      return NATIONAL_CODE;
  }
}

export function fail(type: string, message: string, details?: unknown): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details: details === undefined ? [] : [details] });
}
