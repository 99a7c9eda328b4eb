/**
 * Synthetic reference layers near the demo counties (docs/domain.md §13), so that `npm start` shows
 * measured areas: a farmland layer of 100 m parcels in alternate columns around each county's demo patches, the
 * southern half of them permanent basic farmland, and a land-use approval covering each county's first demo
 * patch. Loaded once, before the demo patches are issued.
 */
import { eq } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import type { Db } from '../../db/client';
import { meta } from '../../db/schema';
import type { LayerKind } from '../../domain/layers';
import type { IssuePatch } from '../../domain/schemas/patches';
import { CGCS2000 } from '../../ingest/crs';
import type { AnySource } from '../../ingest/geopackage-source';
import { importLayer } from '../../ingest/layers';
import type { RawFeature } from '../../ingest/source-types';
import { COUNTY_CENTRES } from './patches';

const STEP = 0.001;
const HALF = 0.04;

const square = (x: number, y: number, w: number, h: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + w, y],
      [x + w, y + h],
      [x, y + h],
      [x, y],
    ],
  ],
});

const sourceOf = (features: { geometry: Polygon; properties?: Record<string, unknown> }[]): AnySource => ({
  format: 'geojson',
  crs: CGCS2000,
  total: features.length,
  async *chunks(from: number, size: number) {
    for (let i = from; i < features.length; i += size)
      yield features.slice(i, i + size).map((f, k): RawFeature => ({ seq: i + k, geometry: f.geometry, properties: f.properties ?? {} }));
  },
});

function parcels(centre: [number, number], southOnly: boolean) {
  const out: { geometry: Polygon }[] = [];
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  for (let i = 0; i < (2 * HALF) / STEP; i += 2)
    for (let j = 0; j < (southOnly ? HALF : 2 * HALF) / STEP; j++)
      out.push({ geometry: square(r(centre[0] - HALF + i * STEP), r(centre[1] - HALF + j * STEP), STEP, STEP) });
  return out;
}

export async function seedDemoLayers(db: Db, patches: IssuePatch[], log?: (m: string) => void): Promise<void> {
  const [done] = await db.select().from(meta).where(eq(meta.key, 'demo_layers_loaded'));
  if (done) return;
  for (const [county, centre] of Object.entries(COUNTY_CENTRES)) {
    const load = (kind: LayerKind, name: string, features: { geometry: Polygon; properties?: Record<string, unknown> }[]) =>
      importLayer(db, '', { regionCode: county, kind, name, fileName: 'demo' }, { source: sourceOf(features) });
    await load('farmland', '耕地（演示，年度变更调查）', parcels(centre, false));
    await load('basic_farmland', '永久基本农田（演示）', parcels(centre, true));
    const first = patches.find((p) => p.countyCode === county && !p.military);
    const g = first?.geometry;
    if (g?.type === 'Polygon') {
      const ring = g.coordinates[0];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      const pad = 0.0002;
      await load('approval', '用地审批（演示）', [
        {
          geometry: square(
            Math.min(...xs) - pad,
            Math.min(...ys) - pad,
            Math.max(...xs) - Math.min(...xs) + 2 * pad,
            Math.max(...ys) - Math.min(...ys) + 2 * pad,
          ),
          properties: { PZWH: `演示批〔2026〕${county.slice(4)}号`, PZRQ: '2026-01-10' },
        },
      ]);
    }
  }
  await db
    .insert(meta)
    .values({ key: 'demo_layers_loaded', value: { at: new Date().toISOString() } })
    .onConflictDoNothing();
  log?.('loaded the demo reference layers');
}
