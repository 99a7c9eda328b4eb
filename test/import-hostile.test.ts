/**
 * Hostile and poisoned batch files against the real API over HTTP (issue 11, points 8 and 9): a zip bomb
 * and a file of millions of tiny records are refused with a 4xx before they cost anything, and the API
 * keeps answering; a 200k-vertex polygon and a polygon whose check takes longer than the time limit are
 * rejected with their reasons while /api/health answers within a second; features that PostgreSQL cannot
 * store are rejected alone and the import goes on. The hostile files are built here, small.
 */
import { Readable } from 'node:stream';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PRJ, shapefileParts, shapefileZip } from '../scripts/synthetic/shapefile-writer';
import { COUNTY_SEATS } from '../scripts/synthetic/county-seats';
import { featureCollection, provincialFeature, uploadBatch, waitForImport, type TestFeature } from './support/imports';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
let uploads: string;
const savedEnv = { ...process.env };
beforeAll(async () => {
  uploads = mkdtempSync(path.join(os.tmpdir(), 'wpzf-uploads-'));
  process.env.UPLOADS_DIR = uploads;
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
  rmSync(uploads, { recursive: true, force: true });
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('IMPORT_') && !(key in savedEnv)) delete process.env[key];
});

/** A zip of the given members, deflated by yazl (a member may be a stream, so a large one is never held). */
function zipOf(members: Array<{ name: string; data: Buffer | (() => Readable) }>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const m of members) {
    if (Buffer.isBuffer(m.data)) zip.addBuffer(m.data, m.name);
    else zip.addReadStream(m.data(), m.name);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => parts.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    zip.outputStream.on('error', reject);
  });
}

/** `bytes` zero bytes, streamed in 1 MiB pieces. */
function zeros(bytes: number): () => Readable {
  return () => {
    const piece = Buffer.alloc(1 << 20);
    let left = bytes;
    return new Readable({
      read() {
        if (left <= 0) return void this.push(null);
        const n = Math.min(left, piece.length);
        left -= n;
        this.push(n === piece.length ? piece : piece.subarray(0, n));
      },
    });
  };
}

/** A closed ring of `n` vertices around the county seat (a circle: valid, and costly to check when long). */
function circle(n: number, county = '640104', radius = 0.004): number[][] {
  const [lng, lat] = COUNTY_SEATS[county];
  const ring = Array.from({ length: n }, (_, k) => [
    Number((lng + radius * Math.cos((2 * Math.PI * k) / n)).toFixed(7)),
    Number((lat + radius * Math.sin((2 * Math.PI * k) / n)).toFixed(7)),
  ]);
  ring.push(ring[0]);
  return ring;
}

const withRing = (code: string, ring: number[][]): TestFeature => {
  const f = provincialFeature(code, '640104');
  f.geometry = { type: 'Polygon', coordinates: [ring] };
  f.properties.JCMJ = ''; // the computed area is used
  return f;
};

/** Polls GET /api/health until `stop` resolves, timing every answer. */
async function pollHealth<T>(stop: Promise<T>): Promise<{ result: T; times: number[]; statuses: number[] }> {
  let done = false;
  const times: number[] = [];
  const statuses: number[] = [];
  const loop = (async () => {
    while (!done) {
      const t = performance.now();
      const res = await fetch(`${sys.baseUrl}/api/health`, { signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
      times.push(performance.now() - t);
      statuses.push(res?.status ?? 0);
      await res?.arrayBuffer().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    return { result: await stop, times, statuses };
  } finally {
    done = true;
    await loop;
  }
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
const healthy = async () => (await sys.http('GET', '/api/health')).status;

describe('hostile shapefiles are refused before they cost anything', () => {
  it('a zip bomb (512 MiB .shp of zeros behind a one-record .dbf and .shx) answers 422 and the API keeps answering', async () => {
    const admin = await sys.login('admin');
    const one = shapefileParts([
      { geometry: { type: 'Polygon', coordinates: [circle(8)] }, properties: { JCBH: sys.unique('Z'), XZQDM: '640104', TBLX: '新增非农建设类' } },
    ]);
    const shp = one.shp.subarray(0, 100);
    const bomb = await zipOf([
      // The header of a polygon layer, then 512 MiB of zeros: to a naive reader, 67 million empty records.
      {
        name: 'bomb.shp',
        data: () =>
          Readable.from(
            (async function* () {
              yield shp;
              yield* zeros(512 * 1024 * 1024)();
            })(),
          ),
      },
      { name: 'bomb.shx', data: one.shx },
      { name: 'bomb.dbf', data: one.dbf },
      { name: 'bomb.prj', data: Buffer.from(PRJ.cgcs2000) },
    ]);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const before = rssMb();
    const t = performance.now();
    const res = await uploadBatch(sys, admin, { bytes: bomb, name: 'bomb.zip' }, { batchCode: sys.unique('B'), source: 'province' }, 'en');
    const ms = performance.now() - t;
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toContain('more records than the 1');
    expect(ms).toBeLessThan(5_000); // refused at the second record, not after inflating 512 MiB
    expect(rssMb() - before).toBeLessThan(100);
    expect(await healthy()).toBe(200);
    console.log(`[zip bomb] ${(bomb.length / 1024).toFixed(0)} KB zip refused in ${ms.toFixed(0)} ms; RSS ${before.toFixed(0)} → ${rssMb().toFixed(0)} MB`);
  });

  it('a layer unpacking beyond the limit is refused by its declared sizes, before anything is inflated', async () => {
    process.env.IMPORT_MAX_UNPACKED_BYTES = String(64 * 1024 * 1024);
    const admin = await sys.login('admin');
    const one = shapefileParts([
      { geometry: { type: 'Polygon', coordinates: [circle(8)] }, properties: { JCBH: sys.unique('Z'), XZQDM: '640104', TBLX: '新增非农建设类' } },
    ]);
    const big = await zipOf([
      {
        name: 'big.shp',
        data: () =>
          Readable.from(
            (async function* () {
              yield one.shp;
              yield* zeros(80 * 1024 * 1024)();
            })(),
          ),
      },
      { name: 'big.shx', data: one.shx },
      { name: 'big.dbf', data: one.dbf },
      { name: 'big.prj', data: Buffer.from(PRJ.cgcs2000) },
    ]);
    const res = await uploadBatch(sys, admin, { bytes: big, name: 'big.zip' }, { batchCode: sys.unique('B'), source: 'province' }, 'en');
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toMatch(/unpacks to 80(\.\d)? MiB, more than the limit of 64 MiB/);
  });

  it('a small zip of two million tiny records is refused by its record count, and the memory stays bounded', async () => {
    const admin = await sys.login('admin');
    const N = 2_000_000;
    // Null shapes (12 bytes each), an index of 8 bytes each, a .dbf of one 1-byte field: all agree.
    const shp = Buffer.alloc(100 + 12 * N);
    shp.writeInt32BE(9994, 0);
    shp.writeInt32BE(shp.length / 2, 24);
    shp.writeInt32LE(1000, 28);
    shp.writeInt32LE(5, 32);
    const shx = Buffer.alloc(100 + 8 * N);
    shp.copy(shx, 0, 0, 100);
    shx.writeInt32BE(shx.length / 2, 24);
    for (let i = 0; i < N; i++) {
      shp.writeInt32BE(i + 1, 100 + 12 * i);
      shp.writeInt32BE(2, 104 + 12 * i);
      shx.writeInt32BE((100 + 12 * i) / 2, 100 + 8 * i);
      shx.writeInt32BE(2, 104 + 8 * i);
    }
    const dbf = Buffer.alloc(32 + 32 + 1 + 2 * N + 1, 0x20);
    dbf.writeUInt8(3, 0);
    dbf.writeUInt32LE(N, 4);
    dbf.writeUInt16LE(65, 8);
    dbf.writeUInt16LE(2, 10);
    dbf.fill(0, 12, 64);
    dbf.write('JCBH', 32, 'ascii');
    dbf.write('C', 43, 'ascii');
    dbf.writeUInt8(1, 48);
    dbf.writeUInt8(0x0d, 64);
    dbf.writeUInt8(0x1a, dbf.length - 1);
    const zip = await zipOf([
      { name: 'tiny.shp', data: shp },
      { name: 'tiny.shx', data: shx },
      { name: 'tiny.dbf', data: dbf },
      { name: 'tiny.prj', data: Buffer.from(PRJ.cgcs2000) },
    ]);
    expect(zip.length).toBeLessThan(12 * 1024 * 1024);
    const before = rssMb();
    const batchCode = sys.unique('B');
    const res = await uploadBatch(sys, admin, { bytes: zip, name: 'tiny.zip' }, { batchCode, source: 'province' }, 'en');
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toContain('2000000 records, more than the limit of 200000');
    const grown = rssMb() - before;
    expect(grown).toBeLessThan(100);
    expect((await sys.sql`select count(*)::int as n from batches where code = ${batchCode}`)[0].n).toBe(0);
    expect(await healthy()).toBe(200);
    console.log(`[tiny records] ${(zip.length / 1024).toFixed(0)} KB zip refused; RSS grew by ${grown.toFixed(0)} MB`);
  });
});

describe('the upload itself', () => {
  it('a batch file over the upload limit: 413 naming the file, nothing kept', async () => {
    process.env.IMPORT_MAX_UPLOAD_BYTES = String(1024 * 1024);
    const admin = await sys.login('admin');
    const batchCode = sys.unique('B');
    const features = Array.from({ length: 3000 }, () => provincialFeature(sys.unique('U'), '640104'));
    const bytes = featureCollection(features);
    expect(bytes.length).toBeGreaterThan(1024 * 1024);
    const res = await uploadBatch(sys, admin, { bytes, name: 'big.geojson' }, { batchCode, source: 'province' }, 'en');
    expect(res.status).toBe(413);
    expect(res.body.errors.file).toContain('may not exceed 1 MiB');
    expect(readdirSync(path.join(uploads, 'imports')).filter((f) => f.startsWith('.upload-'))).toEqual([]);
    expect((await sys.sql`select count(*)::int as n from imports where batch_code = ${batchCode}`)[0].n).toBe(0);
  });
});

describe('costly geometries are rejected off the event loop', () => {
  it('rejects a 200k-vertex polygon with its reason while /api/health answers every time within a second', async () => {
    const admin = await sys.login('admin');
    const [huge, small] = [sys.unique('V'), sys.unique('V')];
    const features = [withRing(huge, circle(200_000, '640104', 0.01)), provincialFeature(small, '640104')];
    const batchCode = sys.unique('B');
    const { result, times, statuses } = await pollHealth(
      (async () => {
        const res = await uploadBatch(sys, admin, { bytes: featureCollection(features), name: 'huge.geojson' }, { batchCode, source: 'province' }, 'en');
        expect(res.status).toBe(202);
        return (await waitForImport(sys, admin, res.body.id)).job;
      })(),
    );
    expect(result).toMatchObject({ total: 2, accepted: 1, rejected: 1 });
    const report = (await sys.http('GET', `/api/imports/${result.id}/report`, { token: admin, headers: { 'accept-language': 'en' } })).body;
    expect(report.rejectedFeatures).toMatchObject([{ code: huge, reasons: [{ rule: 'too_many_vertices', params: { vertices: 200_001, max: 10_000 } }] }]);
    expect(report.rejectedFeatures[0].reasons[0].message).toContain('200001 vertices, more than the limit of 10000');
    expect(times.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(Math.max(...times)).toBeLessThan(1000);
    console.log(`[200k vertices] ${times.length} health answers, slowest ${Math.max(...times).toFixed(0)} ms`);

    // The same polygon in a shapefile: its record is not even read.
    const zip = await shapefileZip(
      [
        {
          geometry: { type: 'Polygon', coordinates: [circle(200_000, '640104', 0.01)] },
          properties: { JCBH: sys.unique('V'), XZQDM: '640104', TBLX: '新增非农建设类' },
        },
        { geometry: features[1].geometry, properties: { ...features[1].properties, JCBH: sys.unique('V') } },
      ],
      { prj: PRJ.cgcs2000, name: 'huge' },
    );
    const res = await uploadBatch(sys, admin, { bytes: zip, name: 'huge.zip' }, { batchCode: sys.unique('B'), source: 'province' }, 'en');
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ accepted: 1, rejected: 1 });
    const shpReport = (await sys.http('GET', `/api/imports/${job.id}/report`, { token: admin })).body;
    expect(shpReport.rejectedFeatures).toMatchObject([{ feature: 1, reasons: [{ rule: 'too_many_vertices', params: { vertices: 200_001 } }] }]);
  });

  it('rejects a polygon whose check runs slightly over the time limit, and imports the rest', async () => {
    process.env.IMPORT_VALIDATION_TIMEOUT_MS = '150';
    const admin = await sys.login('admin');
    const [slow, quick] = [sys.unique('T'), sys.unique('T')];
    // A 5,000-vertex ring takes about half a second to check on an idle machine: over 150 ms.
    const features = [withRing(slow, circle(5_000)), provincialFeature(quick, '640104')];
    const { result, times } = await pollHealth(
      (async () => {
        const res = await uploadBatch(
          sys,
          admin,
          { bytes: featureCollection(features), name: 'slow.geojson' },
          { batchCode: sys.unique('B'), source: 'province' },
          'en',
        );
        expect(res.status).toBe(202);
        return (await waitForImport(sys, admin, res.body.id, 30_000)).job;
      })(),
    );
    expect(result).toMatchObject({ status: 'completed', accepted: 1, rejected: 1 });
    const report = (await sys.http('GET', `/api/imports/${result.id}/report`, { token: admin, headers: { 'accept-language': 'en' } })).body;
    expect(report.rejectedFeatures).toMatchObject([{ code: slow, reasons: [{ rule: 'validation_timeout', params: { ms: 150 } }] }]);
    expect(report.rejectedFeatures[0].reasons[0].message).toContain('longer than 150 ms');
    expect(Math.max(...times)).toBeLessThan(1000);
    // The thread that was stopped is replaced: the next import checks geometries again.
    delete process.env.IMPORT_VALIDATION_TIMEOUT_MS;
    const bowtie = provincialFeature(sys.unique('T'), '640104');
    bowtie.geometry!.coordinates = [
      [
        [106.28, 38.47],
        [106.29, 38.48],
        [106.29, 38.47],
        [106.28, 38.48],
        [106.28, 38.47],
      ],
    ];
    const again = await uploadBatch(
      sys,
      admin,
      { bytes: featureCollection([bowtie, withRing(slow, circle(5_000))]), name: 'again.geojson' },
      { batchCode: sys.unique('B'), source: 'province' },
    );
    const { job } = await waitForImport(sys, admin, again.body.id);
    expect(job).toMatchObject({ accepted: 1, rejected: 1 });
  });
});

describe('poison features', () => {
  it('rejects a feature with a NUL in its code or its category, or a value the database refuses, and imports the rest', async () => {
    const admin = await sys.login('admin');
    const good = sys.unique('P');
    const nulCode = `${sys.unique('P')}\u0000X`;
    const features = [
      provincialFeature(nulCode, '640104'),
      provincialFeature(sys.unique('P'), '640104', { TBLX: '新增\u0000建设类' }),
      provincialFeature(good, '640104'),
      provincialFeature(sys.unique('P'), '640104', { HSX: '0000-01-01' }), // a date PostgreSQL has no year for
    ];
    const res = await uploadBatch(
      sys,
      admin,
      { bytes: featureCollection(features), name: 'poison.geojson' },
      { batchCode: sys.unique('B'), source: 'province' },
      'en',
    );
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, admin, res.body.id, 30_000);
    expect(job).toMatchObject({ status: 'completed', total: 4, accepted: 1, rejected: 3 });
    const report = (await sys.http('GET', `/api/imports/${job.id}/report`, { token: admin, headers: { 'accept-language': 'en' } })).body;
    const byFeature = Object.fromEntries(report.rejectedFeatures.map((f: any) => [f.feature, f]));
    expect(byFeature[1]).toMatchObject({ code: nulCode.replace('\u0000', '␀'), reasons: [{ rule: 'code_format' }] });
    expect(byFeature[2]).toMatchObject({ reasons: [{ rule: 'category_unknown', params: { value: '新增␀建设类' } }] });
    expect(byFeature[4]).toMatchObject({ reasons: [{ rule: 'unstorable' }] });
    expect((await sys.sql`select count(*)::int as n from patches where code = ${good}`)[0].n).toBe(1);
    // Nothing is left running or to be retried.
    expect((await sys.sql`select status, lease_owner from imports where id = ${job.id}`)[0]).toEqual({ status: 'completed', lease_owner: null });
  });

  it('a file without a single valid feature creates no batch, and says so', async () => {
    const admin = await sys.login('admin');
    const batchCode = sys.unique('B');
    const features = [provincialFeature(`${sys.unique('P')}\u0000`, '640104'), provincialFeature(sys.unique('P'), '640199')];
    const res = await uploadBatch(
      sys,
      admin,
      { bytes: featureCollection(features), name: 'nothing.geojson' },
      { batchCode, source: 'province', issuedOn: '2026-03-05' },
      'en',
    );
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, admin, res.body.id, 30_000);
    expect(job).toMatchObject({ status: 'completed', accepted: 0, rejected: 2, batchCreated: false, batch: null });
    expect(job.notice).toContain('未创建批次');
    expect((await sys.sql`select count(*)::int as n from batches where code = ${batchCode}`)[0].n).toBe(0);
    expect((await sys.http('GET', `/api/batches/${batchCode}`, { token: admin })).status).toBe(404);

    // A valid feature later creates it, with the particulars the import named.
    const again = await uploadBatch(
      sys,
      admin,
      { bytes: featureCollection([provincialFeature(sys.unique('P'), '640104')]), name: 'one.geojson' },
      { batchCode, source: 'province', issuedOn: '2026-03-05' },
    );
    const done = (await waitForImport(sys, admin, again.body.id, 30_000)).job;
    expect(done).toMatchObject({ accepted: 1, batchCreated: true, notice: null, batch: { code: batchCode, issuedOn: '2026-03-05', source: 'province' } });
  });
});
