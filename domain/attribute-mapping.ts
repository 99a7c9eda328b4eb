/**
 * Attribute mapping for batch import: which attribute of a feature gives the patch code, the county, the
 * category, the declared area (and in which unit), the image dates, the centre and the military flag.
 * Plain data and pure functions (the admin UI shows the presets too).
 */
import { PATCH_CATEGORIES, type PatchCategory } from './types';

/** Units a declared area may come in; the factor converts to mu (1 mu = 10000/15 m², 1 ha = 15 mu). */
export const AREA_UNITS = ['m2', 'mu', 'ha'] as const;
export type AreaUnit = (typeof AREA_UNITS)[number];
export const MU_PER_UNIT: Record<AreaUnit, number> = { m2: 15 / 10000, mu: 1, ha: 15 };

export interface AttributeMapping {
  /** The patch code (监测编号), also the workflow id. */
  code: string;
  /** The county code (行政区代码): 6 digits, or a 9/12-digit township/village code whose first 6 digits are the county. */
  countyCode: string;
  /** The patch type (图斑类型); its values are matched to PATCH_CATEGORIES, see categoryOf. */
  category?: string;
  /** Extra values of the category attribute (e.g. a province's numeric codes) → our categories. */
  categoryValues?: Record<string, PatchCategory>;
  /** Used when the category attribute is absent or empty (e.g. a mineral batch without TBLX). */
  defaultCategory?: PatchCategory;
  /** The declared (monitored) area and its unit. */
  area?: string;
  areaUnit: AreaUnit;
  /** The declared farmland area within the patch, same unit as `area`. */
  farmlandArea?: string;
  /** Before / after image dates (前时相 / 后时相); the after date is when the change was seen. */
  imagedBefore?: string;
  imagedAfter?: string;
  /** The declared centre, in the file's coordinate system (L = longitude / easting, B = latitude / northing). */
  centreX?: string;
  centreY?: string;
  /** A truthy value here marks military land: the patch takes the restricted (classified) path. */
  military?: string;
}

export interface MappingPreset {
  id: string;
  label: string;
  labelEn: string;
  mapping: AttributeMapping;
}

/**
 * The provincial patch schema (省级卫片执法图斑数据): JCBH 监测编号, XZQDM 行政区代码, TBLX 图斑类型,
 * JCMJ 监测面积, QSX 前时相, HSX 后时相, LZB/BZB 中心点经度(L)/纬度(B); GDMJ 耕地面积 where present.
 *
 * JCMJ's unit: square metres. The vector data is a GIS product whose area fields follow the land-survey
 * database convention (areas in m², two decimals, as TBMJ in the third national land survey); mu appear
 * in the report tables, not in the data. A province that exports mu sets `areaUnit: 'mu'` (CLI
 * `--area-unit mu`, or the form's unit field); a wrong unit does not go unnoticed: every feature's area
 * check warns and the report names the likely unit.
 *
 * The military flag is not part of the published field list; SFJY (是否军用, 1/是) is this system's
 * convention — change it to what the province uses.
 */
export const PROVINCIAL_PRESET: MappingPreset = {
  id: 'provincial',
  label: '省级卫片图斑（JCBH/XZQDM/TBLX/JCMJ…）',
  labelEn: 'Provincial patch schema (JCBH/XZQDM/TBLX/JCMJ…)',
  mapping: {
    code: 'JCBH',
    countyCode: 'XZQDM',
    category: 'TBLX',
    area: 'JCMJ',
    areaUnit: 'm2',
    farmlandArea: 'GDMJ',
    imagedBefore: 'QSX',
    imagedAfter: 'HSX',
    centreX: 'LZB',
    centreY: 'BZB',
    military: 'SFJY',
  },
};

/** This system's own field names (what GET /api/patches answers), for files exported from it. */
export const SYSTEM_PRESET: MappingPreset = {
  id: 'system',
  label: '本系统字段（code/countyCode/category/areaMu…）',
  labelEn: "This system's fields (code/countyCode/category/areaMu…)",
  mapping: {
    code: 'code',
    countyCode: 'countyCode',
    category: 'category',
    area: 'areaMu',
    areaUnit: 'mu',
    farmlandArea: 'farmlandMu',
    imagedAfter: 'imagedAt',
    military: 'military',
  },
};

export const MAPPING_PRESETS: MappingPreset[] = [PROVINCIAL_PRESET, SYSTEM_PRESET];
export const DEFAULT_PRESET_ID = PROVINCIAL_PRESET.id;

export function presetById(id: string): MappingPreset | undefined {
  return MAPPING_PRESETS.find((p) => p.id === id);
}

/** The Chinese category names of the notices (003) and common variants → our categories. */
export const CATEGORY_NAMES: Record<string, PatchCategory> = {
  新增非农建设类: 'new_non_agricultural_construction',
  新增非农建设: 'new_non_agricultural_construction',
  其他新增建设类: 'other_new_construction',
  其他新增建设: 'other_new_construction',
  其他变化类: 'other_change',
  其他变化: 'other_change',
  年度内持续变化类: 'continuous_change',
  持续变化类: 'continuous_change',
  设施农业用地类: 'facility_agriculture',
  设施农用地类: 'facility_agriculture',
  设施农业类: 'facility_agriculture',
  农业项目违法类: 'agricultural_project_illegal',
  未变化占用耕地类: 'unchanged_occupying_farmland',
  未变化但占用耕地类: 'unchanged_occupying_farmland',
  矿产卫片图斑: 'mineral',
  矿产类: 'mineral',
  矿产卫片: 'mineral',
};

const normalise = (s: string) =>
  s
    .normalize('NFKC') // full-width letters and digits → ASCII
    .replace(/\s+/g, '')
    .trim();

/** The category a value of the category attribute names, or undefined when it names none. */
export function categoryOf(value: unknown, extra: Record<string, PatchCategory> = {}): PatchCategory | undefined {
  if (value === null || value === undefined) return undefined;
  const raw = normalise(String(value));
  if (!raw) return undefined;
  if (extra[raw]) return extra[raw];
  if ((PATCH_CATEGORIES as readonly string[]).includes(raw)) return raw as PatchCategory;
  return CATEGORY_NAMES[raw] ?? CATEGORY_NAMES[`${raw}类`];
}

const TRUTHY = new Set(['1', 'y', 'yes', 't', 'true', '是', '军用', '涉军']);

/** Whether a value of the military attribute marks military land. */
export function isTruthyFlag(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'number') return value === 1;
  if (typeof value !== 'string') return false;
  return TRUTHY.has(normalise(value).toLowerCase());
}
