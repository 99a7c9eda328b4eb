/**
 * Reference layers (docs/domain.md §13): GeoJSON, zipped Shapefile and GeoPackage uploads, versioned;
 * a patch measured against them with hand-computed overlaps (ellipsoidal, CGCS2000), the approvals with their
 * share, the versions used named, and the measurement written once.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLayers, measureGeometry, saveMeasurement } from '../activities/measurement';
import type { Database } from '../db/client';
import { areaMu } from '../domain/area';
import { suggestedAreas, suggestedLegality } from '../domain/layers';
import { importLayer } from '../ingest/layers';
import { SourceError } from '../ingest/source-types';
import { PRJ, shapefileZip } from '../scripts/synthetic/shapefile-writer';
import { geoPackage } from './support/geopackage';
import { cell, handMu } from './support/shapes';
import { freshDatabase } from './support/system';

let database: Database;
let dir: string;
beforeAll(async () => {
  database = await freshDatabase();
  dir = await mkdtemp(join(tmpdir(), 'layers-'));
});
afterAll(async () => {
  await database?.close();
});

const file = async (name: string, bytes: string | Buffer) => {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
};
const geojson = (features: { geometry: object; properties?: object }[]) =>
  JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', properties: {}, ...f })) });

// 兴庆区 (640104). The patch: a 0.002° cell. Farmland: the cell's west half and beyond; basic farmland: its
// south-west quarter; red line (a shapefile): a strip to the east that misses it; an approval (a GeoPackage)
// covering all but a 0.00004° strip on its north side (98%).
const LNG = 106.3;
const LAT = 38.4;
const patch = cell(LNG, LAT, 0.002, 0.002);

describe('layers imported and a patch measured against them', () => {
  it('reads the three formats and measures the overlaps computed by hand', async () => {
    const farmland = await importLayer(
      database.db,
      await file('farmland.geojson', geojson([{ geometry: cell(LNG - 0.001, LAT, 0.002, 0.002) }, { geometry: cell(LNG + 0.01, LAT, 0.001, 0.001) }])),
      { regionCode: '640104', kind: 'farmland', name: '2025年度变更调查耕地' },
    );
    expect(farmland).toMatchObject({ format: 'geojson', version: 1, featureCount: 2, rejected: 0 });
    await importLayer(database.db, await file('basic.geojson', geojson([{ geometry: cell(LNG, LAT, 0.001, 0.001) }])), {
      regionCode: '640100',
      kind: 'basic_farmland',
      name: '永久基本农田',
    });
    const redLine = await importLayer(
      database.db,
      await file('redline.zip', await shapefileZip([{ geometry: cell(LNG + 0.0025, LAT, 0.001, 0.002), properties: { MC: '红线' } }], { prj: PRJ.cgcs2000 })),
      { regionCode: '640000', kind: 'red_line', name: '生态保护红线' },
    );
    expect(redLine).toMatchObject({ format: 'shapefile', featureCount: 1 });
    const approval = await importLayer(
      database.db,
      await file(
        'approvals.gpkg',
        await geoPackage([
          {
            geometry: { type: 'MultiPolygon', coordinates: [cell(LNG, LAT, 0.002, 0.00196).coordinates] },
            properties: { PZWH: '宁政土批〔2025〕12号', PZRQ: '2025-06-30' },
          },
          { geometry: cell(LNG + 0.05, LAT, 0.001, 0.001), properties: { PZWH: '远处批复', PZRQ: '2025-01-01' } },
        ]),
      ),
      { regionCode: '640104', kind: 'approval', name: '用地审批' },
    );
    expect(approval).toMatchObject({ format: 'geopackage', featureCount: 2 });

    const m = await measureGeometry(database.db, { code: 'P1', countyCode: '640104', geometry: patch });
    const close = (v: number, hand: number) => expect(Math.abs(v - hand) / hand).toBeLessThan(1e-5);
    close(m.totalMu, handMu(LAT, 0.002, 0.002));
    close(m.farmlandMu, handMu(LAT, 0.001, 0.002));
    close(m.basicFarmlandMu, handMu(LAT, 0.001, 0.001));
    expect(m.redLineMu).toBe(0);
    expect(m.approvals).toHaveLength(1);
    expect(m.approvals[0]).toMatchObject({ kind: 'approval', documentNumber: '宁政土批〔2025〕12号', date: '2025-06-30' });
    close(m.approvals[0].overlapMu, handMu(LAT, 0.002, 0.00196));
    expect(m.approvals[0].share).toBeCloseTo(0.98, 4);
    expect(m.layers.map((l) => `${l.regionCode}:${l.kind}:v${l.version}`).sort()).toEqual([
      '640000:red_line:v1',
      '640100:basic_farmland:v1',
      '640104:approval:v1',
      '640104:farmland:v1',
    ]);
    expect(suggestedLegality(m)).toMatchObject({ legality: 'legal', approval: { documentNumber: '宁政土批〔2025〕12号' } });
    expect(suggestedAreas(m)).toEqual({
      totalMu: Math.round(m.totalMu * 100) / 100,
      farmlandMu: Math.round(m.farmlandMu * 100) / 100,
      basicFarmlandMu: Math.round(m.basicFarmlandMu * 100) / 100,
      redLineMu: 0,
    });
    expect(m.totalMu).toBe(areaMu(patch));
  });

  it('uses the latest version of a layer, and the most specific region of an area layer', async () => {
    // A new farmland version: the whole patch. A city-level farmland layer is ignored where the county has one.
    await importLayer(database.db, await file('farmland2.geojson', geojson([{ geometry: cell(LNG - 0.001, LAT - 0.001, 0.004, 0.004) }])), {
      regionCode: '640104',
      kind: 'farmland',
      name: '2026年度变更调查耕地',
    });
    await importLayer(database.db, await file('cityfarm.geojson', geojson([{ geometry: cell(LNG + 0.001, LAT, 0.001, 0.001) }])), {
      regionCode: '640100',
      kind: 'farmland',
      name: '市级耕地',
    });
    const layers = await currentLayers(database.db, '640104');
    expect(layers.filter((l) => l.kind === 'farmland')).toEqual([expect.objectContaining({ regionCode: '640104', version: 2, name: '2026年度变更调查耕地' })]);
    const m = await measureGeometry(database.db, { code: 'P2', countyCode: '640104', geometry: patch });
    expect(Math.abs(m.farmlandMu - handMu(LAT, 0.002, 0.002)) / m.farmlandMu).toBeLessThan(1e-5);
    // Another county of another province sees none of them.
    expect(await currentLayers(database.db, '350583')).toEqual([]);
  });

  it('writes a measurement once: a second one for the same patch answers the first', async () => {
    const first = await saveMeasurement(database.db, await measureGeometry(database.db, { code: 'P3', countyCode: '640104', geometry: patch }));
    const again = await saveMeasurement(database.db, { ...first, farmlandMu: 0, measuredAt: new Date().toISOString() });
    expect(again).toEqual(first);
  });

  it('refuses a file that is no layer, and rejects unreadable polygons one by one', async () => {
    await expect(
      importLayer(database.db, await file('junk.gpkg', 'SQLite format 3\0garbage'), { regionCode: '640104', kind: 'farmland', name: 'x' }),
    ).rejects.toBeInstanceOf(SourceError);
    const partly = await importLayer(
      database.db,
      await file('partly.geojson', geojson([{ geometry: cell(LNG, LAT, 0.001, 0.001) }, { geometry: { type: 'Polygon', coordinates: [[[1, 2]]] } }])),
      { regionCode: '640104', kind: 'urban_boundary', name: '城镇开发边界' },
    );
    expect(partly).toMatchObject({ featureCount: 1, rejected: 1 });
    expect(partly.rejections[0].seq).toBe(1);
  });
});
