/**
 * Plain types and constants shared by workflows, activities, the API and the UI.
 * Workflow code imports from here, so nothing in this file may pull in I/O or heavy modules.
 */

export const ROLES = ['officer', 'reviewer', 'supervisor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** 合法性判定: 合法 legal, 违法 illegal, 其他 other. */
export const LEGALITIES = ['legal', 'illegal', 'other'] as const;
export type Legality = (typeof LEGALITIES)[number];

/** Patch categories named in the notices (003 lists the first four; facility agriculture etc. also 003). */
export const PATCH_CATEGORIES = [
  'new_non_agricultural_construction', // 新增非农建设类
  'other_new_construction', // 其他新增建设类
  'other_change', // 其他变化类
  'continuous_change', // 年度内持续变化类
  'facility_agriculture', // 设施农业用地类
  'agricultural_project_illegal', // 农业项目违法类
  'unchanged_occupying_farmland', // 未变化占用耕地类
  'mineral', // 矿产卫片图斑
] as const;
export type PatchCategory = (typeof PATCH_CATEGORIES)[number];

/** Batch kinds (000): monthly T+10 batches, the annual supplementary batch, quarterly mineral gap-filling. */
export const BATCH_KINDS = ['monthly', 'annual_supplementary', 'mineral'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

/** Two issuers can exist side by side and report through different systems (004). */
export const PATCH_SOURCES = ['ministry', 'province'] as const;
export type PatchSource = (typeof PATCH_SOURCES)[number];

/** Where a patch is in its lifecycle. Also the `Stage` search attribute. */
export const PATCH_STAGES = [
  'issued',
  'verification', // 核查填报
  'review', // 内业审核
  'correction', // 退回修正
  'direct_determination', // 直接认定
  'onsite_check', // 上级实地核查
  'case', // 立案查处中
  'military_offline', // 军用土地，机要渠道上报
  'recheck', // 周期复核
  'closed',
  'split', // 被拆分: determined through its child patches (docs/domain.md §13)
  'merged', // 被合并: determined as part of the merged patch (docs/domain.md §13)
] as const;
export type PatchStage = (typeof PATCH_STAGES)[number];

/** Human task types. Each has one form in the UI and one completion payload shape. */
export const TASK_TYPES = [
  'verification',
  'correction',
  'review',
  'direct_determination',
  'onsite_check',
  'extension_decision',
  'military_report',
  // the violation case (docs/domain.md §6–8)
  'case_register', // 立案
  'stop_order', // 责令停止违法行为
  'case_decision', // 处罚决定（"六个该"）
  'transfer_feedback', // 移送/移交后的反馈
  'rectification_plan', // 整改方案
  'rectification', // 整改完成
  'acceptance_county', // 县级初验
  'acceptance_city', // 市级验收（出具拆除复耕到位证明）
  'acceptance_province', // 省级确认
  // periodic re-check (docs/domain.md §10)
  'recheck',
  // 拆分审核: the level above approves a county's split of a patch (docs/domain.md §13)
  'split_review',
  // 合并审核: the level above approves a county's merge of adjacent patches (docs/domain.md §13)
  'merge_review',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** Stages of a violation case. */
export const CASE_STAGES = [
  'register',
  'stop_order',
  'decision',
  'rectification',
  'acceptance',
  'awaiting_transfers', // illegal state eliminated, transfer feedback outstanding
  'struck_off', // 销号
  'merged', // merged into another case of the same party and site
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** How the illegal state is removed (docs/domain.md §7). */
export const RECTIFICATION_PATHS = ['demolish_recultivate', 'legalise', 'confiscate'] as const;
export type RectificationPath = (typeof RECTIFICATION_PATHS)[number];

/** Where a case is transferred or handed over (000 二(三); 001 三(二); 004 三(三)). */
export const TRANSFER_ORGANS = ['judicial', 'discipline', 'department'] as const;
export type TransferOrgan = (typeof TRANSFER_ORGANS)[number];
export const DEPARTMENTS = ['agriculture', 'water', 'forestry', 'ecology', 'housing', 'transport', 'urban_management'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export type TaskStatus = 'open' | 'completed' | 'cancelled' | 'expired';

/** Who acts: carried from the authenticated session into workflow Updates. */
export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  classified: boolean;
}

export const SYSTEM_ACTOR: Actor = {
  userId: 0,
  username: 'system',
  displayName: '系统',
  role: 'administrator',
  regionCode: '000000',
  classified: true,
};

/** 1 mu = 10000/15 m². */
export const SQUARE_METRES_PER_MU = 10000 / 15;
export const muFromSquareMetres = (m2: number): number => m2 / SQUARE_METRES_PER_MU;
