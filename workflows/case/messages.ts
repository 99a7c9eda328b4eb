/** The case workflow's input and messages (shared with activities and the API). */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Determination } from '../../domain/legality';
import type { BatchKind, CaseStage, PatchCategory, RectificationPath } from '../../domain/types';

/** What the case needs of each patch it links. */
export interface CasePatch {
  code: string;
  countyCode: string;
  category: PatchCategory;
  batchKind: BatchKind;
  issuedAt: string;
  imagedAt?: string;
  determination: Determination;
}

export interface CaseWorkflowInput {
  caseNo: string;
  countyCode: string;
  patches: CasePatch[];
  origin: 'determination' | 'recheck';
  /** Opened by a re-check that found rebuilding: the patch's earlier case. */
  previousCaseNo?: string;
}

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

/** Another case of the same party and site took this one's patches (only before registration). */
export const mergeIntoSignal = defineSignal<[{ caseNo: string }]>('mergeInto');
export const caseSnapshotQuery = defineQuery<CaseSnapshot>('caseSnapshot');
