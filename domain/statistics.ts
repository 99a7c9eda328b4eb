/**
 * Supervision figures (docs/domain.md §11): monthly clearance, rectification rates, the accountability ratio
 * with its deductions, the concealment rate and its interview rule. Pure functions of aggregates the
 * statistics queries return, so that every rule is tested on its own.
 */
import { computeDue, localDateOf, startOfLocalDay } from './deadlines';
import type { RegionPolicy } from './policy';

export interface AreaCount {
  count: number;
  areaMu: number;
}

export interface RegionAggregates {
  issued: number;
  military: number;
  verifiedOnTime: number;
  verifiedLate: number;
  verificationOpen: number;
  overdueNow: number;
  legal: AreaCount;
  illegal: AreaCount & { farmlandMu: number };
  other: AreaCount;
  directDeterminations: number;
  /** Drawn for desk review by the city or the province. */
  reviewed: number;
  /** Reviewed at a desk or checked on site by a higher level: where concealment can be found. */
  checked: number;
  /** Of those checked, reported legal or other by the county and found illegal (瞒报), at any level. */
  concealed: number;
  /**
   * 省级审核 (002 五(三)): the patches the province reviewed at its desk or checked on site — not those a city
   * alone looked at.
   */
  provinceChecked: number;
  /** Of those, the concealment the province found (the determination it was given was not yet illegal). */
  provinceConcealed: number;
  /** Illegal patches whose illegal state is eliminated, with their area and farmland. */
  rectified: AreaCount & { farmlandMu: number };
  // The farmland the deductions of 002 五(二) look at, as plain facts (the classes overlap); which of it
  // leaves the ratio is accountabilityRatio's rule.
  /** Farmland of illegal patches legalised after the fact (补办). */
  legalisedFarmlandMu: number;
  /** Farmland of illegal patches demolished and re-cultivated (拆除复耕). */
  recultivatedFarmlandMu: number;
  /** Farmland of illegal patches of national or provincial major infrastructure (重大基础设施项目违法用地). */
  majorInfrastructureFarmlandMu: number;
  /** … of which legalised, and of which re-cultivated. */
  majorInfrastructureLegalisedFarmlandMu: number;
  majorInfrastructureRecultivatedFarmlandMu: number;
  /** Farmland of legal patches of major infrastructure: approved land, nothing to deduct. */
  legalMajorInfrastructureFarmlandMu: number;
  /** New construction land occupying farmland: legal and illegal construction (the ratio's denominator). */
  newConstructionFarmlandMu: number;
  /** Issued later than imaging + 10 days (T+10, 000 二(一)). */
  lateIssuance: number;
  /** 填报: the county filed its verification (the verification task completed, on time or late; docs/domain.md §11). */
  filed: number;
  /** 退回: of those filed, sent back for correction by a reviewer at least once (审核退回, 000 二(四); 003). */
  sentBack: number;
  /**
   * The mineral results, counted apart from the land ones above (一图两用、地矿同核, 000 二(一); 004 三(二)): the
   * patches whose determination gives the mineral part, where mining was found, 违法采矿 and 越界开采 (count and
   * determined area), and the mineral cases opened.
   */
  mineral: MineralAggregates;
}

export interface MineralAggregates {
  answered: number;
  present: number;
  illegalMining: AreaCount;
  beyondBoundary: AreaCount;
  cases: number;
}

export interface AccountabilityRatio {
  numeratorMu: number;
  denominatorMu: number;
  /** What was deducted, each patch once: major infrastructure first, then by rectification path. */
  deducted: { majorInfrastructureMu: number; recultivatedMu: number; legalisedMu: number };
  ratio: number | null;
  threshold: number;
  /** reached: at or above the threshold; near: within the warning share of it. */
  warning: 'reached' | 'near' | null;
}

export interface Figures extends RegionAggregates {
  /** 月清: verified by the deadline, of the patches issued (military patches go offline and are left out). */
  clearanceRate: number | null;
  rectificationRate: number | null;
  farmlandRectificationRate: number | null;
  accountability: AccountabilityRatio;
  /** 省级审核中瞒报率 (002 五(三)): the concealment the province found among the patches it reviewed or checked. */
  concealmentRate: number | null;
  /** Concealment found at any level among the patches any higher level reviewed or checked (city and province). */
  concealmentRateAllLevels: number | null;
  /** 约谈: the province's concealment rate reaches the policy's rate with more than its count of patches. */
  concealmentInterview: boolean;
  /** 填报率: filed / issued (military patches go offline and are left out). */
  fillingRate: number | null;
  /** 差错率: sent back / filed. */
  errorRate: number | null;
}

/** 填报率 and 差错率 of a region and month (docs/domain.md §11): the quality figures provinces track beside 月清. */
export function qualityRates(a: { issued: number; filed: number; sentBack: number }): { fillingRate: number | null; errorRate: number | null } {
  return { fillingRate: ratio(a.filed, a.issued), errorRate: ratio(a.sentBack, a.filed) };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * 问责比例 = illegally occupied farmland / new construction land occupying farmland, with the deductions of
 * the 2021 method (continued by 000 二(六) and 003 四(四); spelled out in 002 五(二)): "扣减范围仅包括：
 * 已补办完善用地手续（只扣减分子不扣分母）、已拆除复耕到位（分子分母同时扣除）、国家和省级交通能源水利等
 * 重大基础设施项目违法用地（分子分母同时扣除）". Only illegal land is deducted — a legal highway stays in the
 * denominator — and each patch once: an illegal major-infrastructure patch that is also legalised or
 * re-cultivated leaves both as major infrastructure, and is not deducted again by its path.
 */
export function accountabilityRatio(a: RegionAggregates, policy: Pick<RegionPolicy, 'statistics'>): AccountabilityRatio {
  const majorInfrastructureMu = a.majorInfrastructureFarmlandMu;
  const recultivatedMu = Math.max(0, a.recultivatedFarmlandMu - a.majorInfrastructureRecultivatedFarmlandMu);
  const legalisedMu = Math.max(0, a.legalisedFarmlandMu - a.majorInfrastructureLegalisedFarmlandMu);
  const numeratorMu = Math.max(0, a.illegal.farmlandMu - majorInfrastructureMu - recultivatedMu - legalisedMu);
  const denominatorMu = Math.max(0, a.newConstructionFarmlandMu - majorInfrastructureMu - recultivatedMu);
  const value = ratio(numeratorMu, denominatorMu);
  const { accountabilityThreshold: threshold, warnAtShareOfThreshold } = policy.statistics;
  const warning = value === null ? null : value >= threshold ? 'reached' : value >= threshold * warnAtShareOfThreshold ? 'near' : null;
  return {
    numeratorMu: round(numeratorMu),
    denominatorMu: round(denominatorMu),
    deducted: { majorInfrastructureMu: round(majorInfrastructureMu), recultivatedMu: round(recultivatedMu), legalisedMu: round(legalisedMu) },
    ratio: value === null ? null : round(value, 6),
    threshold,
    warning,
  };
}

export function figures(a: RegionAggregates, policy: Pick<RegionPolicy, 'statistics'>): Figures {
  // 土地卫片省级审核中瞒报率 (002 五(三)): what the province found among what the province reviewed or checked on site.
  const concealmentRate = ratio(a.provinceConcealed, a.provinceChecked);
  const { rate, moreThan } = policy.statistics.concealment;
  return {
    ...a,
    clearanceRate: ratio(a.verifiedOnTime, a.issued - a.military),
    rectificationRate: ratio(a.rectified.areaMu, a.illegal.areaMu),
    farmlandRectificationRate: ratio(a.rectified.farmlandMu, a.illegal.farmlandMu),
    accountability: accountabilityRatio(a, policy),
    concealmentRate,
    concealmentRateAllLevels: ratio(a.concealed, a.checked),
    concealmentInterview: concealmentRate !== null && concealmentRate >= rate && a.provinceConcealed > moreThan,
    ...qualityRates({ issued: a.issued - a.military, filed: a.filed, sentBack: a.sentBack }),
  };
}

export const EMPTY_AGGREGATES: RegionAggregates = {
  issued: 0,
  military: 0,
  verifiedOnTime: 0,
  verifiedLate: 0,
  verificationOpen: 0,
  overdueNow: 0,
  legal: { count: 0, areaMu: 0 },
  illegal: { count: 0, areaMu: 0, farmlandMu: 0 },
  other: { count: 0, areaMu: 0 },
  directDeterminations: 0,
  reviewed: 0,
  checked: 0,
  concealed: 0,
  provinceChecked: 0,
  provinceConcealed: 0,
  rectified: { count: 0, areaMu: 0, farmlandMu: 0 },
  legalisedFarmlandMu: 0,
  recultivatedFarmlandMu: 0,
  majorInfrastructureFarmlandMu: 0,
  majorInfrastructureLegalisedFarmlandMu: 0,
  majorInfrastructureRecultivatedFarmlandMu: 0,
  legalMajorInfrastructureFarmlandMu: 0,
  newConstructionFarmlandMu: 0,
  lateIssuance: 0,
  filed: 0,
  sentBack: 0,
  mineral: { answered: 0, present: 0, illegalMining: { count: 0, areaMu: 0 }, beyondBoundary: { count: 0, areaMu: 0 }, cases: 0 },
};

/**
 * Guangdong's rankings (002 五(三)): "违法用地总量、违法占用耕地比例综合排名在全省前3位的市级…、前10位的县级…
 * 进行警示约谈". Each region with illegal land is ranked by its illegal area and by its illegal-farmland share
 * (the accountability ratio); the combined ranking orders by the sum of the two ranks (the notice names
 * the two measures, not their weights: equal), ties by the larger illegal area, then the larger share.
 * A region without a share (no new construction on farmland) ranks last on that measure. `top` is the
 * policy's cut-off (statistics.interviewRanking).
 */
export function rankings<T extends { regionCode: string; figures: Figures }>(rows: T[], top: number) {
  const share = (r: T) => r.figures.accountability.ratio;
  const ranked = rows.filter((r) => r.figures.illegal.areaMu > 0);
  const byArea = [...ranked].sort((x, y) => y.figures.illegal.areaMu - x.figures.illegal.areaMu || x.regionCode.localeCompare(y.regionCode));
  const byShare = [...ranked].sort(
    (x, y) => (share(y) ?? -1) - (share(x) ?? -1) || y.figures.illegal.areaMu - x.figures.illegal.areaMu || x.regionCode.localeCompare(y.regionCode),
  );
  const areaRank = new Map(byArea.map((r, i) => [r.regionCode, i + 1]));
  const shareRank = new Map(byShare.map((r, i) => [r.regionCode, i + 1]));
  const score = (r: T) => areaRank.get(r.regionCode)! + shareRank.get(r.regionCode)!;
  const combined = [...ranked].sort(
    (x, y) =>
      score(x) - score(y) ||
      y.figures.illegal.areaMu - x.figures.illegal.areaMu ||
      (share(y) ?? -1) - (share(x) ?? -1) ||
      x.regionCode.localeCompare(y.regionCode),
  );
  return {
    top,
    combined: combined.slice(0, top).map((r, i) => ({
      rank: i + 1,
      regionCode: r.regionCode,
      illegalAreaMu: round(r.figures.illegal.areaMu),
      areaRank: areaRank.get(r.regionCode)!,
      ratio: share(r),
      shareRank: shareRank.get(r.regionCode)!,
    })),
    byIllegalArea: byArea.slice(0, top).map((r) => ({ regionCode: r.regionCode, illegalAreaMu: round(r.figures.illegal.areaMu) })),
    byIllegalFarmlandShare: byShare
      .filter((r) => share(r) !== null)
      .slice(0, top)
      .map((r) => ({ regionCode: r.regionCode, ratio: share(r) })),
  };
}

export type Ranking = ReturnType<typeof rankings>;

export type ReportPeriod = 'half-year' | 'annual';

/**
 * The rectification cut-off of a region's half-year or annual results of a year (the end of that day,
 * Asia/Shanghai): what is eliminated later is not rectified in them. Jiangmen: 31 December (002 三(二));
 * Liaocheng: 15 January of the next year (003 三(四)). Undefined where the policy sets none.
 */
export function rectificationCutoff(policy: Pick<RegionPolicy, 'reports'>, kind: ReportPeriod, year: number): Date | undefined {
  const rule = policy.reports.rectifiedBy?.[kind === 'half-year' ? 'halfYear' : 'annual'];
  if (!rule) return undefined;
  const anchor = startOfLocalDay({ year, month: 1, day: 1 });
  return computeDue(rule, { issuedAt: anchor, eventAt: anchor, imagedAt: anchor });
}

/** The report period [from, to) is, if any: a calendar year, or its first half (Asia/Shanghai). */
export function reportPeriodOf(from: Date, to: Date): { kind: ReportPeriod; year: number } | undefined {
  const f = localDateOf(from);
  if (f.month !== 1 || f.day !== 1 || from.getTime() !== startOfLocalDay(f).getTime()) return undefined;
  if (to.getTime() === startOfLocalDay({ year: f.year + 1, month: 1, day: 1 }).getTime()) return { kind: 'annual', year: f.year };
  if (to.getTime() === startOfLocalDay({ year: f.year, month: 7, day: 1 }).getTime()) return { kind: 'half-year', year: f.year };
  return undefined;
}
