/**
 * Reference layers (docs/domain.md §13): the land surveys' farmland (耕地, 三调 / 年度变更调查), permanent
 * basic farmland (永久基本农田), the ecological red line (生态保护红线) and the urban development boundary (城镇开发边界),
 * and the approval, filing and supply polygons (用地审批、备案、供地) on which legality rests ("图斑合法性判定以部审批、
 * 备案、监管系统信息为准", 000). A patch is measured against them on issuance; the officer confirms or overrides.
 */
import type { ApprovalType, OccupiedAreas } from './legality';

export const AREA_LAYER_KINDS = ['farmland', 'basic_farmland', 'red_line', 'urban_boundary'] as const;
export const APPROVAL_LAYER_KINDS = ['approval', 'filing', 'supply'] as const;
export const LAYER_KINDS = [...AREA_LAYER_KINDS, ...APPROVAL_LAYER_KINDS] as const;
export type AreaLayerKind = (typeof AREA_LAYER_KINDS)[number];
export type ApprovalLayerKind = (typeof APPROVAL_LAYER_KINDS)[number];
export type LayerKind = (typeof LAYER_KINDS)[number];

export const LAYER_KIND_LABELS: Record<LayerKind, { zh: string; en: string }> = {
  farmland: { zh: '耕地', en: 'farmland' },
  basic_farmland: { zh: '永久基本农田', en: 'permanent basic farmland' },
  red_line: { zh: '生态保护红线', en: 'ecological red line' },
  urban_boundary: { zh: '城镇开发边界', en: 'urban development boundary' },
  approval: { zh: '用地审批', en: 'land-use approval' },
  filing: { zh: '用地备案', en: 'land-use filing' },
  supply: { zh: '供地', en: 'land supply' },
};

/** The approval type an approval-layer polygon stands for in a determination. */
export const APPROVAL_TYPE_OF_LAYER: Record<ApprovalLayerKind, ApprovalType> = {
  approval: 'land_approval',
  filing: 'facility_agriculture',
  supply: 'land_supply',
};

export const isApprovalLayer = (kind: string): kind is ApprovalLayerKind => (APPROVAL_LAYER_KINDS as readonly string[]).includes(kind);

/** One layer version a measurement used. */
export interface LayerVersionRef {
  layerId: number;
  regionCode: string;
  kind: LayerKind;
  version: number;
  name: string;
}

/** An approval polygon that overlaps the patch. */
export interface ApprovalOverlap {
  kind: ApprovalLayerKind;
  layerId: number;
  documentNumber: string;
  /** YYYY-MM-DD, when the layer gives one. */
  date?: string;
  overlapMu: number;
  /** Overlap / patch area, 0–1. */
  share: number;
}

/** A patch measured against the layers (areas in mu, ellipsoidal on CGCS2000: domain/area.ts). */
export interface Measurement {
  patchCode: string;
  totalMu: number;
  farmlandMu: number;
  basicFarmlandMu: number;
  redLineMu: number;
  urbanBoundaryMu: number;
  approvals: ApprovalOverlap[];
  layers: LayerVersionRef[];
  measuredAt: string;
}

/** An approval covering at least this share of the patch suggests 合法 (the officer confirms; 000 "以…为准"). */
export const LEGAL_SUGGESTION_SHARE = 0.95;

const round2 = (v: number) => Math.round(v * 100) / 100;

/** The areas the form fills in from a measurement (rounded to 0.01 mu, as the report tables give them). */
export function suggestedAreas(m: Pick<Measurement, 'totalMu' | 'farmlandMu' | 'basicFarmlandMu' | 'redLineMu'>): OccupiedAreas {
  const totalMu = round2(m.totalMu);
  const farmlandMu = Math.min(totalMu, round2(m.farmlandMu));
  return { totalMu, farmlandMu, basicFarmlandMu: Math.min(farmlandMu, round2(m.basicFarmlandMu)), redLineMu: Math.min(totalMu, round2(m.redLineMu)) };
}

/** The legality the layers suggest: legal where one approval covers (nearly) all of the patch, none otherwise. */
export function suggestedLegality(m: Pick<Measurement, 'approvals'>): { legality: 'legal'; approval: ApprovalOverlap } | undefined {
  const best = [...m.approvals].sort((a, b) => b.share - a.share)[0];
  return best && best.share >= LEGAL_SUGGESTION_SHARE ? { legality: 'legal', approval: best } : undefined;
}

/** Whether submitted areas differ from the suggested ones (then the officer gives a reason, kept in the audit). */
export { areasOverridden } from './legality';
