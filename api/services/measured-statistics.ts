/**
 * Measured vs declared (docs/domain.md §13): per child region, over the patches issued in a period that were
 * both measured on the land layers and determined, the sums of the measured farmland, basic farmland and red-line
 * areas beside the determined ones, and how many determinations changed the measured areas (面积经核查修正).
 * Military patches are left out (000 二(二)).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { prefixRange } from '../../db/region-filter';
import { cityOf, NATIONAL_CODE, provinceOf, regionLevel, regionPrefix } from '../../domain/regions';

export interface AreaSums {
  farmlandMu: number;
  basicFarmlandMu: number;
  redLineMu: number;
}

export interface MeasuredVsDeclared {
  regionCode: string;
  /** Patches measured and determined. */
  patches: number;
  measured: AreaSums;
  declared: AreaSums;
  /** Of those, the determinations whose areas differ from the measured ones (with the officer's reason). */
  overridden: number;
}

const EMPTY = (regionCode: string): MeasuredVsDeclared => ({
  regionCode,
  patches: 0,
  measured: { farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
  declared: { farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 },
  overridden: 0,
});

const round2 = (v: number) => Math.round(v * 100) / 100;

function add(a: MeasuredVsDeclared, b: MeasuredVsDeclared): MeasuredVsDeclared {
  const sum = (x: AreaSums, y: AreaSums): AreaSums => ({
    farmlandMu: round2(x.farmlandMu + y.farmlandMu),
    basicFarmlandMu: round2(x.basicFarmlandMu + y.basicFarmlandMu),
    redLineMu: round2(x.redLineMu + y.redLineMu),
  });
  return {
    ...a,
    patches: a.patches + b.patches,
    measured: sum(a.measured, b.measured),
    declared: sum(a.declared, b.declared),
    overridden: a.overridden + b.overridden,
  };
}

/** The child region a county's figures count under: cities of a province, counties of a city, provinces of the nation. */
function childOf(regionCode: string, county: string): string {
  const level = regionLevel(regionCode);
  if (level === 'national' || regionCode === NATIONAL_CODE) return provinceOf(county);
  if (level === 'province') return cityOf(county);
  return county;
}

export async function measuredVsDeclared(
  db: Db,
  q: { regionCode: string; from: Date; to: Date; source?: string },
): Promise<{ total: MeasuredVsDeclared; children: MeasuredVsDeclared[] }> {
  const range = prefixRange(regionPrefix(q.regionCode));
  const rows = (await db.execute(sql`
    select p.county_code,
      count(*)::int as patches,
      coalesce(sum(m.farmland_mu), 0) as m_farmland,
      coalesce(sum(m.basic_farmland_mu), 0) as m_basic,
      coalesce(sum(m.red_line_mu), 0) as m_red,
      coalesce(sum((p.determination->'areas'->>'farmlandMu')::float8), 0) as d_farmland,
      coalesce(sum((p.determination->'areas'->>'basicFarmlandMu')::float8), 0) as d_basic,
      coalesce(sum((p.determination->'areas'->>'redLineMu')::float8), 0) as d_red,
      count(*) filter (where coalesce(btrim(p.determination->>'areasOverrideReason'), '') <> '')::int as overridden
    from patches p
    join patch_measurements m on m.patch_code = p.code
    where ${range ? sql`p.county_code >= ${range[0]} and p.county_code < ${range[1]}` : sql`true`}
      and p.issued_at >= ${q.from.toISOString()} and p.issued_at < ${q.to.toISOString()}
      and p.determination is not null and not p.military
      ${q.source ? sql`and p.source = ${q.source}` : sql``}
    group by p.county_code`)) as unknown as Array<Record<string, unknown>>;
  const byChild = new Map<string, MeasuredVsDeclared>();
  for (const r of rows) {
    const county = String(r.county_code);
    const child = childOf(q.regionCode, county);
    const n = (k: string) => round2(Number(r[k] ?? 0));
    const figures: MeasuredVsDeclared = {
      regionCode: child,
      patches: Number(r.patches),
      measured: { farmlandMu: n('m_farmland'), basicFarmlandMu: n('m_basic'), redLineMu: n('m_red') },
      declared: { farmlandMu: n('d_farmland'), basicFarmlandMu: n('d_basic'), redLineMu: n('d_red') },
      overridden: Number(r.overridden),
    };
    byChild.set(child, add(byChild.get(child) ?? EMPTY(child), figures));
  }
  const children = [...byChild.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  return { total: children.reduce((a, c) => add(a, c), EMPTY(q.regionCode)), children };
}
