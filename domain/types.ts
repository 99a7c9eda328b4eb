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
  'closed',
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
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

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
