/**
 * The messages of the workflows that activities send or read as well: a patch's and a case's workflow input,
 * the case status a case reports to its patches, the policy-change notice, who holds a task. Plain types and
 * the signal definitions as plain data (what `defineSignal` returns: `{ type: 'signal', name }`), so that
 * activities import them downward; workflows/messages.ts and workflows/case/messages.ts re-export them with
 * the workflows' own Updates and Queries.
 */
import type { SignalDefinition } from '@temporalio/common';
import type { Determination, DeterminationRules } from './legality';
import type { ReviewLevel } from './deadlines';
import type { BatchKind, PatchCategory, PatchSource, RectificationPath, TaskType } from './types';

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
  /**
   * Histories from before the offline flag: true for military land. New workflows never carry it — the
   * Temporal server and its Web UI are no classified channel (000 二(二); 002 三(三); 004 三(二)).
   */
  military?: boolean;
  /**
   * Reported through the offline channel (a military patch): the one neutral flag the workflow needs to open
   * the offline report instead of the verification; its input then holds no area and no geometry.
   */
  offline?: boolean;
  areaMu: number;
  /** Lineage (docs/domain.md §13): a split's child names its parent; it carries the parent's issuance, so its deadlines are the parent's. */
  parentCode?: string;
  /** Lineage (合并, docs/domain.md §13): a merged patch names its sources; it carries the earliest issuance of them. */
  mergedFrom?: string[];
}

export interface TaskHolder {
  userId: number;
  displayName: string;
}

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
  /** A mineral violation's own case (地矿同核): no farmland quota is frozen. Absent: a land case. */
  subject?: 'land' | 'mineral';
}

export interface CaseStatus {
  caseNo: string;
  status: string;
  /** The case is struck off: the patch closes with it. */
  closed: boolean;
  /** How the illegal state was removed, when closed (re-cultivated patches are re-checked). */
  path?: RectificationPath;
  /** A mineral case's report (地矿同核); absent from a land case's. */
  subject?: 'mineral';
}

export interface PolicyChanged {
  /** Monotonic: the id of the newest policy row that applies. Older or equal versions are ignored. */
  version: number;
  /** The due instants the fan-out computed and recorded already (a patch workflow's): see PolicyDues. */
  dues?: PolicyDues;
}

/**
 * A policy change's due instants for one patch workflow, computed by the fan-out (domain/deadlines.ts,
 * dueAtFor) and written to the read model before any signal goes out. With them come the facts they were
 * computed from: the workflow takes them only where those facts are its own (its patch's issuance, imaging,
 * batch kind and county; each open task's type, level and event), and recomputes otherwise.
 */
export interface PolicyDues {
  policyVersion: number;
  subject: { countyCode: string; batchKind: BatchKind; issuedAt: string; imagedAt?: string };
  tasks: Record<string, { type: TaskType; level?: ReviewLevel; eventAt: string; dueAt: string }>;
  escalateAfterMs: number;
  rules: DeterminationRules;
}

/** What `defineSignal` from @temporalio/workflow returns, without importing the workflow runtime here. */
const signal = <Args extends unknown[], Name extends string>(name: Name) => ({ type: 'signal', name }) as SignalDefinition<Args, Name>;

/** A case reports its status to the patches it links (activities/cases.ts signals it). */
export const caseStatusSignal = signal<[CaseStatus], 'caseStatus'>('caseStatus');
/** A region's policy changed: the running workflows of the subtree re-read their due instants. */
export const policyChangedSignal = signal<[PolicyChanged], 'policyChanged'>('policyChanged');
/** Another case of the same party and site took this one's patches (only before registration). */
export const mergeIntoSignal = signal<[{ caseNo: string }], 'mergeInto'>('mergeInto');
