/**
 * The legality determination (合法性判定) a county files for a patch, and the rules it must obey.
 * Pure: the API checks these before sending an Update, and the workflow's Update validator checks them
 * again against the rules it received with the task.
 */
import {
  CATEGORY_LABELS,
  CATEGORY_LABELS_EN,
  FARMLAND_FLAG_LABELS,
  FARMLAND_FLAG_LABELS_EN,
  LEGALITY_LABELS,
  LEGALITY_LABELS_EN,
  SUBTYPE_LABELS,
  SUBTYPE_LABELS_EN,
} from './labels';
import { checkMineral, mineralPartRequired, type MineralDetermination } from './mineral';
import { onsiteRuleMet, type EvidenceRequirement, type FarmlandFlag, type OnsiteCheckRule } from './policy';
import type { BatchKind, Legality, PatchCategory } from './types';

/** Sub-types per legality class, after 《土地卫片执法图斑合法性判定规则》. */
export const LEGALITY_SUBTYPES: Record<Legality, readonly string[]> = {
  legal: [
    'approved_construction', // 依法批准建设用地
    'linked_increase_decrease', // 城乡建设用地增减挂钩
    'temporary_land', // 临时用地
    'facility_agriculture', // 设施农业用地
    'land_consolidation', // 全域土地综合整治
    'other_legal', // 其他合法用地
  ],
  illegal: [
    'occupied_without_approval', // 未经批准占用
    'beyond_approved_scope', // 超出批准范围
    'changed_approved_use', // 擅自改变批准用途
    'illegal_mining', // 违法采矿
    'agricultural_project_illegal', // 农业项目违法 (filed as such: 003 四(一) 农业项目违法类)
    'other_illegal', // 其他违法
  ],
  other: [
    'unchanged', // 实地未变化
    'rural_road', // 农村道路
    'demolished_recultivated', // 已拆除复耕
    'agricultural_structure', // 农业结构调整
    'natural_change', // 自然灾害等非人为变化
    'other', // 其他
  ],
};

/** Approval systems whose records decide legality (000 二(二); 004 三(二)). */
export const APPROVAL_TYPES = [
  'land_pre_review', // 建设用地预审
  'land_approval', // 建设用地审批
  'linked_increase_decrease', // 城乡建设用地增减挂钩
  'land_supply', // 土地市场动态监测监管（供地）
  'temporary_land', // 临时用地
  'facility_agriculture', // 设施农业用地备案
  'land_consolidation', // 全域土地综合整治试点
] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

export interface Approval {
  type: ApprovalType;
  documentNumber: string;
  /** YYYY-MM-DD */
  date: string;
}

export interface OccupiedAreas {
  totalMu: number;
  farmlandMu: number;
  basicFarmlandMu: number;
  redLineMu: number;
}

export interface EvidenceRef {
  /** sha256 of the stored file, hex */
  sha256: string;
  kind: 'photo' | 'video';
  name?: string;
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  /** EXIF GPSImgDirection, degrees clockwise from north. */
  direction?: number;
}

export interface Determination {
  legality: Legality;
  subType: string;
  approvals: Approval[];
  areas: OccupiedAreas;
  farmlandFlags?: Partial<Record<FarmlandFlag, boolean>>;
  evidence: EvidenceRef[];
  notes?: string;
  /** 国家和省级交通能源水利等重大基础设施项目: left out of the accountability ratio (002 五(二)). */
  majorInfrastructure?: boolean;
  /** 新增建（构）筑物: whether new buildings or structures stand on the patch (000 二(五)). */
  newStructures?: boolean;
  /** 用矿情况 (一图两用、地矿同核, 000 二(一); 004 三(二)): the mineral part, beside the land part. */
  mineral?: MineralDetermination;
  /**
   * Why the areas differ from the ones measured on the land layers (docs/domain.md §13): required when they do
   * ({@link checkAreasOverride}).
   */
  areasOverrideReason?: string;
  /**
   * The areas the land layers suggested, as the API read them from the patch's measurement when the determination was
   * filed (never taken from the client): kept beside the confirmed ones in the patch and the audit.
   */
  suggestedAreas?: OccupiedAreas;
}

/** The policy rules a determination is checked against, carried with the task. */
export interface DeterminationRules {
  forbidOtherFor: PatchCategory[];
  farmlandFlags: FarmlandFlag[];
  /** The on-site photos a county's determination must carry; absent in tasks opened before it was a rule. */
  evidence?: EvidenceRequirement;
  /**
   * The region's on-site rules that test new buildings or structures (000 二(五)): a determination that
   * meets one of them but for that answer must give it. Absent on tasks opened before the rule existed.
   */
  newStructures?: OnsiteCheckRule[];
  /** The task asks for the mineral part of a mineral patch (domain/mineral.ts); absent on tasks opened before. */
  mineral?: boolean;
}

/**
 * How many photos with GPS a determination needs under a requirement: 违法 its `illegal` count, 合法
 * without an approval document its `legalWithoutApproval` count, anything else none.
 */
export function requiredGpsPhotos(d: { legality?: Legality | null; approvals?: unknown[] | null }, req: EvidenceRequirement | undefined): number {
  if (!req) return 0;
  if (d.legality === 'illegal') return req.illegal;
  if (d.legality === 'legal' && (d.approvals?.length ?? 0) === 0) return req.legalWithoutApproval;
  return 0;
}

/** The photos of an evidence list that carry a GPS position. */
export const gpsPhotoCount = (evidence: ReadonlyArray<{ kind?: string; gps?: unknown }> | null | undefined): number =>
  (evidence ?? []).filter((e) => e.kind === 'photo' && e.gps !== undefined && e.gps !== null).length;

export interface RuleViolation {
  /** Field path in the payload, e.g. "determination.farmlandFlags.rural_housing". */
  path: string;
  rule:
    | 'subtype_mismatch'
    | 'other_forbidden'
    | 'farmland_flag_required'
    | 'approval_required'
    | 'areas_inconsistent'
    | 'evidence_required'
    | 'new_structures_required'
    | 'area_required'
    | 'mineral_required'
    | 'mineral_inconsistent'
    | 'areas_override_reason_required';
  message: string;
  /** The same in English (what the API answers a request asking for English). */
  messageEn: string;
  /** The codes the message names (sub-type, legality, category, farmland question). */
  params?: Record<string, string>;
}

const AREA_FIELDS = ['totalMu', 'farmlandMu', 'basicFarmlandMu', 'redLineMu'] as const satisfies ReadonlyArray<keyof OccupiedAreas>;
const AREA_LABELS: Record<keyof OccupiedAreas, string> = { totalMu: '总', farmlandMu: '耕地', basicFarmlandMu: '永久基本农田', redLineMu: '生态保护红线' };
const AREA_LABELS_EN: Record<keyof OccupiedAreas, string> = {
  totalMu: 'total',
  farmlandMu: 'farmland',
  basicFarmlandMu: 'permanent basic farmland',
  redLineMu: 'ecological red line',
};

/** Checks a determination against the region's rules; the messages are for officers. */
export function checkDetermination(
  d: Determination,
  ctx: {
    category: PatchCategory;
    batchKind?: BatchKind;
    rules: DeterminationRules;
    /** The areas measured on the land layers (docs/domain.md §13), where the patch was measured. */
    suggestedAreas?: OccupiedAreas;
  },
  prefix = 'determination',
): RuleViolation[] {
  const out: RuleViolation[] = [];
  // 地矿同核: the mineral part is checked where given, and asked of a mineral patch where the task carries the rule.
  out.push(...checkMineral(d.mineral, ctx.rules.mineral === true && mineralPartRequired(ctx), prefix));
  if (!LEGALITY_SUBTYPES[d.legality].includes(d.subType)) {
    out.push({
      path: `${prefix}.subType`,
      rule: 'subtype_mismatch',
      message: `判定子类"${SUBTYPE_LABELS[d.subType] ?? d.subType}"不属于"${LEGALITY_LABELS[d.legality]}"类，请选择该类的子类`,
      messageEn: `the sub-type "${SUBTYPE_LABELS_EN[d.subType] ?? d.subType}" does not belong to "${LEGALITY_LABELS_EN[d.legality]}": choose one of its sub-types`,
      params: { subType: d.subType, legality: d.legality },
    });
  }
  // e.g. Ningxia: 对"新增非农建设类""年度内持续变化类"图斑，一般不得判定为其他类用地 (001 三(一)); the region's list is policy.
  if (d.legality === 'other' && ctx.rules.forbidOtherFor.includes(ctx.category)) {
    out.push({
      path: `${prefix}.legality`,
      rule: 'other_forbidden',
      message: `本地区规定："${CATEGORY_LABELS[ctx.category] ?? ctx.category}"图斑一般不得判定为其他类用地，请判定为合法或违法`,
      messageEn: `this region does not allow "other" for patches of the category "${CATEGORY_LABELS_EN[ctx.category] ?? ctx.category}": determine them legal or illegal`,
      params: { category: ctx.category },
    });
  }
  if (d.legality === 'legal' && d.approvals.length === 0 && d.subType !== 'other_legal') {
    out.push({
      path: `${prefix}.approvals`,
      rule: 'approval_required',
      message: '判定为合法须填写批准文件（类型、文号、日期）',
      messageEn: 'a legal determination needs its approval documents (type, number, date)',
    });
  }
  // The region's evidence rule (policy verification.evidence), where the task carries one.
  const need = requiredGpsPhotos(d, ctx.rules.evidence);
  const have = gpsPhotoCount(d.evidence);
  if (need > have) {
    const what = d.legality === 'illegal' ? '判定为违法' : '判定为合法但无批准文件';
    const whatEn = d.legality === 'illegal' ? 'an illegal determination' : 'a legal determination without an approval document';
    out.push({
      path: `${prefix}.evidence`,
      rule: 'evidence_required',
      message: `本地区规定：${what}须上传至少 ${need} 张带GPS位置的现场照片（现有 ${have} 张）`,
      messageEn: `this region requires ${whatEn} to carry at least ${need} on-site photo(s) with a GPS position (it has ${have})`,
      params: { legality: d.legality, need: String(need), have: String(have) },
    });
  }
  const a = d.areas;
  // Every area is stated (0 as 0): the review coverage, the on-site thresholds and the farmland answers read them,
  // so a left-out one must not pass as none (001 三(三); 003), whoever sent the determination.
  const missing = AREA_FIELDS.filter((k) => typeof a?.[k] !== 'number' || !Number.isFinite(a[k]));
  for (const k of missing) {
    out.push({
      path: `${prefix}.areas.${k}`,
      rule: 'area_required',
      message: `请填写${AREA_LABELS[k]}面积（亩，没有填0）`,
      messageEn: `give the ${AREA_LABELS_EN[k]} area in mu (0 when there is none)`,
      params: { area: k },
    });
  }
  if (missing.length) return out;
  out.push(...checkAreasOverride(d, ctx.suggestedAreas, prefix));
  if (a.farmlandMu > a.totalMu + 1e-9 || a.basicFarmlandMu > a.farmlandMu + 1e-9 || a.redLineMu > a.totalMu + 1e-9) {
    out.push({
      path: `${prefix}.areas`,
      rule: 'areas_inconsistent',
      message: '面积不一致：耕地不得大于总面积，永久基本农田不得大于耕地，生态保护红线不得大于总面积',
      messageEn:
        'the areas do not add up: farmland may not exceed the total, permanent basic farmland may not exceed farmland, the ecological red line may not exceed the total',
    });
  }
  if (d.legality === 'illegal' && a.farmlandMu > 0) {
    for (const flag of ctx.rules.farmlandFlags) {
      if (typeof d.farmlandFlags?.[flag] !== 'boolean') {
        out.push({
          path: `${prefix}.farmlandFlags.${flag}`,
          rule: 'farmland_flag_required',
          message: `违法占用耕地的图斑必须同时判定"${FARMLAND_FLAG_LABELS[flag]}"`,
          messageEn: `an illegal patch occupying farmland must also answer "${FARMLAND_FLAG_LABELS_EN[flag]}"`,
          params: { flag },
        });
      }
    }
  }
  // 对新增建（构）筑物疑似违法占用耕地100亩以上的图斑…逐一实地核查 (000 二(五)): whether there are new buildings decides it.
  if (typeof d.newStructures !== 'boolean' && ctx.rules.newStructures?.some((r) => onsiteRuleMet(r, d, ctx.category, { ignoreNewStructures: true }))) {
    out.push({
      path: `${prefix}.newStructures`,
      rule: 'new_structures_required',
      message: '本图斑达到上级实地核查标准，须填写是否有新增建（构）筑物',
      messageEn: "this patch meets a higher level's on-site check threshold: say whether there are new buildings or structures",
    });
  }
  return out;
}

/** The area fields whose submitted figure differs from the suggested one (by more than the 0.01 mu the form rounds to). */
export function areasOverridden(suggested: OccupiedAreas, submitted: OccupiedAreas): (keyof OccupiedAreas)[] {
  return AREA_FIELDS.filter((k) => Math.abs(suggested[k] - submitted[k]) > 0.005);
}

/**
 * 面积经核查修正 (docs/domain.md §13): areas that differ from the ones measured on the land layers need the officer's
 * reason. Without a measurement (no layers in force) the areas are the officer's alone and nothing is asked.
 */
export function checkAreasOverride(
  d: Pick<Determination, 'areas' | 'areasOverrideReason'>,
  suggested: OccupiedAreas | undefined,
  prefix = 'determination',
): RuleViolation[] {
  if (!suggested || !d.areas) return [];
  const differing = areasOverridden(suggested, d.areas);
  if (differing.length === 0 || (d.areasOverrideReason ?? '').trim() !== '') return [];
  return [
    {
      path: `${prefix}.areasOverrideReason`,
      rule: 'areas_override_reason_required',
      message: `${differing.map((k) => AREA_LABELS[k]).join('、')}面积与图层测算面积不同，请说明修正理由`,
      messageEn: `the ${differing.map((k) => AREA_LABELS_EN[k]).join(', ')} area differs from the one measured on the land layers: give the reason`,
      params: { fields: differing.join(',') },
    },
  ];
}
