/**
 * The export for upload (成果上报): a batch's or a region's patches with their results, in the provincial
 * attribute schema (the fields the import reads — JCBH, XZQDM, TBLX, JCMJ, GDMJ, HSX, LZB, BZB, SFJY; see
 * domain/attribute-mapping.ts PROVINCIAL_PRESET — plus the result fields). Areas in square metres with two
 * decimals, as the land-survey databases keep them (the vector data's convention); dates as dates. Plain
 * data and a pure function, so that the GeoPackage and the shapefile carry the same table and README lists it.
 */
import { CATEGORY_LABELS, LEGALITY_LABELS, STAGE_LABELS, SUBTYPE_LABELS } from './labels';
import { SQUARE_METRES_PER_MU, type Legality, type PatchCategory, type PatchStage } from './types';

export interface ExportField {
  /** dBase field name: at most 10 ASCII bytes. */
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  length: number;
  decimals: number;
  /** What the field holds, in the notices' words. */
  label: string;
}

const c = (name: string, length: number, label: string): ExportField => ({ name, type: 'C', length, decimals: 0, label });
const m2 = (name: string, label: string): ExportField => ({ name, type: 'N', length: 19, decimals: 2, label });

export const EXPORT_FIELDS: ExportField[] = [
  c('JCBH', 60, '监测编号'),
  c('XZQDM', 12, '行政区代码（县级）'),
  c('TBLX', 50, '图斑类型'),
  m2('JCMJ', '监测面积（平方米）'),
  m2('GDMJ', '下发耕地面积（平方米）'),
  { name: 'HSX', type: 'D', length: 8, decimals: 0, label: '后时相（成像日期）' },
  { name: 'LZB', type: 'N', length: 19, decimals: 8, label: '中心点经度（CGCS2000）' },
  { name: 'BZB', type: 'N', length: 19, decimals: 8, label: '中心点纬度（CGCS2000）' },
  c('SFJY', 1, '是否军用（1 是，0 否）'),
  c('PCBH', 60, '下发批次'),
  c('TBLY', 10, '图斑来源（部卫片／省卫片）'),
  { name: 'XFRQ', type: 'D', length: 8, decimals: 0, label: '下发日期' },
  c('JD', 20, '办理阶段'),
  c('PDJG', 10, '合法性判定（合法／违法／其他）'),
  c('PDZL', 60, '判定子类'),
  c('PDJB', 10, '判定层级（县／市／省）'),
  c('ZJRD', 1, '直接认定（1 是，0 否）'),
  m2('PDMJ', '核实总面积（平方米）'),
  m2('PDGDMJ', '其中耕地（平方米）'),
  m2('PDJBNTMJ', '其中永久基本农田（平方米）'),
  m2('PDSTHXMJ', '其中生态保护红线（平方米）'),
  c('PZWH', 254, '用地审批、备案、供地文号及日期'),
  c('AJBH', 30, '案件编号'),
  c('ZGZT', 10, '整改状态（已整改／未整改）'),
  c('ZGFS', 20, '整改方式'),
  c('JSKJ', 40, '计数口径（拆分、合并时计入下发数或成果数）'),
  c('LYTB', 254, '来源图斑（拆分的原图斑，或合并的各图斑）'),
  c('QXTB', 60, '去向图斑（合并后的图斑）'),
];

/** The patch row the export reads (api/services/patch-export.ts), one patch at a time. */
export interface ExportRow {
  code: string;
  countyCode: string;
  category: string;
  areaMu: number;
  farmlandMu: number | null;
  imagedAt: Date | string | null;
  centroid: unknown;
  military: boolean;
  batchCode: string | null;
  source: string;
  issuedAt: Date | string;
  stage: string;
  legality: string | null;
  determination: unknown;
  determinedLevel: string | null;
  directDetermination: boolean;
  caseNo: string | null;
  rectified: boolean;
  rectificationPath: string | null;
  /** A split's child: its parent. */
  parentCode?: string | null;
  /** A merged patch: the patches it was merged from. */
  mergedFrom?: string[] | null;
  /** A patch merged into another: that one. */
  mergedInto?: string | null;
}

/**
 * Which counts a row enters (docs/domain.md §13): issued counts the patches as issued (unsplit patches, split
 * parents, merge sources); results count what was determined (unsplit patches, split children, merged patches).
 */
export function countingRule(row: Pick<ExportRow, 'stage' | 'parentCode' | 'mergedFrom'>): string {
  if (row.stage === 'split') return '计下发数，不计成果数（已拆分）';
  if (row.stage === 'merged') return '计下发数，不计成果数（已合并）';
  if (row.parentCode) return '计成果数，不计下发数（拆分子图斑）';
  if (row.mergedFrom?.length) return '计成果数，不计下发数（合并图斑）';
  return '下发数与成果数均计';
}

const RECTIFICATION_PATH_LABELS: Record<string, string> = { demolish_recultivate: '拆除复耕', legalise: '补办手续', confiscate: '没收' };
const LEVEL_LABELS: Record<string, string> = { county: '县级', city: '市级', province: '省级' };

const squareMetres = (mu: unknown) => (typeof mu === 'number' && Number.isFinite(mu) ? Math.round(mu * SQUARE_METRES_PER_MU * 100) / 100 : null);
/** A Shanghai calendar date (the notices' days), YYYY-MM-DD. */
const shanghaiDate = (v: Date | string | null) => (v ? new Date(new Date(v).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : null);

interface DeterminationShape {
  subType?: string;
  areas?: { totalMu?: number; farmlandMu?: number; basicFarmlandMu?: number; redLineMu?: number };
  approvals?: Array<{ documentNumber?: string; date?: string }>;
}

/** The attribute values of one patch in the export schema (null where the patch has none yet). */
export function exportProperties(row: ExportRow): Record<string, string | number | null> {
  const d = (row.determination ?? {}) as DeterminationShape;
  const centre = Array.isArray(row.centroid) ? (row.centroid as number[]) : null;
  return {
    JCBH: row.code,
    XZQDM: row.countyCode,
    TBLX: CATEGORY_LABELS[row.category as PatchCategory] ?? row.category,
    JCMJ: squareMetres(row.areaMu),
    GDMJ: squareMetres(row.farmlandMu),
    HSX: shanghaiDate(row.imagedAt),
    LZB: centre ? centre[0] : null,
    BZB: centre ? centre[1] : null,
    SFJY: row.military ? '1' : '0',
    PCBH: row.batchCode,
    TBLY: row.source === 'ministry' ? '部卫片' : '省卫片',
    XFRQ: shanghaiDate(row.issuedAt),
    JD: STAGE_LABELS[row.stage as PatchStage] ?? row.stage,
    PDJG: row.legality ? LEGALITY_LABELS[row.legality as Legality] : null,
    PDZL: d.subType ? (SUBTYPE_LABELS[d.subType] ?? d.subType) : null,
    PDJB: row.determinedLevel ? (LEVEL_LABELS[row.determinedLevel] ?? row.determinedLevel) : null,
    ZJRD: row.directDetermination ? '1' : '0',
    PDMJ: squareMetres(d.areas?.totalMu),
    PDGDMJ: squareMetres(d.areas?.farmlandMu),
    PDJBNTMJ: squareMetres(d.areas?.basicFarmlandMu),
    PDSTHXMJ: squareMetres(d.areas?.redLineMu),
    PZWH: d.approvals?.length ? d.approvals.map((a) => `${a.documentNumber ?? ''}（${a.date ?? ''}）`).join('；') : null,
    AJBH: row.caseNo,
    ZGZT: row.legality === 'illegal' ? (row.rectified ? '已整改' : '未整改') : null,
    ZGFS: row.rectificationPath ? (RECTIFICATION_PATH_LABELS[row.rectificationPath] ?? row.rectificationPath) : null,
    JSKJ: countingRule(row),
    LYTB: row.parentCode ?? (row.mergedFrom?.length ? row.mergedFrom.join('；') : null),
    QXTB: row.mergedInto ?? null,
  };
}
