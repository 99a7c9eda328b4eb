/**
 * The patch's state (the whole truth about where the patch is, carried over continue-as-new), the
 * snapshot the query answers, the patch fields every determination change writes to the read model,
 * and the search attributes.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { PatchUpdate } from '../../activities/tasks';
import type { Determination, OccupiedAreas } from '../../domain/legality';
import type { ReviewLevel } from '../../domain/policy';
import type { ReviewDecision } from '../../domain/review';
import { SA } from '../../domain/search-attributes';
import type { SplitChild } from '../../domain/split';
import type { Actor, Legality, PatchStage } from '../../domain/types';
import type { CaseStatus, MergeState, PatchInfo, PatchSnapshot } from '../messages';
import type { TaskBookState, TaskEngine } from '../tasks';

export interface OnsiteRecord {
  level: ReviewLevel;
  result: 'confirmed' | 'overturned';
  from?: Legality;
  to?: Legality;
}

export interface PatchState extends TaskBookState {
  stage: PatchStage;
  determination?: Determination;
  /** The areas measured on the land layers at issuance (the activity's result), where the patch was measured. */
  suggestedAreas?: OccupiedAreas;
  /** The county's first determination: what it reported. */
  countyLegality?: Legality;
  determinedLevel: 'county' | ReviewLevel;
  /**
   * When the determination in force was filed (the county's confirmation, or a direct determination),
   * epoch ms: what a review's deadline counts from — 省级…在县级…确认上报数据后一个月内完成内业审核 (000 二(四)),
   * not from when the province's task opens after the city passed. Unset in runs carried from before.
   */
  determinedAt?: number;
  directDetermination: boolean;
  /** Position in the region's review chain of the level reviewing (or last reviewed). */
  reviewIndex: number;
  sendBacks: number;
  draws: ReviewDecision[];
  onsite: OnsiteRecord[];
  caseNo?: string;
  /** The mineral violation's own case (地矿同核), and whether it is struck off; the land case's report while it waits. */
  mineralCaseNo?: string;
  mineralCaseClosed?: boolean;
  landCaseStatus?: CaseStatus;
  /** Periodic re-check (003 四(六)): the instants still to come, as epoch ms. */
  rechecks?: number[];
  /** 拆分 (docs/domain.md §13): the proposal under review, or approved (stage 'split'), and the children's outcomes once closed. */
  split?: { splitId: number; children: SplitChild[]; outcomes?: unknown[] };
  /** 合并 (docs/domain.md §13): the merge this patch proposed (under review), or the one it closed into (stage 'merged'). */
  merge?: MergeState;
}

/** An actor as a workflow's input names it: without the classified-handling permission (histories before carry it). */
export type WorkflowActor = Pick<Actor, 'userId' | 'displayName' | 'role' | 'regionCode'> & { classified?: boolean };

/** The main loop ends here; a split parent then waits for its children (split.ts). */
export const TERMINAL: PatchStage[] = ['closed', 'military_offline', 'split', 'merged'];

/** A patch just issued: the county verifies first. */
export function issuedState(): PatchState {
  return {
    stage: 'issued',
    seq: 0,
    events: 0,
    tasks: [],
    closedTaskIds: [],
    policyVersion: 0,
    determinedLevel: 'county',
    directDetermination: false,
    reviewIndex: 0,
    sendBacks: 0,
    draws: [],
    onsite: [],
  };
}

/** What the patch shows outside the workflow: the snapshot query, the read model's determination fields, the search attributes. */
export class PatchView {
  /** Search attributes are upserted only when they change, to keep the history small. */
  private lastSearchAttributes = '';

  constructor(
    private readonly patch: PatchInfo,
    private readonly state: PatchState,
    private readonly engine: TaskEngine,
  ) {}

  /** Reported legal (or other) by the county and found illegal above it. */
  concealed(): boolean {
    const { state } = this;
    return (state.countyLegality === 'legal' || state.countyLegality === 'other') && state.determination?.legality === 'illegal';
  }

  snapshot(): PatchSnapshot {
    const { state, engine } = this;
    return {
      patchCode: this.patch.code,
      stage: state.stage,
      legality: state.determination?.legality,
      determinedLevel: state.determinedLevel,
      directDetermination: state.directDetermination,
      concealed: this.concealed(),
      sendBacks: state.sendBacks,
      caseNo: state.caseNo,
      ...(state.mineralCaseNo ? { mineralCaseNo: state.mineralCaseNo } : {}),
      ...(state.split ? { split: state.split } : {}),
      ...(state.merge ? { merge: state.merge } : {}),
      overdue: engine.openTasks().some((t) => t.overdue),
      openTasks: engine.timedTasks().map((t) => ({
        taskId: t.taskId,
        type: t.type,
        regionCode: t.regionCode,
        role: t.role,
        dueAt: new Date(engine.effectiveDue(t)).toISOString(),
        overdue: t.overdue,
        ...(t.assignee ? { assignee: t.assignee } : {}),
      })),
      policyVersion: state.policyVersion,
    };
  }

  /** The patch fields every determination change writes to the read model. */
  determinationUpdate(): PatchUpdate {
    const { state } = this;
    return {
      legality: state.determination?.legality ?? null,
      determination: state.determination ?? null,
      directDetermination: state.directDetermination,
      determinedLevel: state.determinedLevel,
      countyLegality: state.countyLegality,
      concealed: this.concealed(),
      sendBackCount: state.sendBacks,
    };
  }

  syncSearchAttributes(): void {
    const { patch, state, engine } = this;
    const open = engine.timedTasks();
    const due = open.length ? Math.min(...open.map(engine.effectiveDue)) : undefined;
    const values = { stage: state.stage, legality: state.determination?.legality ?? null, overdue: open.some((t) => t.overdue), due: due ?? null };
    const key = JSON.stringify(values);
    if (key === this.lastSearchAttributes) return;
    const first = this.lastSearchAttributes === '';
    this.lastSearchAttributes = key;
    upsertSearchAttributes([
      ...(first
        ? [
            { key: SA.ProvinceCode, value: patch.provinceCode },
            { key: SA.CityCode, value: patch.cityCode },
            { key: SA.CountyCode, value: patch.countyCode },
            { key: SA.Category, value: patch.category },
            { key: SA.PatchSource, value: patch.source },
            { key: SA.BatchCode, value: patch.batchCode ?? null },
          ]
        : []),
      // Search attributes are listed by anyone reaching the Temporal server: the offline report's end shows as
      // an ordinary close, never as military (000 二(二)).
      { key: SA.Stage, value: values.stage === 'military_offline' ? 'closed' : values.stage },
      { key: SA.Legality, value: values.legality },
      { key: SA.Overdue, value: values.overdue },
      { key: SA.DueAt, value: due === undefined ? null : new Date(due) },
    ]);
  }
}
