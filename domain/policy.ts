/**
 * A region's rules as data. Administrators override parts of it per region; a region's effective policy
 * is the base below merged with the overrides of its ancestors and then its own (objects merge key by key,
 * arrays and rules replace). Workflows receive the due instants this yields through activities.
 */
import { localDateOf, type DeadlineRule, type PolicyDeadlines, type ReviewLevel } from './deadlines';
import type { Legality, PatchCategory, TaskType } from './types';

// The deadline part of a policy is defined beside the calculator (domain/deadlines.ts); re-exported here.
export { deadlineRuleFor, type DeadlineKind, type DeadlineRuleSet, type ReviewLevel } from './deadlines';

/** Answers required of an illegal patch that occupies farmland (000, 001; Liaocheng adds five, 003). */
export const FARMLAND_FLAGS = [
  'rural_housing', // 新增农村乱占耕地建房
  'greenhouse_house', // 大棚房
  'landscape_lake', // 挖湖造景
  'fund_project', // 基金项目
  'affordable_housing', // 保障性安居住房
  'epidemic_medical', // 因防疫和防治重大疫情需要建设的医疗卫生设施
] as const;
export type FarmlandFlag = (typeof FARMLAND_FLAGS)[number];

/** Patches a review level must always see, whatever its sampling (Ningxia, 001). */
export const ALWAYS_REVIEW_CONDITIONS = ['farmland', 'red_line', 'recultivation', 'mineral'] as const;
export type AlwaysReviewCondition = (typeof ALWAYS_REVIEW_CONDITIONS)[number];

/**
 * The on-site evidence a county's determination must carry: how many photos with a GPS position (a
 * photo without one cannot show where it was taken). 0 asks for none. Officers 规范采集现场照片、视频
 * (001 三(一)) and answer for the truth of what they file (000 二(二)); a legal determination with an
 * approval document proves itself by the approval, one without (其他合法用地) by the site.
 */
export interface EvidenceRequirement {
  /** Photos with GPS a 违法 determination carries at least. */
  illegal: number;
  /** Photos with GPS a 合法 determination without an approval document carries at least. */
  legalWithoutApproval: number;
}

export interface ReviewLevelPolicy {
  level: ReviewLevel;
  /** Every patch, or a reproducible random share per legality class (Guangdong: 30% each, 002). */
  coverage: { mode: 'all' } | { mode: 'sample'; rates: Record<Legality, number> };
  always?: AlwaysReviewCondition[];
}

export type AreaMetric = 'farmlandMu' | 'basicFarmlandMu' | 'redLineMu' | 'totalMu';

/**
 * One on-site check trigger: a determination whose `metric` is at least `minMu` (inclusive, "…亩以上"),
 * of one of `legalities`, and — where set — filed as one of `filedAs`, issued as one of `issuedAs`, and with
 * new buildings or structures on site (`newStructures`). Every condition set must hold.
 */
export interface OnsiteCheckRule {
  metric: AreaMetric;
  minMu: number;
  /** Determinations it applies to ("疑似违法": illegal). */
  legalities: Legality[];
  /**
   * What the county filed the patch as: determination sub-types (003 四(一) 设施农业用地类、农业项目违法类、
   * 未变化; compare 四(六) "填报为设施农业用地…实地未变化"). All when unset.
   */
  filedAs?: string[];
  /** The issued patch categories it applies to (003 三(二) lists them). All when unset. */
  issuedAs?: PatchCategory[];
  /** Only where the verification found new buildings or structures (000 二(五) 新增建（构）筑物). */
  newStructures?: boolean;
}

/** What an on-site rule needs of a determination (a structural subset of legality.ts Determination). */
export interface OnsiteSubject {
  legality: Legality;
  subType: string;
  areas: Record<AreaMetric, number>;
  newStructures?: boolean;
}

/**
 * Whether a determination of a patch of `category` meets a rule; thresholds are inclusive ("…亩以上").
 * `ignoreNewStructures`: whether it would, whatever the new-structures answer (to know when it is required).
 */
export function onsiteRuleMet(rule: OnsiteCheckRule, d: OnsiteSubject, category: PatchCategory, opts: { ignoreNewStructures?: boolean } = {}): boolean {
  return (
    rule.legalities.includes(d.legality) &&
    (!rule.filedAs || rule.filedAs.includes(d.subType)) &&
    (!rule.issuedAs || rule.issuedAs.includes(category)) &&
    (!rule.newStructures || opts.ignoreNewStructures === true || d.newStructures === true) &&
    (d.areas[rule.metric] ?? 0) >= rule.minMu - 1e-9
  );
}

export interface RegionPolicy {
  deadlines: PolicyDeadlines;

  escalation: {
    /** Days after a task becomes overdue before the next level up is notified. */
    afterDays: number;
    /**
     * After the escalation, tasks of these types are chased again and again on a cycle until they are done
     * (transfer feedback: 004 三(三) 未查处到位的要持续查处直至办结).
     */
    followUp?: { taskTypes: TaskType[]; every: DeadlineRule };
  };
  verification: {
    /** Categories that may not be determined "other" (Ningxia: 新增非农建设类, 年度内持续变化类, 001). */
    forbidOtherFor: PatchCategory[];
    /** Flags an illegal patch occupying farmland must answer. */
    farmlandFlags: FarmlandFlag[];
    /** On-site photos a county's determination (核查填报, its correction) must carry. */
    evidence: EvidenceRequirement;
  };
  review: {
    chain: ReviewLevelPolicy[];
    /** Seed of the reproducible sampling draw. */
    sampleSeed: string;
  };
  /** On-site checks by a higher level, by the level that checks. */
  onsiteChecks: Partial<Record<ReviewLevel, OnsiteCheckRule[]>>;
  quota: {
    /** 两平衡一冻结: freeze the illegally occupied farmland in the reserve when a case is registered (000, 001, 003). */
    freezeFarmland: boolean;
    /**
     * Jiangmen's variant (002 五(四)): freeze a share of the unrectified illegal non-farmland area from the
     * construction-land plan quota, unfreeze in proportion at acceptance rounds, deduct what is still frozen at the last.
     */
    constructionPlan?: {
      share: number;
      /** When the freeze is settled; the last is the deadline after which what is still frozen is deducted. */
      rounds: DeadlineRule[];
      /** The years whose patches it covers (by imaging, else issuance): 002 covers 2020年度、2021年度. All when unset. */
      patchYears?: number[];
    };
  };
  /** Supervision: warnings and interview rules (docs/domain.md §11). */
  statistics: {
    /** 问责比例 threshold: illegal farmland / new construction land occupying farmland (000 二(六); 15% by default). */
    accountabilityThreshold: number;
    /** "Nearing" the threshold: warn from this share of it. */
    warnAtShareOfThreshold: number;
    /** 瞒报率 interview rule (Guangdong: ≥10% and more than 10 patches, 002 五(三)). */
    concealment: { rate: number; moreThan: number };
    /** How many cities and counties the combined ranking lists for interviews (Guangdong: 3 and 10, 002 五(三)). */
    interviewRanking: { cities: number; counties: number };
  };
  /** Report deadlines (docs/domain.md §12): the half-year and annual results of year Y, anchored on 1 January of Y. */
  reports: {
    halfYear: DeadlineRule;
    annual: DeadlineRule;
    /**
     * The rectification cut-off of those results, anchored the same way: a case that eliminates the illegal
     * state later is not rectified in them (Jiangmen: 31 December, 002 三(二); Liaocheng: 15 January of the
     * next year, 003 三(四)). Without one, the state when the report is made.
     */
    rectifiedBy?: { halfYear?: DeadlineRule; annual?: DeadlineRule };
  };
  /** 合并 (docs/domain.md §13): whether counties of the region may merge adjacent patches of one situation. */
  merge: { allowed: boolean };
  /** Periodic re-check of patches whose use could change back (003 四(六)). */
  recheck: {
    /** Sub-types of the final determination that are re-checked; re-cultivated cases always are. */
    subTypes: string[];
    everyMonths: number;
    forMonths: number;
  };
}

/** Deep partial, except that arrays and deadline rules (objects with a `kind`) replace as a whole. */
export type DeepPartial<T> = T extends Array<unknown> ? T : T extends { kind: string } ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

export type PolicyOverrides = DeepPartial<RegionPolicy>;

/**
 * System defaults where no notice speaks. The ministry's own rules (000) are the national preset in
 * presets.ts, stored on region 000000 so administrators see and change them like any other.
 */
export const BASE_POLICY: RegionPolicy = {
  deadlines: {
    // "月清": the month's patches are verified by the end of the next month.
    verification: { default: { kind: 'dayOfMonth', day: 31, monthOffset: 1, from: 'issuance' } },
    correction: { default: { kind: 'daysAfter', days: 10 } },
    review: {
      city: { default: { kind: 'daysAfter', days: 15 } },
      province: { default: { kind: 'monthsAfter', months: 1 } },
    },
    directDetermination: { default: { kind: 'daysAfter', days: 15 } },
    onsiteCheck: { default: { kind: 'daysAfter', days: 30 } },
    extensionDecision: { default: { kind: 'daysAfter', days: 5 } },
    caseRegister: { default: { kind: 'daysAfter', days: 15 } },
    stopOrder: { default: { kind: 'daysAfter', days: 5 } },
    caseDecision: { default: { kind: 'daysAfter', days: 60 } },
    transferFeedback: { default: { kind: 'monthsAfter', months: 2 } },
    rectificationPlan: { default: { kind: 'daysAfter', days: 15 } },
    rectification: { default: { kind: 'monthsAfter', months: 6 } },
    acceptance: { default: { kind: 'daysAfter', days: 30 } },
    recheck: { default: { kind: 'daysAfter', days: 15 } },
  },
  // A transfer's feedback is chased every month once it is late and escalated (004 三(三)).
  escalation: { afterDays: 3, followUp: { taskTypes: ['transfer_feedback'], every: { kind: 'monthsAfter', months: 1 } } },
  // On by default: a 违法 determination, or a 合法 one without an approval document, shows the site in at least one photo with GPS.
  verification: { forbidOtherFor: [], farmlandFlags: ['rural_housing'], evidence: { illegal: 1, legalWithoutApproval: 1 } },
  review: { chain: [{ level: 'province', coverage: { mode: 'all' } }], sampleSeed: 'wpzf' },
  onsiteChecks: {},
  quota: { freezeFarmland: true },
  // Off unless a region turns it on (Liaocheng does, 003).
  recheck: { subTypes: [], everyMonths: 3, forMonths: 12 },
  // Off unless a region allows it (docs/domain.md §13).
  merge: { allowed: false },
  statistics: {
    accountabilityThreshold: 0.15,
    warnAtShareOfThreshold: 0.8,
    concealment: { rate: 0.1, moreThan: 10 },
    interviewRanking: { cities: 3, counties: 10 },
  },
  reports: {
    halfYear: { kind: 'fixedDate', month: 7, day: 31, yearOffset: 0, from: 'event' },
    annual: { kind: 'fixedDate', month: 3, day: 31, yearOffset: 1, from: 'event' },
  },
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deadline rules and rule sets replace as a whole; other objects merge key by key. */
const isAtomic = (v: Record<string, unknown>): boolean => 'kind' in v;

export function mergePolicy<T>(base: T, ...overrides: Array<DeepPartial<T> | undefined | null>): T {
  let result: unknown = base;
  for (const o of overrides) if (o) result = mergeValue(result, o);
  return result as T;
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override) || isAtomic(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = mergeValue(base[k], v);
  return out;
}

/** Whether a region's construction-plan freeze (Jiangmen, 002 五(四)) covers a patch of this date. */
export function planCoversPatch(plan: NonNullable<RegionPolicy['quota']['constructionPlan']>, patch: { issuedAt: string; imagedAt?: string }): boolean {
  return !plan.patchYears || plan.patchYears.includes(localDateOf(patch.imagedAt ?? patch.issuedAt).year);
}

/**
 * The categories that the first on-site rule shape (`categories`) mixed in with the issued ones: they are what
 * the county files a patch as (003 四(一), 四(六)), so a stored rule naming them reads them as filed sub-types.
 */
const FILED_AS_OF_OLD_CATEGORY: Record<string, string> = {
  facility_agriculture: 'facility_agriculture', // 设施农业用地类 → 设施农业用地
  agricultural_project_illegal: 'agricultural_project_illegal', // 农业项目违法类 → 农业项目违法
  unchanged_occupying_farmland: 'unchanged', // 未变化占用耕地类 → 实地未变化
};

/**
 * A stored on-site rule of the first shape (`legalities` optional, defaulting to illegal; `categories` for
 * issued and filed kinds alike), as rules of the current shape. The filed kinds become `filedAs`, the issued
 * ones `issuedAs` (one rule each: the old list matched either), and a filed-kind rule measured by the total
 * area is measured by the farmland occupied, which is what 003 四(一) counts ("…未变化占用耕地10亩以上").
 * A rule of the current shape is returned as it is.
 */
export function migrateOnsiteRule(rule: unknown): OnsiteCheckRule[] {
  if (!isPlainObject(rule)) return [];
  const { categories, legalities, ...rest } = rule as Record<string, unknown> & { categories?: unknown; legalities?: unknown };
  const base = { ...rest, legalities: Array.isArray(legalities) ? (legalities as Legality[]) : (['illegal'] as Legality[]) } as OnsiteCheckRule;
  if (!Array.isArray(categories)) return [base];
  const filed = categories.filter((c): c is string => typeof c === 'string' && c in FILED_AS_OF_OLD_CATEGORY);
  const issued = categories.filter((c): c is PatchCategory => typeof c === 'string' && !(c in FILED_AS_OF_OLD_CATEGORY));
  const out: OnsiteCheckRule[] = [];
  if (issued.length) out.push({ ...base, issuedAs: issued });
  if (filed.length)
    out.push({ ...base, metric: base.metric === 'totalMu' ? 'farmlandMu' : base.metric, filedAs: filed.map((c) => FILED_AS_OF_OLD_CATEGORY[c]) });
  return out;
}

/**
 * A stored region policy's overrides in the current shape (migrated on read: versions saved before a shape
 * changed stay as they were written). Pure; what is already current comes back equal.
 */
export function migratePolicyOverrides(overrides: unknown): PolicyOverrides {
  if (!isPlainObject(overrides)) return {};
  const onsite = overrides.onsiteChecks;
  if (!isPlainObject(onsite)) return overrides as PolicyOverrides;
  const migrated: Record<string, unknown> = {};
  for (const [level, rules] of Object.entries(onsite)) migrated[level] = Array.isArray(rules) ? rules.flatMap(migrateOnsiteRule) : rules;
  return { ...overrides, onsiteChecks: migrated } as PolicyOverrides;
}

/** The workflow id of a saved policy version's fan-out: one per version, so a repeated start starts nothing. */
export const broadcastWorkflowIdOf = (regionCode: string, policyId: number) => `policy-${regionCode}-${policyId}`;
