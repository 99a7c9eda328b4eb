/**
 * The statistics queries: one pass over the patches issued in a period (with their verification task and
 * their case) aggregated for a region, or per child region; and the quota ledger's movements. The rules
 * that turn these aggregates into rates, ratios and warnings are in domain/statistics.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { loadEffectivePolicy } from '../../db/policy-store';
import { prefixRange } from '../../db/region-filter';
import { regionLevel, regionPrefix } from '../../domain/regions';
import { EMPTY_AGGREGATES, figures, rankings, type Figures, type RegionAggregates } from '../../domain/statistics';
import type { PatchSource } from '../../domain/types';

export interface StatisticsQuery {
  regionCode: string;
  from: Date;
  to: Date;
  source?: PatchSource;
}

type GroupBy = 'none' | 'city' | 'county';

function rangeCondition(column: SQL, regionCode: string): SQL {
  const range = prefixRange(regionPrefix(regionCode));
  return range ? sql`${column} >= ${range[0]} and ${column} < ${range[1]}` : sql`true`;
}

const n = (v: unknown) => Number(v ?? 0);

/** Aggregates per group (the whole region, its cities, or its counties) of the patches issued in [from, to). */
export async function aggregates(db: Db, q: StatisticsQuery, groupBy: GroupBy = 'none'): Promise<Map<string, RegionAggregates>> {
  const key = groupBy === 'none' ? sql`'all'` : groupBy === 'city' ? sql`p.city_code` : sql`p.county_code`;
  const rows = await db.execute(sql`
    with p as (
      select p.code, p.county_code, p.city_code, p.military, p.legality, p.direct_determination, p.concealed, p.overdue,
             p.issued_at, p.imaged_at,
             coalesce((p.determination->'areas'->>'totalMu')::float8, p.area_mu) as area,
             coalesce((p.determination->'areas'->>'farmlandMu')::float8, 0) as farmland,
             coalesce((p.determination->>'majorInfrastructure')::boolean, false) as major,
             p.determination->>'subType' as sub_type,
             coalesce((p.review_draws->'city'->>'selected')::boolean, false)
               or coalesce((p.review_draws->'province'->>'selected')::boolean, false) as reviewed
      from patches p
      where ${rangeCondition(sql`p.county_code`, q.regionCode)}
        and p.issued_at >= ${q.from.toISOString()} and p.issued_at < ${q.to.toISOString()}
        ${q.source ? sql`and p.source = ${q.source}` : sql``}
    ),
    v as (
      select t.patch_code,
             bool_or(t.status = 'completed' and t.closed_at <= t.due_at) as on_time,
             bool_or(t.status = 'completed' and t.closed_at > t.due_at) as late,
             bool_or(t.status = 'open') as open
      from tasks t join p on p.code = t.patch_code
      where t.type = 'verification'
      group by t.patch_code
    ),
    c as (
      select cp.patch_code, bool_or(cs.eliminated) as eliminated, max(cs.path) as path
      from case_patches cp join p on p.code = cp.patch_code join cases cs on cs.case_no = cp.case_no
      where cs.status <> 'merged'
      group by cp.patch_code
    )
    select ${key} as grp,
      count(*) as issued,
      count(*) filter (where p.military) as military,
      count(*) filter (where v.on_time) as verified_on_time,
      count(*) filter (where v.late and not coalesce(v.on_time, false)) as verified_late,
      count(*) filter (where v.open) as verification_open,
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
      count(*) filter (where p.concealed) as concealed,
      count(*) filter (where p.legality = 'illegal' and c.eliminated) as rectified_count,
      coalesce(sum(p.area) filter (where p.legality = 'illegal' and c.eliminated), 0) as rectified_area,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and c.eliminated), 0) as rectified_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and c.eliminated and c.path = 'legalise'), 0) as legalised_farmland,
      coalesce(sum(p.farmland) filter (where p.legality = 'illegal' and c.eliminated and c.path = 'demolish_recultivate'), 0) as recultivated_farmland,
      coalesce(sum(p.farmland) filter (where p.major and p.legality in ('legal', 'illegal')), 0) as major_farmland,
      coalesce(sum(p.farmland) filter (
        where p.legality = 'illegal'
           or (p.legality = 'legal' and coalesce(p.sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation'))
      ), 0) as construction_farmland,
      count(*) filter (where p.imaged_at is not null and p.issued_at > p.imaged_at + interval '10 days') as late_issuance
    from p left join v on v.patch_code = p.code left join c on c.patch_code = p.code
    group by 1
  `);
  const out = new Map<string, RegionAggregates>();
  for (const r of rows as unknown as Array<Record<string, unknown>>) {
    out.set(String(r.grp), {
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
      concealed: n(r.concealed),
      rectified: { count: n(r.rectified_count), areaMu: n(r.rectified_area), farmlandMu: n(r.rectified_farmland) },
      legalisedFarmlandMu: n(r.legalised_farmland),
      recultivatedFarmlandMu: n(r.recultivated_farmland),
      majorInfrastructureFarmlandMu: n(r.major_farmland),
      newConstructionFarmlandMu: n(r.construction_farmland),
      lateIssuance: n(r.late_issuance),
    });
  }
  return out;
}

export interface QuotaMovements {
  account: string;
  frozenMu: number;
  unfrozenMu: number;
  deductedMu: number;
}

/** Quota frozen, unfrozen and deducted in [from, to) (DOMAIN.md §12: reported with the results). */
export async function quotaMovements(db: Db, q: StatisticsQuery): Promise<QuotaMovements[]> {
  const rows = await db.execute(sql`
    select account,
      coalesce(sum(area_mu) filter (where kind = 'freeze'), 0)::float8 as frozen,
      coalesce(sum(area_mu) filter (where kind = 'unfreeze'), 0)::float8 as unfrozen,
      coalesce(sum(area_mu) filter (where kind = 'deduct'), 0)::float8 as deducted
    from quota_ledger
    where ${rangeCondition(sql`county_code`, q.regionCode)} and at >= ${q.from.toISOString()} and at < ${q.to.toISOString()}
    group by account order by account
  `);
  return (rows as unknown as Array<Record<string, unknown>>).map((r) => ({
    account: String(r.account),
    frozenMu: n(r.frozen),
    unfrozenMu: n(r.unfrozen),
    deductedMu: n(r.deducted),
  }));
}

export interface RegionStatistics {
  regionCode: string;
  from: string;
  to: string;
  figures: Figures;
  quota: QuotaMovements[];
  /** The next level down (cities of a province, counties of a city), each with its figures. */
  children: Array<{ regionCode: string; figures: Figures }>;
  rankings?: { cities?: ReturnType<typeof rankings>; counties?: ReturnType<typeof rankings> };
}

/** Everything the statistics page and the reports show for a region and period. */
export async function regionStatistics(db: Db, q: StatisticsQuery): Promise<RegionStatistics> {
  const { policy } = await loadEffectivePolicy(db, q.regionCode);
  const level = regionLevel(q.regionCode);
  const [whole, quota, children, counties] = await Promise.all([
    aggregates(db, q, 'none'),
    quotaMovements(db, q),
    level === 'county' ? Promise.resolve(new Map<string, RegionAggregates>()) : aggregates(db, q, level === 'city' ? 'county' : 'city'),
    level === 'national' || level === 'province' ? aggregates(db, q, 'county') : Promise.resolve(undefined),
  ]);
  const childRows = [...children.entries()].map(([regionCode, a]) => ({ regionCode, figures: figures(a, policy) })).sort((x, y) => x.regionCode.localeCompare(y.regionCode));
  const countyRows = counties ? [...counties.entries()].map(([regionCode, a]) => ({ regionCode, figures: figures(a, policy) })) : childRows;
  return {
    regionCode: q.regionCode,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    figures: figures(whole.get('all') ?? EMPTY_AGGREGATES, policy),
    quota,
    children: childRows,
    // Guangdong interviews the top 3 cities and top 10 counties (002 五(三)).
    rankings:
      level === 'county'
        ? undefined
        : { ...(level !== 'city' ? { cities: rankings(childRows, 3) } : {}), counties: rankings(countyRows, 10) },
  };
}
