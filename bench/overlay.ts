/**
 * Land layers at scale (docs/domain.md §13): a farmland layer of --layer polygons imported (streamed
 * GeoJSON → box + GiST), then a --patches batch measured against it (candidates by the index, exact
 * intersection and ellipsoidal areas in this process), with the process's peak RSS.
 *
 *   npm run bench:overlay -- [--layer 1000000] [--patches 10000] [--concurrency 8]
 *
 * Baselines from the same run: reading and reprojecting the layer file without writing it (the import's
 * floor), and the patches' own ellipsoidal areas without the overlay (the measurement's floor).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Polygon } from 'geojson';
import { currentLayers, measureGeometry, saveMeasurement } from '../activities/measurement';
import { areaMu } from '../domain/area';
import { importLayer, openLayerSource } from '../ingest/layers';
import { readGeometry } from '../ingest/validate';
import { syntheticFeatures, writeGeoJson } from '../scripts/synthetic/batch';
import { COUNTY_SEATS } from '../scripts/synthetic/county-seats';
import { pool, startBenchSystem } from './support';

const { values } = parseArgs({
  options: {
    layer: { type: 'string', default: '1000000' },
    patches: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const LAYER = Number(values.layer);
const PATCHES = Number(values.patches);
const CONCURRENCY = Number(values.concurrency);
const COUNTY = '640104';

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 100);
sampler.unref();

/**
 * A farmland layer that tiles a square around the county seat: side² quadrilaterals with shared, jittered
 * corners (as survey parcels meet), covering the 15 km disc the synthetic patches fall in.
 */
export function* farmlandTiles(n: number, centre: [number, number]): Generator<{ type: 'Feature'; geometry: Polygon; properties: Record<string, string> }> {
  const side = Math.ceil(Math.sqrt(n));
  const step = 0.4 / side; // 0.4° square (≈ 44 × 35 km at 38°N)
  const [x0, y0] = [centre[0] - 0.2, centre[1] - 0.2];
  const jitter = (i: number, j: number, k: number) => (((Math.sin(i * 12.9898 + j * 78.233 + k * 37.719) * 43758.5453) % 1) - 0.5) * 0.3 * step;
  const corner = (i: number, j: number) => [
    Math.round((x0 + i * step + jitter(i, j, 1)) * 1e8) / 1e8,
    Math.round((y0 + j * step + jitter(i, j, 2)) * 1e8) / 1e8,
  ];
  for (let k = 0; k < n; k++) {
    const i = k % side;
    const j = Math.floor(k / side);
    const ring = [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1), corner(i, j)];
    yield { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: { DLBM: '0103', DLMC: '旱地' } };
  }
}

async function main() {
  const sys = await startBenchSystem({ worker: false });
  const { database, tmp } = sys;
  try {
    const db = database.db;
    const file = path.join(tmp, 'farmland.geojson');
    await writeGeoJson(file, farmlandTiles(LAYER, COUNTY_SEATS[COUNTY]), { crs: 'urn:ogc:def:crs:EPSG::4490', name: '耕地' });

    // Baseline 1: read and reproject the file, writing nothing.
    let t0 = performance.now();
    const source = await openLayerSource(file);
    let read = 0;
    for await (const chunk of source.chunks(0, 2000)) for (const raw of chunk) if (readGeometry(raw, { crs: source.crs }).geometry) read++;
    const readMs = performance.now() - t0;

    t0 = performance.now();
    const imported = await importLayer(db, file, { regionCode: COUNTY, kind: 'farmland', name: `bench ${LAYER}` });
    const importMs = performance.now() - t0;
    await db.execute(sql`analyze layer_features`);
    const rssAfterImport = peakRss;

    const patches = [...syntheticFeatures({ n: PATCHES, seed: 11, counties: [COUNTY], militaryShare: 0 })].map((f) => ({
      code: String(f.properties.JCBH),
      countyCode: COUNTY,
      geometry: f.geometry as Polygon,
    }));
    // Baseline 2: each patch's own area.
    t0 = performance.now();
    let total = 0;
    for (const p of patches) total += areaMu(p.geometry);
    const areaMs = performance.now() - t0;

    const layers = await currentLayers(db, COUNTY);
    let farmland = 0;
    let candidates = 0;
    t0 = performance.now();
    await pool(patches, CONCURRENCY, async (p) => {
      const m = await saveMeasurement(db, await measureGeometry(db, p, layers));
      farmland += m.farmlandMu;
      candidates++;
    });
    const measureMs = performance.now() - t0;
    sample();

    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`\nbench:overlay — farmland layer of ${imported.featureCount} polygons, ${PATCHES} patches (${COUNTY}), concurrency ${CONCURRENCY}`);
    console.log(`  layer read + reprojected only (baseline): ${s(readMs)} (${read} polygons)`);
    console.log(`  layer import (read, box, write, GiST):   ${s(importMs)} = ${(importMs / readMs).toFixed(2)} × baseline`);
    console.log(`  patch areas only (baseline):              ${(areaMs).toFixed(0)} ms (${total.toFixed(0)} mu)`);
    console.log(
      `  batch measured (index, intersect, write): ${s(measureMs)} = ${(measureMs / Math.max(areaMs, 1)).toFixed(0)} × baseline, ${(PATCHES / (measureMs / 1000)).toFixed(0)} patches/s`,
    );
    console.log(`  farmland found: ${farmland.toFixed(1)} of ${total.toFixed(1)} mu (${candidates} patches measured)`);
    console.log(`  peak RSS: after import ${(rssAfterImport / 1024 / 1024).toFixed(0)} MiB, overall ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    await sys.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
