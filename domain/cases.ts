/** What a violation case records (plain types shared by the workflows, the API and the UI). */
import type { Department, RectificationPath } from './types';

export interface Party {
  name: string;
  kind: 'person' | 'organisation';
  idNumber?: string;
  contact?: string;
}

/** 处罚决定 and its "six musts" (六个该, 002 六(二)). */
export interface CaseDecision {
  documentNumber: string;
  decidedOn: string;
  fine: { amountYuan: number; collected: boolean; collectedYuan?: number };
  confiscation: boolean;
  confiscationNote?: string;
  demolition: boolean;
  recultivation: boolean;
  disciplineReferral: boolean;
  criminalReferral: boolean;
  departments: Department[];
  path: RectificationPath;
}

/** A case's illegal area, or what of it is rectified or accepted: total, farmland and non-farmland (mu). */
export interface AreaSplit {
  totalMu: number;
  farmlandMu: number;
  nonFarmlandMu: number;
}

/** Areas are kept to 4 decimals (mu); below this they are equal. */
export const AREA_EPS = 1e-4;
export const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** The illegal areas of the case's patches: total, farmland and non-farmland. */
export function caseAreas(patches: Array<{ determination: { areas: { totalMu: number; farmlandMu: number } } }>): AreaSplit {
  const totalMu = patches.reduce((s, p) => s + p.determination.areas.totalMu, 0);
  const farmlandMu = patches.reduce((s, p) => s + Math.min(p.determination.areas.farmlandMu, p.determination.areas.totalMu), 0);
  return { totalMu: round4(totalMu), farmlandMu: round4(farmlandMu), nonFarmlandMu: round4(Math.max(0, totalMu - farmlandMu)) };
}

/**
 * The farmland part of a reported rectification: as given, or implied where there is only one answer (a case
 * without farmland, one that is all farmland, or everything rectified). Undefined when it must be given.
 */
export function rectifiedFarmland(areas: AreaSplit, rectifiedMu: number, given?: number): number | undefined {
  if (given !== undefined) return given;
  if (areas.farmlandMu <= AREA_EPS) return 0;
  if (areas.nonFarmlandMu <= AREA_EPS) return rectifiedMu;
  if (rectifiedMu >= areas.totalMu - AREA_EPS) return areas.farmlandMu;
  return undefined;
}

/** "2027-01-15" → "2027年1月15日". */
export const chineseDate = (date: string): string => {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The officer's message when a rectification plan's deadline lies beyond the region's cut-off. */
export const latestDateMessage = (latest: string, planned: string): string =>
  `整改时限（${chineseDate(planned)}）不得晚于本地区规定的整改消除违法状态期限 ${chineseDate(latest)}，请在此日期前完成整改`;

/** Its English twin. */
export const latestDateMessageEn = (latest: string, planned: string): string =>
  `the planned date (${planned}) may not be later than this region's cut-off for rectification, ${latest}: plan to finish by then`;
