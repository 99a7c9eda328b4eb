/**
 * Measuring a patch against the reference layers (docs/domain.md §13): candidates from the GiST index
 * on each polygon's bounding box (`bbox && box`), then the exact intersection here, in the worker (turf's
 * intersect, on polyclip-ts: a maintained Martinez-Rueda clipper), its area ellipsoidal on CGCS2000
 * (domain/area.ts). Farmland, basic farmland, red line and urban boundary come from the most specific region's
 * latest version of each; approvals, filings and supplies from every level's latest version. The measurement
 * names the versions it used and is written once per patch: the issuance activity is idempotent.
 */
import { bbox as turfBbox, feature, featureCollection, intersect } from '@turf/turf';
import { eq, sql } from 'drizzle-orm';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/client';
import { patchMeasurements, patches } from '../db/schema';
import { areaMu } from '../domain/area';
import type { OccupiedAreas } from '../domain/legality';
import {
  type ApprovalOverlap,
  AREA_LAYER_KINDS,
  isApprovalLayer,
  type LayerKind,
  type LayerVersionRef,
  type Measurement,
  suggestedAreas,
} from '../domain/layers';
import { ancestry } from '../domain/regions';

type Area = Polygon | MultiPolygon;

/** The layer versions in force for a county: see the file's comment. */
export async function currentLayers(db: Db, countyCode: string): Promise<LayerVersionRef[]> {
  const chain = ancestry(countyCode);
  const rows = (await db.execute(sql`
    select distinct on (kind, region_code) id, region_code, kind, version, name
    from reference_layers
    where status = 'ready' and region_code in ${sql.raw(`(${chain.map((c) => `'${c}'`).join(',')})`)}
    order by kind, region_code, version desc`)) as unknown as { id: number; region_code: string; kind: LayerKind; version: number; name: string }[];
  const refs = rows.map((r) => ({ layerId: r.id, regionCode: r.region_code, kind: r.kind, version: r.version, name: r.name }));
  const depth = (code: string) => chain.indexOf(code);
  return refs.filter((r) => isApprovalLayer(r.kind) || !refs.some((o) => o.kind === r.kind && depth(o.regionCode) > depth(r.regionCode)));
}

export interface Candidate {
  layer_id: number;
  geometry: Area;
  document_number: string | null;
  document_date: string | null;
}

/** The layers' polygons whose bounding box meets the patch's (the GiST index answers). */
export async function candidatesFor(db: Db, layerIds: number[], geometry: Area): Promise<Candidate[]> {
  if (!layerIds.length) return [];
  const [minX, minY, maxX, maxY] = turfBbox(geometry);
  return (await db.execute(sql`
    select layer_id, geometry, document_number, document_date from layer_features
    where layer_id in ${sql.raw(`(${layerIds.map((id) => Number(id)).join(',')})`)}
      and bbox && box(point(${minX}, ${minY}), point(${maxX}, ${maxY}))`)) as unknown as Candidate[];
}

/** The area (mu) of a ∩ b, 0 when they do not meet. */
export function overlapMu(a: Area, b: Area): number {
  const cut = intersect(featureCollection([feature(a), feature(b)]));
  return cut ? areaMu(cut.geometry) : 0;
}

/** The measurement of a geometry against candidates of the given layers (pure: no database). */
export function overlay(patchCode: string, geometry: Area, layers: LayerVersionRef[], candidates: Candidate[], measuredAt = new Date()): Measurement {
  const totalMu = areaMu(geometry);
  const kindOf = new Map(layers.map((l) => [l.layerId, l.kind]));
  const sums: Record<string, number> = Object.fromEntries(AREA_LAYER_KINDS.map((k) => [k, 0]));
  const approvals: ApprovalOverlap[] = [];
  for (const c of candidates) {
    const kind = kindOf.get(c.layer_id);
    if (!kind) continue;
    const mu = overlapMu(geometry, c.geometry);
    if (!(mu > 1e-6)) continue;
    if (isApprovalLayer(kind)) {
      approvals.push({
        kind,
        layerId: c.layer_id,
        documentNumber: c.document_number ?? '',
        ...(c.document_date ? { date: c.document_date } : {}),
        overlapMu: mu,
        share: Math.min(1, mu / totalMu),
      });
    } else sums[kind] += mu;
  }
  // A layer's polygons do not overlap one another (a survey's parcels tile the land); clamp what rounding leaves.
  const within = (v: number) => Math.min(totalMu, v);
  return {
    patchCode,
    totalMu,
    farmlandMu: within(sums.farmland),
    basicFarmlandMu: within(sums.basic_farmland),
    redLineMu: within(sums.red_line),
    urbanBoundaryMu: within(sums.urban_boundary),
    approvals: approvals.sort((a, b) => b.share - a.share),
    layers,
    measuredAt: measuredAt.toISOString(),
  };
}

/** Measures a geometry against the layers in force for its county. */
export async function measureGeometry(db: Db, p: { code: string; countyCode: string; geometry: Area }, layers?: LayerVersionRef[]): Promise<Measurement> {
  const inForce = layers ?? (await currentLayers(db, p.countyCode));
  const candidates = await candidatesFor(
    db,
    inForce.map((l) => l.layerId),
    p.geometry,
  );
  return overlay(p.code, p.geometry, inForce, candidates);
}

const fromRow = (r: typeof patchMeasurements.$inferSelect): Measurement => ({
  patchCode: r.patchCode,
  totalMu: r.totalMu,
  farmlandMu: r.farmlandMu,
  basicFarmlandMu: r.basicFarmlandMu,
  redLineMu: r.redLineMu,
  urbanBoundaryMu: r.urbanBoundaryMu,
  approvals: r.approvals as ApprovalOverlap[],
  layers: r.layers as LayerVersionRef[],
  measuredAt: r.measuredAt.toISOString(),
});

export async function readMeasurement(db: Db, patchCode: string): Promise<Measurement | undefined> {
  const [row] = await db.select().from(patchMeasurements).where(eq(patchMeasurements.patchCode, patchCode));
  return row && fromRow(row);
}

/** Writes a measurement unless the patch has one (the first stands), and answers the one in force. */
export async function saveMeasurement(db: Db, m: Measurement): Promise<Measurement> {
  await db
    .insert(patchMeasurements)
    .values({
      patchCode: m.patchCode,
      totalMu: m.totalMu,
      farmlandMu: m.farmlandMu,
      basicFarmlandMu: m.basicFarmlandMu,
      redLineMu: m.redLineMu,
      urbanBoundaryMu: m.urbanBoundaryMu,
      approvals: m.approvals,
      layers: m.layers,
      measuredAt: new Date(m.measuredAt),
    })
    .onConflictDoNothing({ target: patchMeasurements.patchCode });
  return (await readMeasurement(db, m.patchCode)) ?? m;
}

export function createMeasurementActivities(db: Db) {
  return {
    /**
     * Measures an issued patch against the layers in force (idempotent: a patch measured already keeps its
     * measurement). Answers only what the workflow needs to know: whether, against how many layers, and the
     * areas suggested (which the workflow's completion validator holds the officer's areas against).
     */
    async measurePatch(input: { patchCode: string }): Promise<{ measured: boolean; layers: number; suggestedAreas?: OccupiedAreas }> {
      const existing = await readMeasurement(db, input.patchCode);
      if (existing) return { measured: true, layers: existing.layers.length, suggestedAreas: suggestedAreas(existing) };
      const [p] = await db
        .select({ code: patches.code, countyCode: patches.countyCode, geometry: patches.geometry })
        .from(patches)
        .where(eq(patches.code, input.patchCode));
      if (!p?.geometry) return { measured: false, layers: 0 };
      // Without a layer in force nothing is measured (and nothing written, so the patch may be measured later).
      const layers = await currentLayers(db, p.countyCode);
      if (!layers.length) return { measured: false, layers: 0 };
      const m = await saveMeasurement(db, await measureGeometry(db, { code: p.code, countyCode: p.countyCode, geometry: p.geometry as Area }, layers));
      return { measured: true, layers: m.layers.length, suggestedAreas: suggestedAreas(m) };
    },
  };
}
