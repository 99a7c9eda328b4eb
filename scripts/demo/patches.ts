/** Demo patches for the demo counties, issued relative to "now" so that some are due soon and some overdue. */
import { SQUARE_METRES_PER_MU, type PatchCategory } from '../../domain/types';
import type { IssuePatch } from '../../domain/schemas/patches';

const DAY = 24 * 3600 * 1000;

/** Approximate seats of the demo counties (lng, lat). */
export const COUNTY_CENTRES: Record<string, [number, number]> = {
  '640104': [106.288, 38.473], // 兴庆区
  '371502': [115.986, 36.456], // 东昌府区
  '440703': [113.078, 22.595], // 蓬江区
  '350583': [118.386, 24.96], // 南安市
};

/** A rectangle of `areaMu` around a point, offset by (dx, dy) kilometres. */
export function rectangle(centre: [number, number], areaMu: number, dx = 0, dy = 0): IssuePatch['geometry'] {
  const side = Math.sqrt(areaMu * SQUARE_METRES_PER_MU);
  const latPerM = 1 / 111_320;
  const lngPerM = 1 / (111_320 * Math.cos((centre[1] * Math.PI) / 180));
  const cx = centre[0] + dx * 1000 * lngPerM;
  const cy = centre[1] + dy * 1000 * latPerM;
  const hx = (side / 2) * lngPerM * 1.4;
  const hy = ((side / 2) * latPerM) / 1.4;
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(cx - hx), r(cy - hy)],
        [r(cx + hx), r(cy - hy)],
        [r(cx + hx), r(cy + hy)],
        [r(cx - hx), r(cy + hy)],
        [r(cx - hx), r(cy - hy)],
      ],
    ],
  };
}

interface DemoSpec {
  county: string;
  daysAgo: number;
  category: PatchCategory;
  areaMu: number;
  farmlandMu?: number;
  military?: boolean;
}

const SPECS: DemoSpec[] = [
  { county: '640104', daysAgo: 3, category: 'new_non_agricultural_construction', areaMu: 12.4, farmlandMu: 8.1 },
  { county: '640104', daysAgo: 6, category: 'other_new_construction', areaMu: 3.2 },
  { county: '640104', daysAgo: 18, category: 'continuous_change', areaMu: 25.6, farmlandMu: 20.2 },
  { county: '640104', daysAgo: 75, category: 'other_change', areaMu: 1.8 },
  { county: '640104', daysAgo: 5, category: 'other_new_construction', areaMu: 6.5, military: true },
  { county: '371502', daysAgo: 2, category: 'new_non_agricultural_construction', areaMu: 22.0, farmlandMu: 21.0 },
  { county: '371502', daysAgo: 14, category: 'facility_agriculture', areaMu: 11.3, farmlandMu: 11.3 },
  { county: '371502', daysAgo: 40, category: 'other_change', areaMu: 4.4 },
  { county: '440703', daysAgo: 4, category: 'new_non_agricultural_construction', areaMu: 9.9, farmlandMu: 2.5 },
  { county: '440703', daysAgo: 35, category: 'other_new_construction', areaMu: 5.1 },
  { county: '350583', daysAgo: 8, category: 'new_non_agricultural_construction', areaMu: 7.7, farmlandMu: 7.0 },
  { county: '350583', daysAgo: 20, category: 'other_change', areaMu: 2.2 },
];

export function demoPatches(now = Date.now()): IssuePatch[] {
  const counters = new Map<string, number>();
  return SPECS.map((s, i) => {
    const issued = new Date(now - s.daysAgo * DAY);
    const ym = `${issued.getUTCFullYear()}${String(issued.getUTCMonth() + 1).padStart(2, '0')}`;
    const n = (counters.get(s.county) ?? 0) + 1;
    counters.set(s.county, n);
    return {
      code: `${s.county}${ym}D${String(n).padStart(3, '0')}`,
      countyCode: s.county,
      category: s.category,
      source: 'ministry',
      batchCode: `DEMO-${ym}`,
      batchKind: 'monthly',
      issuedAt: issued.toISOString(),
      imagedAt: new Date(issued.getTime() - 8 * DAY).toISOString(),
      areaMu: s.areaMu,
      farmlandMu: s.farmlandMu,
      geometry: rectangle(COUNTY_CENTRES[s.county], s.areaMu, ((i % 3) - 1) * 1.5, ((i % 4) - 1.5) * 1.2),
      military: s.military ?? false,
    };
  });
}
