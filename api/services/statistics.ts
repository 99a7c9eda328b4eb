/**
 * The statistics queries: one pass over the patches issued in a period (with their verification task and
 * their case) aggregated for a region, or per child region; and the quota ledger's movements. The rules
 * that turn these aggregates into rates, ratios and warnings are in domain/statistics.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loadEffectivePolicy } from '../../db/policy-store';
import { prefixRange } from '../../db/region-filter';
import { cityOf, provinceOf, regionLevel, regionPrefix } from '../../domain/regions';
import { formatLocalDate, localDateOf, startOfLocalDay } from '../../domain/deadlines';
import {
  EMPTY_AGGREGATES,
  figures,
  qualityRates,
  rankings,
  rectificationCutoff,
  reportPeriodOf,
  type Figures,
  type RegionAggregates,
} from '../../domain/statistics';
import { MERGE_COUNTING_RULES } from '../../domain/merge';
import { COUNTING_RULES } from '../../domain/split';
import { RECTIFICATION_COLUMNS, STATISTICS_ROLLUP_COLUMNS } from '../../db/tables/statistics-rollup';
import type { PatchSource } from '../../domain/types';

export interface StatisticsQuery {
  regionCode: string;
  from: Date;
  to: Date;
  source?: PatchSource;
  /** Rectification as of this instant: a case eliminated later does not count (the report's cut-off). */
  rectifiedBy?: Date;
  /**
   * Count military patches (as issued and as military, nothing else): only for a reader holding the
   * classified-handling permission, never in a report file. Left out, a military patch is in no figure at all,
   * so that no difference of figures (issued − the others) tells it (000 二(二); 002 三(三); 004 三(二)).
   */
  includeMilitary?: boolean;
}

function rangeCondition(column: SQL, regionCode: string): SQL {
  const range = prefixRange(regionPrefix(regionCode));
  return range ? sql`${column} >= ${range[0]} and ${column} < ${range[1]}` : sql`true`;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * The aggregate query (exported for the benchmark's EXPLAIN): one pass over the patch rows of the region
 * and period — the read model keeps on each patch what the figures need (verification on time, legality
 * and areas, review, concealment, rectification) — grouped by county. Every figure is a count or a sum,
 * so cities, provinces and the region are added up from the counties.
 */
export function aggregatesSql(q: StatisticsQuery): SQL {
  return sql`
    with p as (
      -- Military land is reported offline through the classified channel (000 二(二); 002 三(三); 004 三(二)):
      -- its patches count as issued and as military, and in nothing else.
      -- 拆分 (docs/domain.md §13): issued counts the patches issued (unsplit and split parents, parent_code null);
      -- determinations, areas, illegal counts and rectification the patches determined (unsplit and children: a
      -- split parent has no determination of its own).
      -- 合并 (the same section): issued counts the sources (closed 被合并, no determination), not the merged patch
      -- (merged_from set); the results count the merged patch.
      select p.county_code, p.military, p.parent_code is null and p.merged_from is null as issued_counted,
             p.stage in ('split', 'merged') as split_parent, case when p.military then null else p.legality end as legality,
             p.direct_determination and not p.military as direct_determination, p.concealed and not p.military as concealed,
             p.overdue and not p.military as overdue, p.verification_on_time, p.rectification_path,
             ${q.rectifiedBy ? sql`(p.rectified and c.eliminated_at <= ${q.rectifiedBy.toISOString()})` : sql`p.rectified`} as rectified,
             coalesce(b.t10_late, false) as late_issuance,
             -- 填报: the county's verification filed; 退回: of those, sent back at least once (docs/domain.md §11).
             p.verification_on_time is not null and not p.military as filed, p.send_back_count > 0 and not p.military as sent_back,
             p.determined_area_mu as area, p.determined_farmland_mu as farmland, p.major_infrastructure as major,
             p.determined_sub_type as sub_type,
             case when p.military then null else p.mineral_finding end as mineral_finding,
             p.mineral_present and not p.military as mineral_present, p.mineral_case_no is not null and not p.military as mineral_case,
             p.reviewed and not p.military as reviewed, (p.reviewed or p.onsite_checked) and not p.military as checked,
             -- 省级审核 (002 五(三)) and what the province found there: columns derived from the review draws and
             -- the on-site checks (db/tables/core.ts), so that the pass stays an index-only scan.
             p.province_checked and not p.military as province_checked,
             p.concealed and not p.military and p.province_found_illegal as province_concealed
      from patches p
      -- T+10 is the batch's flag (domain/batches.ts t10Check: monthly batches, Shanghai calendar dates).
      left join batches b on b.code = p.batch_code
      ${q.rectifiedBy ? sql`left join cases c on c.case_no = p.case_no and p.rectified` : sql``}
      where ${rangeCondition(sql`p.county_code`, q.regionCode)}
        and p.issued_at >= ${q.from.toISOString()} and p.issued_at < ${q.to.toISOString()}
        ${q.source ? sql`and p.source = ${q.source}` : sql``}
        ${q.includeMilitary ? sql`` : sql`and not p.military`}
    )
    select p.county_code,
      count(*) filter (where p.issued_counted) as issued,
      count(*) filter (where p.military) as military,
      count(*) filter (where p.verification_on_time) as verified_on_time,
      count(*) filter (where not p.verification_on_time) as verified_late,
      count(*) filter (where p.verification_on_time is null and not p.military and not p.split_parent) as verification_open,
      count(*) filter (where p.overdue) as overdue_now,
      count(*) filter (where p.legality = 'legal') as legal_count,
      coalesce(sum(p.area) filter (where p.legality = 'legal'), 0) as legal_area,
      count(*) filter (where p.legality = 'illegal') as illegal_count,
      coalesce(sum(p.area) filter (where p.legality = 'illegal'), 0) as illegal_area,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal'), 0) as illegal_farmland,
      count(*) filter (where p.legality = 'other') as other_count,
      coalesce(sum(p.area) filter (where p.legality = 'other'), 0) as other_area,
      count(*) filter (where p.direct_determination) as direct,
      count(*) filter (where p.reviewed) as reviewed,
      count(*) filter (where p.checked) as checked,
      -- 瞒报: reported legal or other, found illegal where a higher level looked (review or on site).
      count(*) filter (where p.concealed and p.checked) as concealed,
      count(*) filter (where p.province_checked) as province_checked,
      count(*) filter (where p.province_concealed and p.province_checked) as province_concealed,
      count(*) filter (where p.legality = 'illegal' and p.rectified) as rectified_count,
      coalesce(sum(p.area) filter (where p.legality = 'illegal' and p.rectified), 0) as rectified_area,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.rectified), 0) as rectified_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.rectified and p.rectification_path = 'legalise'), 0) as legalised_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.rectified and p.rectification_path = 'demolish_recultivate'), 0) as recultivated_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.major), 0) as major_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.major and p.rectified and p.rectification_path = 'legalise'), 0) as major_legalised_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and p.major and p.rectified and p.rectification_path = 'demolish_recultivate'), 0) as major_recultivated_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'legal' and p.major), 0) as legal_major_farmland,
      coalesce(sum(p.farmland) filter (
        where p.legality = 'illegal'
           or (p.legality = 'legal' and coalesce(p.sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation'))
      ), 0) as construction_farmland,
      count(*) filter (where p.late_issuance) as late_issuance,
      count(*) filter (where p.filed) as filed,
      count(*) filter (where p.filed and p.sent_back) as sent_back,
      -- 地矿同核: the mineral results, apart from the land ones.
      count(*) filter (where p.mineral_finding is not null) as mineral_answered,
      count(*) filter (where p.mineral_present) as mineral_present,
      count(*) filter (where p.mineral_finding = 'illegal_mining') as mineral_illegal_count,
      coalesce(sum(p.area) filter (where p.mineral_finding = 'illegal_mining'), 0) as mineral_illegal_area,
      count(*) filter (where p.mineral_finding = 'beyond_boundary') as mineral_beyond_count,
      coalesce(sum(p.area) filter (where p.mineral_finding = 'beyond_boundary'), 0) as mineral_beyond_area,
      count(*) filter (where p.mineral_case) as mineral_cases
    from p
    group by p.county_code
  `;
}

export interface GroupedAggregates {
  all: RegionAggregates;
  provinces: Map<string, RegionAggregates>;
  cities: Map<string, RegionAggregates>;
  counties: Map<string, RegionAggregates>;
}

function add(a: RegionAggregates, b: RegionAggregates): RegionAggregates {
  const sum = (x: unknown, y: unknown): unknown =>
    typeof x === 'number' ? x + (y as number) : Object.fromEntries(Object.entries(x as object).map(([k, v]) => [k, sum(v, (y as Record<string, unknown>)[k])]));
  return sum(a, b) as RegionAggregates;
}

function rollUp(counties: Map<string, RegionAggregates>, keyOf: (county: string) => string): Map<string, RegionAggregates> {
  const out = new Map<string, RegionAggregates>();
  for (const [county, a] of counties) {
    const key = keyOf(county);
    out.set(key, add(out.get(key) ?? EMPTY_AGGREGATES, a));
  }
  return out;
}

/** The local day (YYYY-MM-DD) an instant is the start of, or null: the rollup holds whole local days only. */
function localDayStarting(instant: Date): string | null {
  return startOfLocalDay(localDateOf(instant)).getTime() === instant.getTime() ? formatLocalDate(instant) : null;
}

/** Where the figures are read from: the rollup (whole local days) or every patch row of the period. */
export type StatisticsSource = 'rollup' | 'patches';

function sourceOf(q: StatisticsQuery, requested?: StatisticsSource): StatisticsSource {
  return requested ?? (localDayStarting(q.from) && localDayStarting(q.to) ? 'rollup' : 'patches');
}

/**
 * The same results as aggregatesSql, from the rollup (db/tables/statistics-rollup.ts): a few rows per county
 * and day instead of every patch. T+10 is still the batch's flag, read at query time; with a rectification
 * cut-off, the rectification figures are recomputed from the rectified patches and their cases' elimination
 * dates (a partial index, patches_rectified_idx), the rest read from the rollup.
 */
export function rollupAggregatesSql(q: StatisticsQuery): SQL {
  const from = localDayStarting(q.from);
  const to = localDayStarting(q.to);
  if (!from || !to) throw new Error('the rollup holds whole local days');
  const cutoff = q.rectifiedBy;
  const replaced = new Set(cutoff ? RECTIFICATION_COLUMNS.map((c) => c.name) : []);
  const alias = (name: string) => (name === 'military_count' ? 'military' : name);
  const columns = STATISTICS_ROLLUP_COLUMNS.map((c) =>
    replaced.has(c.name) ? `coalesce(x.${c.name}, 0) as ${c.name}` : `r.${c.name} as ${alias(c.name)}`,
  ).join(', ');
  const value = (c: (typeof STATISTICS_ROLLUP_COLUMNS)[number]) =>
    c.sum === 'area' ? 'p.determined_area_mu::numeric' : c.sum === 'farmland' ? 'p.determined_farmland_mu::numeric' : '1';
  return sql`
    with r as (
      select r.county_code, ${sql.raw(STATISTICS_ROLLUP_COLUMNS.map((c) => `sum(r.${c.name}) as ${c.name}`).join(', '))},
        coalesce(sum(r.patch_count) filter (where b.t10_late), 0) as late_issuance
      from patch_statistics_rollup r
      left join batches b on b.code = r.batch_code
      where ${rangeCondition(sql`r.county_code`, q.regionCode)}
        and r.issued_on >= ${from}::date and r.issued_on < ${to}::date
        ${q.source ? sql`and r.source = ${q.source}` : sql``}
        ${q.includeMilitary ? sql`` : sql`and not r.military`}
      group by r.county_code
      having sum(r.patch_count) > 0
    )${
      cutoff
        ? sql`, x as (
      select p.county_code, ${sql.raw(
        RECTIFICATION_COLUMNS.map(
          (c) => `sum(case when ${c.when} and c.eliminated_at <= '${cutoff.toISOString()}' then ${value(c)} else 0 end) as ${c.name}`,
        ).join(', '),
      )}
      from patches p
      left join cases c on c.case_no = p.case_no
      where p.rectified and ${rangeCondition(sql`p.county_code`, q.regionCode)}
        and p.issued_at >= ${q.from.toISOString()} and p.issued_at < ${q.to.toISOString()}
        ${q.source ? sql`and p.source = ${q.source}` : sql``}
        ${q.includeMilitary ? sql`` : sql`and not p.military`}
      group by p.county_code
    )`
        : sql``
    }
    select r.county_code, ${sql.raw(columns)}, r.late_issuance
    from r ${cutoff ? sql`left join x on x.county_code = r.county_code` : sql``}
  `;
}

/** Aggregates of the patches issued in [from, to): for the region, per province, city and county, in one pass. */
export async function aggregates(db: Db, q: StatisticsQuery, from?: StatisticsSource): Promise<GroupedAggregates> {
  const rows = await db.execute(sourceOf(q, from) === 'rollup' ? rollupAggregatesSql(q) : aggregatesSql(q));
  const counties = new Map<string, RegionAggregates>();
  for (const r of rows as unknown as Array<Record<string, unknown>>) {
    counties.set(String(r.county_code), {
      issued: n(r.issued),
      military: n(r.military),
      verifiedOnTime: n(r.verified_on_time),
      verifiedLate: n(r.verified_late),
      verificationOpen: n(r.verification_open),
      overdueNow: n(r.overdue_now),
      legal: { count: n(r.legal_count), areaMu: n(r.legal_area) },
      illegal: { count: n(r.illegal_count), areaMu: n(r.illegal_area), farmlandMu: n(r.illegal_farmland) },
      other: { count: n(r.other_count), areaMu: n(r.other_area) },
      directDeterminations: n(r.direct),
      reviewed: n(r.reviewed),
      checked: n(r.checked),
      concealed: n(r.concealed),
      provinceChecked: n(r.province_checked),
      provinceConcealed: n(r.province_concealed),
      rectified: { count: n(r.rectified_count), areaMu: n(r.rectified_area), farmlandMu: n(r.rectified_farmland) },
      legalisedFarmlandMu: n(r.legalised_farmland),
      recultivatedFarmlandMu: n(r.recultivated_farmland),
      majorInfrastructureFarmlandMu: n(r.major_farmland),
      majorInfrastructureLegalisedFarmlandMu: n(r.major_legalised_farmland),
      majorInfrastructureRecultivatedFarmlandMu: n(r.major_recultivated_farmland),
      legalMajorInfrastructureFarmlandMu: n(r.legal_major_farmland),
      newConstructionFarmlandMu: n(r.construction_farmland),
      lateIssuance: n(r.late_issuance),
      filed: n(r.filed),
      sentBack: n(r.sent_back),
      mineral: {
        answered: n(r.mineral_answered),
        present: n(r.mineral_present),
        illegalMining: { count: n(r.mineral_illegal_count), areaMu: n(r.mineral_illegal_area) },
        beyondBoundary: { count: n(r.mineral_beyond_count), areaMu: n(r.mineral_beyond_area) },
        cases: n(r.mineral_cases),
      },
    });
  }
  return {
    all: rollUp(counties, () => 'all').get('all') ?? EMPTY_AGGREGATES,
    provinces: rollUp(counties, provinceOf),
    cities: rollUp(counties, cityOf),
    counties,
  };
}

export interface QuotaMovements {
  account: string;
  frozenMu: number;
  unfrozenMu: number;
  deductedMu: number;
}

/** Quota frozen, unfrozen and deducted in [from, to) (docs/domain.md §12: reported with the results). */
export async function quotaMovements(db: Db, q: StatisticsQuery): Promise<QuotaMovements[]> {
  const rows = await db.execute(sql`
    select account,
      coalesce(sum(area_mu) filter (where kind = 'freeze'), 0)::float8 as frozen,
      coalesce(sum(area_mu) filter (where kind = 'unfreeze'), 0)::float8 as unfrozen,
      coalesce(sum(area_mu) filter (where kind = 'deduct'), 0)::float8 as deducted
    from quota_ledger
    where ${rangeCondition(sql`county_code`, q.regionCode)} and at >= ${q.from.toISOString()} and at < ${q.to.toISOString()}
      ${q.source ? sql`and exists (select 1 from patches p where p.code = quota_ledger.patch_code and p.source = ${q.source})` : sql``}
      and not exists (select 1 from patches p where p.code = quota_ledger.patch_code and p.military)
    group by account order by account
  `);
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => ({
    account: String(r.account),
    frozenMu: n(r.frozen),
    unfrozenMu: n(r.unfrozen),
    deductedMu: n(r.deducted),
  }));
}

export interface MonthlyQuality {
  /** The county. */
  regionCode: string;
  /** The month of issuance, YYYY-MM (Asia/Shanghai). */
  month: string;
  issued: number;
  verifiedOnTime: number;
  filed: number;
  sentBack: number;
  /** 月清 beside them: verified by the deadline, of the patches issued. */
  clearanceRate: number | null;
  fillingRate: number | null;
  errorRate: number | null;
}

/**
 * 填报率 and 差错率 (with 月清) per county and month of issuance in the period (docs/domain.md §11). Military
 * patches are in none of them: they are reported offline (000 二(二); 002 三(三); 004 三(二)).
 */
export async function monthlyQuality(db: Db, q: StatisticsQuery, from?: StatisticsSource): Promise<MonthlyQuality[]> {
  const rows = await db.execute(
    sourceOf(q, from) === 'rollup'
      ? sql`
    select county_code, to_char(issued_on, 'YYYY-MM') as month, sum(unmerged) as issued, sum(verified_on_time) as verified_on_time,
      sum(filed) as filed, sum(sent_back) as sent_back
    from patch_statistics_rollup
    where ${rangeCondition(sql`county_code`, q.regionCode)}
      and issued_on >= ${localDayStarting(q.from)}::date and issued_on < ${localDayStarting(q.to)}::date
      ${q.source ? sql`and source = ${q.source}` : sql``}
      and not military
    group by 1, 2 having sum(patch_count) > 0 order by 1, 2
  `
      : sql`
    select county_code, to_char(issued_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
      count(*) filter (where merged_from is null) as issued,
      count(*) filter (where verification_on_time) as verified_on_time,
      count(*) filter (where verification_on_time is not null) as filed,
      count(*) filter (where verification_on_time is not null and send_back_count > 0) as sent_back
    from patches
    where ${rangeCondition(sql`county_code`, q.regionCode)}
      and issued_at >= ${q.from.toISOString()} and issued_at < ${q.to.toISOString()}
      ${q.source ? sql`and source = ${q.source}` : sql``}
      and not military
    group by 1, 2 order by 1, 2
  `,
  );
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => {
    const a = { issued: n(r.issued), filed: n(r.filed), sentBack: n(r.sent_back) };
    return {
      regionCode: String(r.county_code),
      month: String(r.month),
      ...a,
      verifiedOnTime: n(r.verified_on_time),
      clearanceRate: a.issued ? n(r.verified_on_time) / a.issued : null,
      ...qualityRates(a),
    };
  });
}

export interface RegionStatistics {
  regionCode: string;
  from: string;
  to: string;
  /** The rectification cut-off applied (YYYY-MM-DD), or null: as of now. */
  rectifiedBy: string | null;
  /** Which patches the figures count (拆分, docs/domain.md §13): issued = unsplit + parents; the rest = unsplit + children. */
  counting: typeof COUNTING_RULES;
  /** And of a merge (合并): issued = unmerged + sources; the rest = unmerged + merged patches. */
  mergeCounting: typeof MERGE_COUNTING_RULES;
  figures: Figures;
  quota: QuotaMovements[];
  /** The next level down (cities of a province, counties of a city), each with its figures. */
  children: Array<{ regionCode: string; figures: Figures }>;
  /** 填报率, 差错率 and 月清 per county and month of issuance. */
  quality: MonthlyQuality[];
  rankings?: { cities?: ReturnType<typeof rankings>; counties?: ReturnType<typeof rankings> };
}

/** Everything the statistics page and the reports show for a region and period. */
export async function regionStatistics(db: Db, q: StatisticsQuery): Promise<RegionStatistics> {
  const { policy } = await loadEffectivePolicy(db, q.regionCode);
  const level = regionLevel(q.regionCode);
  // A calendar year or half-year is a report's period: its cut-off applies unless the caller set one.
  const period = reportPeriodOf(q.from, q.to);
  const rectifiedBy = q.rectifiedBy ?? (period ? rectificationCutoff(policy, period.kind, period.year) : undefined);
  q = { ...q, rectifiedBy };
  const [grouped, quota, quality] = await Promise.all([aggregates(db, q), quotaMovements(db, q), monthlyQuality(db, q)]);
  const rowsOf = (m: Map<string, RegionAggregates>) =>
    [...m.entries()].map(([regionCode, a]) => ({ regionCode, figures: figures(a, policy) })).sort((x, y) => x.regionCode.localeCompare(y.regionCode));
  const countyRows = rowsOf(grouped.counties);
  // The next level down: the counties of a city, the cities of a province, the provinces of the nation.
  const childRows = level === 'county' ? [] : level === 'city' ? countyRows : level === 'province' ? rowsOf(grouped.cities) : rowsOf(grouped.provinces);
  return {
    regionCode: q.regionCode,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    rectifiedBy: rectifiedBy ? formatLocalDate(rectifiedBy) : null,
    counting: COUNTING_RULES,
    mergeCounting: MERGE_COUNTING_RULES,
    figures: figures(grouped.all, policy),
    quota,
    children: childRows,
    quality,
    // Guangdong interviews the top 3 cities and top 10 counties of the combined ranking (002 五(三)); the cut-offs are policy.
    rankings:
      level === 'county'
        ? undefined
        : {
            ...(level !== 'city' ? { cities: rankings(rowsOf(grouped.cities), policy.statistics.interviewRanking.cities) } : {}),
            counties: rankings(countyRows, policy.statistics.interviewRanking.counties),
          },
  };
}
