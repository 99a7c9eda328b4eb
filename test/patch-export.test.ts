/**
 * The export for upload (成果上报), over HTTP: GeoPackage and zipped shapefile (.prj CGCS2000, .cpg) in the
 * provincial attribute schema with the result fields; read back by the importer's own reader and
 * validation (the round trip: codes, geometries, areas); military patches only for a holder of the
 * classified-handling permission (000 二(二); 002 三(三); 004 三(二)); and a region of 10,000 patches
 * exported with bounded memory (the rows are read page by page and written to disk).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCIAL_PRESET } from '../domain/attribute-mapping';
import { EXPORT_FIELDS } from '../domain/export-schema';
import { SYSTEM_ACTOR } from '../domain/types';
import { openSource } from '../ingest/source';
import { validateFeature } from '../ingest/validate';
import { geometryOfGpkg } from '../infra/geopackage-writer';
import { completeAs, determination, issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let sys: TestSystem;
let dir: string;
const codes: string[] = [];
let militaryCode: string;

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d * 0.8],
      [x + d * 0.4, y + d * 1.1],
      [x, y + d],
      [x, y],
    ],
  ],
});

beforeAll(async () => {
  sys = await startTestSystem();
  dir = await mkdtemp(path.join(os.tmpdir(), 'wpzf-export-test-'));
  // Three patches of 兴庆区 issued in June 2026, one determined legal with its approval; one military.
  for (const [i, areaMu] of [7.25, 3.5, 12].entries()) {
    const { code, task } = await issueAndWaitForTask(sys, {
      areaMu,
      issuedAt: '2026-06-10T02:00:00Z',
      geometry: square(106.28 + i * 0.01, 38.47, 0.0012 + i * 0.0003),
    });
    codes.push(code);
    if (i === 0) await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 7.25, farmlandMu: 1.5 }));
  }
  await eventually(async () => (await sys.sql`select legality from patches where code = ${codes[0]}`)[0]?.legality === 'legal');
  militaryCode = (await issueAndWaitForTask(sys, { military: true, issuedAt: '2026-06-11T02:00:00Z' }, { asUser: 'xq.secret' })).code;
});

afterAll(async () => {
  await sys?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const JUNE = 'regionCode=640104&from=2026-06-01&to=2026-07-01';

async function download(user: string, query: string): Promise<{ res: Response; bytes: Buffer }> {
  const res = await fetch(`${sys.baseUrl}/api/exports/patches?${query}`, { headers: { authorization: `Bearer ${await sys.login(user)}` } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function saved(user: string, query: string, name: string): Promise<string> {
  const { res, bytes } = await download(user, query);
  expect(res.status, bytes.toString().slice(0, 300)).toBe(200);
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

/** Reads a file as the importer does (its reader and the provincial mapping) and answers its features' drafts. */
async function imported(file: string) {
  const source = await openSource(file);
  const regions = new Map([['640104', { code: '640104', level: 'county' }]]);
  const drafts = [];
  for await (const chunk of source.chunks(0, 250))
    for (const raw of chunk) drafts.push(validateFeature(raw, { mapping: PROVINCIAL_PRESET.mapping, crs: source.crs, regions, actor: SYSTEM_ACTOR }));
  return { source, drafts };
}

describe('the export for upload', () => {
  it('writes a zipped shapefile with .prj and .cpg that the importer reads back to the same codes, geometries and areas', async () => {
    const file = await saved('xq.officer', `format=shp&${JUNE}`, 'june.zip');
    const zip = await JSZip.loadAsync(await readFile(file));
    expect(Object.keys(zip.files).sort()).toEqual(['wptb.cpg', 'wptb.dbf', 'wptb.prj', 'wptb.shp', 'wptb.shx']);
    expect(await zip.file('wptb.cpg')!.async('string')).toBe('UTF-8');
    expect(await zip.file('wptb.prj')!.async('string')).toContain('China_Geodetic_Coordinate_System_2000');

    const { source, drafts } = await imported(file);
    expect(source.crs).toMatchObject({ nameEn: 'CGCS2000 geographic' });
    expect(drafts.map((d) => d.code).sort()).toEqual([...codes].sort());
    for (const d of drafts) {
      expect(d.reasons).toEqual([]);
      const [row] = await sys.sql`select area_mu, geometry from patches where code = ${d.code!}`;
      expect(d.patch!.areaMu).toBeCloseTo(row.area_mu, 2);
      const ring = (g: { type: string; coordinates: number[][][] | number[][][][] }) =>
        (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]) as number[][];
      const written = ring(d.patch!.geometry as never);
      const stored = ring(row.geometry);
      expect(written).toHaveLength(stored.length);
      // The shapefile wants outer rings clockwise: the same vertices, possibly in the other direction.
      const key = (ps: number[][]) => ps.map((p) => p.map((v) => v.toFixed(9)).join(',')).sort();
      expect(key(written)).toEqual(key(stored));
    }
  });

  it('writes a GeoPackage in the provincial schema with the results, on CGCS2000', async () => {
    const file = await saved('xq.officer', `format=gpkg&${JUNE}`, 'june.gpkg');
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
      expect(db.prepare('select table_name, data_type, srs_id from gpkg_contents').all()).toEqual([
        { table_name: 'wptb', data_type: 'features', srs_id: 4490 },
      ]);
      expect(db.prepare('select geometry_type_name, srs_id from gpkg_geometry_columns').get()).toEqual({ geometry_type_name: 'MULTIPOLYGON', srs_id: 4490 });
      const columns = (db.prepare('pragma table_info(wptb)').all() as Array<{ name: string }>).map((c) => c.name);
      expect(columns).toEqual(['fid', 'geom', ...EXPORT_FIELDS.map((f) => f.name)]);
      const rows = db.prepare('select * from wptb order by JCBH').all() as Array<Record<string, unknown>>;
      expect(rows.map((r) => r.JCBH)).toEqual([...codes].sort());
      const legal = rows.find((r) => r.JCBH === codes[0])!;
      expect(legal).toMatchObject({
        XZQDM: '640104',
        TBLX: '其他新增建设类',
        PDJG: '合法',
        PDZL: '依法批准建设用地',
        SFJY: '0',
        TBLY: '部卫片',
        XFRQ: '2026-06-10',
      });
      expect(legal.JCMJ).toBeCloseTo(7.25 * (10000 / 15), 2);
      expect(legal.PDGDMJ).toBeCloseTo(1.5 * (10000 / 15), 2);
      expect(legal.PZWH).toBe('批〔2026〕1号（2026-01-10）');
      const [row] = await sys.sql`select geometry from patches where code = ${codes[0]}`;
      expect(geometryOfGpkg(legal.geom as Buffer)).toEqual({ type: 'MultiPolygon', coordinates: [row.geometry.coordinates] });
    } finally {
      db.close();
    }
  });

  it('never has a military patch, even for a holder of the classified permission, who is told how many were left out', async () => {
    // Military land is reported through a classified channel, never over the network (000 二(二); 004 三(二)).
    for (const format of ['shp', 'gpkg']) {
      const plain = await saved('xq.officer', `format=${format}&${JUNE}`, `plain.${format}`);
      const secret = await saved('xq.secret', `format=${format}&${JUNE}`, `secret.${format}`);
      const codesOf = async (file: string) =>
        format === 'shp'
          ? (await imported(file)).drafts.map((d) => d.code)
          : (() => {
              const db = new Database(file, { readonly: true });
              try {
                return (db.prepare('select JCBH from wptb').all() as Array<{ JCBH: string }>).map((r) => r.JCBH);
              } finally {
                db.close();
              }
            })();
      expect(await codesOf(plain)).not.toContain(militaryCode);
      expect(await codesOf(secret)).not.toContain(militaryCode);
      expect((await codesOf(secret)).sort()).toEqual((await codesOf(plain)).sort());
    }
    const { res } = await download('xq.officer', `format=gpkg&${JUNE}`);
    expect(res.headers.get('x-patch-count')).toBe('3');
    // Only the permission holder learns that a military patch was left out.
    expect(res.headers.get('x-military-withheld')).toBeNull();
    const secret = await download('xq.secret', `format=gpkg&${JUNE}`);
    expect(secret.res.headers.get('x-patch-count')).toBe('3');
    expect(secret.res.headers.get('x-military-withheld')).toBe('1');
  });

  it('refuses another region and an unknown batch', async () => {
    expect((await download('xq.officer', 'format=shp&regionCode=371500')).res.status).toBe(403);
    expect((await download('xq.officer', 'format=shp&batchCode=NO-SUCH-BATCH')).res.status).toBe(404);
    expect((await download('xq.officer', 'format=kml')).res.status).toBe(422);
  });

  it('exports a region of 10,000 patches with bounded memory', async () => {
    // 10,000 patches of 2019 with 120-vertex polygons (~6 KB of GeoJSON each: ~60 MB as text, a few times that as objects).
    await sys.sql`
      insert into patches (code, county_code, city_code, province_code, category, source, batch_kind, area_mu, geometry, centroid, issued_at)
      select 'BIG' || lpad(i::text, 6, '0'), '640104', '640100', '640000', 'other_change', 'ministry', 'monthly', 4.5,
        jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(
          (select jsonb_agg(jsonb_build_array(106.2 + (i % 100) * 0.001 + 0.0004 * cos(2 * pi() * (k % 120) / 120), 38.4 + (i / 100) * 0.001 + 0.0004 * sin(2 * pi() * (k % 120) / 120)) order by k)
           from generate_series(0, 120) k))),
        jsonb_build_array(106.2, 38.4), '2019-05-01T00:00:00Z'
      from generate_series(1, 10000) i`;
    for (const format of ['shp', 'gpkg']) {
      // Live memory (after a full collection), sampled while the export runs: the API runs in this process.
      const live = () => {
        gc();
        const m = process.memoryUsage();
        return m.heapUsed + m.external;
      };
      const before = live();
      let peak = before;
      const timer = setInterval(() => {
        peak = Math.max(peak, live());
      }, 1000);
      const started = Date.now();
      // Streamed to disk, so that the test holds nothing of the file itself.
      const res = await fetch(`${sys.baseUrl}/api/exports/patches?format=${format}&regionCode=640104&from=2019-01-01&to=2020-01-01`, {
        headers: { authorization: `Bearer ${await sys.login('xq.officer')}` },
      });
      expect(res.status).toBe(200);
      const file = path.join(dir, `big.${format}`);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
      clearInterval(timer);
      const size = (await stat(file)).size;
      expect(res.headers.get('x-patch-count')).toBe('10000');
      const growthMb = (peak - before) / 2 ** 20;
      console.log(
        `export ${format}: 10000 patches, ${(size / 2 ** 20).toFixed(1)} MiB file in ${((Date.now() - started) / 1000).toFixed(1)} s; live heap ${(before / 2 ** 20).toFixed(0)} → peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${growthMb.toFixed(0)} MiB)`,
      );
      // Held whole, the rows alone would take several hundred MiB; read page by page, the export stays far below.
      expect(growthMb).toBeLessThan(60);
    }
  }, 600_000);
});
