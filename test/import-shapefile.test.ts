/**
 * Zipped shapefiles with their .prj through the API: CGCS2000 geographic, CGCS2000 Gauss-Krüger
 * projected (reprojected: the areas a GIS computed in the projection plane agree with turf's on the
 * reprojected polygons), and refused coordinate systems. The shapefiles are written by the test's own
 * small writer (shpjs, the reader, is a different implementation).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import proj4 from 'proj4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHUNK_BYTES, openShapefileZip } from '../ingest/shapefile-source';
import { PRJ, shapefileZip, writeShapefileZip, type ShapeFeature } from '../scripts/synthetic/shapefile-writer';
import { provincialFeature, uploadBatch, waitForImport } from './support/imports';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let uploads: string;
beforeAll(async () => {
  uploads = mkdtempSync(path.join(os.tmpdir(), 'wpzf-uploads-'));
  process.env.UPLOADS_DIR = uploads;
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
  rmSync(uploads, { recursive: true, force: true });
});

const asShape = (f: ReturnType<typeof provincialFeature>): ShapeFeature => ({ geometry: f.geometry as ShapeFeature['geometry'], properties: f.properties });
const zipFile = async (features: ShapeFeature[], prj?: string) => ({ bytes: await shapefileZip(features, { prj, name: '卫片图斑' }), name: 'patches.zip' });

/** Shoelace area of a ring in its own plane (what a GIS declares for projected data). */
const planeArea = (ring: number[][]) => Math.abs(ring.slice(1).reduce((s, p, i) => s + ring[i][0] * p[1] - p[0] * ring[i][1], 0)) / 2;

describe('importing a zipped shapefile', () => {
  it('reads CGCS2000 geographic coordinates, the dBase attributes and dates, and rejects the bad polygon', async () => {
    const admin = await sys.login('admin');
    const codes = [sys.unique('S'), sys.unique('S'), sys.unique('S')];
    const withHole = provincialFeature(codes[1], '371502', { TBLX: '其他变化类' }, 40);
    const [outer] = withHole.geometry!.coordinates;
    const [cx, cy] = outer.slice(0, -1).reduce(([x, y], p) => [x + p[0] / (outer.length - 1), y + p[1] / (outer.length - 1)], [0, 0]);
    const d = 0.0003;
    withHole.geometry!.coordinates.push([
      [cx - d, cy - d],
      [cx - d, cy + d],
      [cx + d, cy + d],
      [cx + d, cy - d],
      [cx - d, cy - d],
    ]);
    withHole.properties.JCMJ = ''; // no declared area: the computed one is used, with a warning
    const bowtie = provincialFeature(codes[2], '371502');
    bowtie.geometry!.coordinates = [
      [
        [115.98, 36.45],
        [115.99, 36.46],
        [115.99, 36.45],
        [115.98, 36.46],
        [115.98, 36.45],
      ],
    ];
    const features = [asShape(provincialFeature(codes[0], '371502', { HSX: '2026-02-28' })), asShape(withHole), asShape(bowtie)];
    const res = await uploadBatch(sys, admin, await zipFile(features, PRJ.cgcs2000), {
      batchCode: sys.unique('B'),
      source: 'province',
      kind: 'monthly',
      imagedOn: '2026-03-01',
      issuedOn: '2026-03-05',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ format: 'shapefile', crs: 'CGCS2000 经纬度', total: 3 });
    const { job } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ accepted: 2, started: 2, rejected: 1 });
    expect(job.batch.t10).toMatchObject({ late: false });
    const report = (await sys.http('GET', `/api/imports/${job.id}/report`, { token: admin })).body;
    expect(report.rejectedFeatures).toMatchObject([{ feature: 3, code: codes[2], reasons: [{ rule: 'self_intersection' }] }]);
    expect(report.warnedFeatures).toMatchObject([{ code: codes[1], warnings: [{ rule: 'area_missing' }] }]);
    const rows = await sys.sql`select code, category, imaged_at, area_mu, geometry from patches where code = any(${codes}) order by code`;
    const first = rows.find((r) => r.code === codes[0])!;
    expect(new Date(first.imaged_at).toISOString()).toBe('2026-02-27T16:00:00.000Z'); // the dBase date HSX, a Shanghai day
    const holed = rows.find((r) => r.code === codes[1])!;
    expect(holed.category).toBe('other_change'); // UTF-8 Chinese text from the .dbf
    expect(holed.geometry.type).toBe('Polygon');
    expect(holed.geometry.coordinates).toHaveLength(2); // the hole survived
    expect(holed.area_mu).toBeLessThan(40);
  });

  it('reprojects CGCS2000 Gauss-Krüger coordinates (3° zone 39, false easting with the zone number)', async () => {
    const admin = await sys.login('admin');
    const gk = proj4('WGS84', '+proj=tmerc +lat_0=0 +lon_0=117 +k=1 +x_0=39500000 +y_0=0 +ellps=GRS80 +units=m +no_defs');
    const sources = [sys.unique('G'), sys.unique('G'), sys.unique('G')].map((code, i) =>
      provincialFeature(code, ['371502', '371503', '371524'][i], {}, 5 + 20 * i),
    );
    const projected = sources.map((f) => {
      const ring = f.geometry!.coordinates[0].map((p) => gk.forward([p[0], p[1]]));
      return { geometry: { type: 'Polygon' as const, coordinates: [ring] }, properties: { ...f.properties, JCMJ: Math.round(planeArea(ring) * 100) / 100 } };
    });
    expect(projected[0].geometry.coordinates[0][0][0]).toBeGreaterThan(39_000_000);
    const res = await uploadBatch(sys, admin, await zipFile(projected, PRJ.cgcs2000Gk3(39)), { batchCode: sys.unique('B'), source: 'province' });
    expect(res.status).toBe(202);
    expect(res.body.crs).toBe('CGCS2000 3° 分带高斯-克吕格投影（中央经线 117°E，39 带）');
    const { job } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ accepted: 3, started: 3, rejected: 0, warned: 0 }); // declared plane areas agree within tolerance
    const rows = await sys.sql`select code, geometry from patches where code = any(${sources.map((s) => s.properties.JCBH as string)})`;
    for (const row of rows) {
      const original = sources.find((s) => s.properties.JCBH === row.code)!.geometry!.coordinates[0];
      // The writer may have reversed the ring (clockwise shells): compare vertex sets.
      const imported: number[][] = row.geometry.coordinates[0];
      expect(imported).toHaveLength(original.length);
      for (const p of original) expect(Math.min(...imported.map((q) => Math.hypot(q[0] - p[0], q[1] - p[1])))).toBeLessThan(1e-7);
    }
  });

  it('refuses other coordinate systems and a missing .prj, naming what was found', async () => {
    const admin = await sys.login('admin');
    const features = [asShape(provincialFeature(sys.unique('X'), '371502'))];
    const batchCode = sys.unique('B');
    const xian = await uploadBatch(sys, admin, await zipFile(features, PRJ.xian80Gk3(39)), { batchCode, source: 'province' });
    expect(xian.status).toBe(422);
    expect(xian.body.errors.file).toContain('Xian_1980_3_Degree_GK_Zone_39');
    expect(xian.body.errors.file).toContain('仅接受 CGCS2000 或 WGS84');
    const none = await uploadBatch(sys, admin, await zipFile(features), { batchCode, source: 'province' });
    expect(none.status).toBe(422);
    expect(none.body.errors.file).toContain('缺少 .prj');
    expect((await sys.sql`select count(*)::int as n from batches where code = ${batchCode}`)[0].n).toBe(0);
  });
});

describe('large shapefiles', () => {
  it('imports a layer written as a stream, and reads it chunk by chunk from any feature', async () => {
    const features = Array.from({ length: 300 }, () => asShape(provincialFeature(sys.unique('Z'), '640104')));
    const file = path.join(uploads, 'streamed.zip');
    await writeShapefileZip(file, () => features, { prj: PRJ.cgcs2000, name: '流式图层' });
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'wpzf-scratch-'));
    const source = await openShapefileZip(file, { tmpDir: scratch });
    expect(source.total).toBe(300);
    const chunks = [];
    for await (const chunk of source.chunks(260, 25)) {
      chunks.push(chunk);
      expect(readdirSync(scratch)).toHaveLength(1); // the layer, extracted while it is read
    }
    expect(chunks.map((c) => c.length)).toEqual([25, 15]);
    expect(chunks[0][0]).toMatchObject({ seq: 260, properties: { JCBH: features[260].properties.JCBH, XZQDM: '640104' } });
    expect(chunks[1][14].properties.JCBH).toBe(features[299].properties.JCBH);
    // Stopped early, the extraction is removed too.
    for await (const chunk of source.chunks(0, 10)) if (chunk) break;
    expect(readdirSync(scratch)).toEqual([]);
    rmSync(scratch, { recursive: true, force: true });

    const admin = await sys.login('admin');
    const res = await uploadBatch(
      sys,
      admin,
      { bytes: readFileSync(file), name: 'streamed.zip' },
      { batchCode: sys.unique('B'), source: 'province', imagedOn: '2026-03-01', issuedOn: '2026-03-05' },
    );
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ total: 300, accepted: 300, started: 300, rejected: 0 });
  });

  it('reads large polygons in smaller chunks: a chunk never holds more than MAX_CHUNK_BYTES of .shp', async () => {
    const V = 9_000; // under the vertex limit: every record is read
    function* features(): Generator<ShapeFeature> {
      for (let i = 0; i < 100; i++) {
        const ring = Array.from({ length: V }, (_, k) => [
          106 + 0.01 * i + 0.003 * Math.cos((2 * Math.PI * k) / V),
          38 + 0.003 * Math.sin((2 * Math.PI * k) / V),
        ]);
        ring.push(ring[0]);
        yield {
          geometry: { type: 'Polygon', coordinates: [ring] },
          properties: { JCBH: `C${String(i).padStart(5, '0')}`, XZQDM: '640104', TBLX: '新增非农建设类' },
        };
      }
    }
    const file = path.join(uploads, 'large-polygons.zip');
    await writeShapefileZip(file, features, { prj: PRJ.cgcs2000, name: 'large-polygons' });
    const source = await openShapefileZip(file);
    const sizes: number[] = [];
    let seq = 0;
    for await (const chunk of source.chunks(0, 250)) {
      sizes.push(chunk.length);
      for (const f of chunk) expect(f.seq).toBe(seq++);
      expect(chunk.length * (16 * (V + 1) + 56)).toBeLessThanOrEqual(MAX_CHUNK_BYTES);
    }
    expect(seq).toBe(100);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('reads a large layer in bounded memory: the peak does not grow with the file', async () => {
    // 20,000 polygons of 200 vertices: a 65 MB .shp, deflated into a zip of about 30 MB.
    const N = 20_000;
    const V = 200;
    function* features(): Generator<ShapeFeature> {
      for (let i = 0; i < N; i++) {
        const cx = 106 + (i % 100) * 0.01;
        const cy = 38 + Math.floor(i / 100) * 0.001;
        const ring = Array.from({ length: V }, (_, k) => [
          cx + 0.001 * Math.cos((2 * Math.PI * k) / V) * (1 + 0.1 * Math.sin(i + k)),
          cy + 0.001 * Math.sin((2 * Math.PI * k) / V),
        ]);
        ring.push(ring[0]);
        yield {
          geometry: { type: 'Polygon', coordinates: [ring] },
          properties: { JCBH: `L${String(i).padStart(7, '0')}`, XZQDM: '640104', TBLX: '新增非农建设类', JCMJ: 1234.5 },
        };
      }
    }
    const file = path.join(uploads, 'large.zip');
    await writeShapefileZip(file, features, { prj: PRJ.cgcs2000, name: 'large' });
    const shpBytes = 100 + N * (8 + 44 + 4 + 16 * (V + 1));
    expect(statSync(file).size).toBeGreaterThan(20e6);
    // In a process of its own, with a small heap: what the source holds at once is what it costs.
    const out = execFileSync(
      process.execPath,
      ['--max-old-space-size=48', '--max-semi-space-size=2', '--import', 'tsx', path.join(import.meta.dirname, 'support', 'read-shapefile.ts'), file],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result).toMatchObject({ total: N, read: N, sample: { JCBH: 'L0010000', TBLX: '新增非农建设类' } });
    const growthMb = (result.afterKb - result.beforeKb) / 1024;
    // The whole layer would be 65 MB of .shp plus the zip (the former reader grew by about 185 MB here); this one about 30.
    expect(growthMb).toBeLessThan(64);
    expect(growthMb).toBeLessThan(shpBytes / 1e6);
  });
});
