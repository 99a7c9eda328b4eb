/** The case workflow's input and messages (shared with activities and the API). */
import { defineQuery } from '@temporalio/workflow';
import type { CaseStage, RectificationPath } from '../../domain/types';

// The input and the signal activities use too live in domain/ (below activities); re-exported for the workflows.
export { mergeIntoSignal, type CasePatch, type CaseWorkflowInput } from '../../domain/messages';

export interface CaseSnapshot {
  caseNo: string;
  stage: CaseStage;
  patches: string[];
  path?: RectificationPath;
  eliminated: boolean;
  transfers: Array<{ taskId: string; organ: string; department?: string; feedback: boolean }>;
  openTasks: Array<{ taskId: string; type: string; regionCode: string; dueAt: string; overdue: boolean; assignee?: { userId: number; displayName: string } }>;
  mergedInto?: string;
  /** What the province has confirmed as rectified, farmland and non-farmland apart. */
  accepted?: { totalMu: number; farmlandMu: number; nonFarmlandMu: number };
  /** A stop order was not obeyed and no follow-up has yet reported the act stopped. */
  actContinues?: boolean;
}

export const caseSnapshotQuery = defineQuery<CaseSnapshot>('caseSnapshot');
