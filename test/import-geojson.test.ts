/**
 * Batch import of GeoJSON through the API, end to end against the real servers: accepted features become
 * patches with their workflows and verification tasks; rejected ones are listed with their reasons; the
 * T+10 check; military features take the restricted path; refused uploads change nothing; importing the
 * same batch again starts nothing twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchBody } from './support/fixtures';
import { featureCollection, provincialFeature, uploadBatch, waitForImport, type TestFeature } from './support/imports';
import { eventually, startTestSystem, type TestSystem } from './support/system';

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

const geojson = (features: TestFeature[], crs?: string) => ({ bytes: featureCollection(features, crs), name: 'batch.geojson' });
const rulesOf = (report: any, code: string) =>
  [...report.rejectedFeatures, ...report.warnedFeatures]
    .find((f: any) => f.code === code)
    ?.[report.rejectedFeatures.some((f: any) => f.code === code) ? 'reasons' : 'warnings'].map((r: any) => r.rule);

describe('importing a GeoJSON batch through the API', () => {
  let batchCode: string;
  let report: any;
  const codes: Record<string, string> = {};

  beforeAll(async () => {
    const admin = await sys.login('admin');
    // A patch of another batch, whose code the file then reuses.
    const other = patchBody(sys, { batchCode: sys.unique('OTHER') });
    expect((await sys.http('POST', '/api/patches', { token: admin, body: other })).status).toBe(201);

    for (const k of ['good', 'area', 'military', 'bowtie', 'unknownCounty', 'open', 'short', 'category', 'village']) codes[k] = sys.unique('J');
    const good = provincialFeature(codes.good, '640104');
    const area = provincialFeature(codes.area, '640105');
    area.properties.JCMJ = Math.round(Number(area.properties.JCMJ) * 1.3 * 100) / 100; // declared 30% too large
    const bowtie = provincialFeature(codes.bowtie);
    bowtie.geometry!.coordinates = [
      [
        [106.28, 38.47],
        [106.29, 38.48],
        [106.29, 38.47],
        [106.28, 38.48],
        [106.28, 38.47],
      ],
    ];
    const open = provincialFeature(codes.open);
    open.geometry!.coordinates[0].pop();
    const short = provincialFeature(codes.short);
    short.geometry!.coordinates = [
      [
        [106.28, 38.47],
        [106.29, 38.48],
        [106.28, 38.47],
      ],
    ];
    const features = [
      good,
      area,
      provincialFeature(codes.military, '640104', { SFJY: '1' }),
      bowtie,
      provincialFeature(codes.unknownCounty, '640199'),
      provincialFeature(codes.good, '640104'), // the same code again
      open,
      short,
      provincialFeature(other.code as string, '640104'), // the code of the other batch's patch
      provincialFeature(codes.category, '640104', { TBLX: '不知道什么类' }),
      provincialFeature(codes.village, '640104', { XZQDM: '640104001001', TBLX: '设施农业用地类' }),
    ];
    batchCode = sys.unique('B');
    const res = await uploadBatch(sys, admin, geojson(features, 'urn:ogc:def:crs:EPSG::4490'), {
      batchCode,
      batchName: '2026年3月部下发',
      source: 'ministry',
      kind: 'monthly',
      imagedOn: '2026-03-01',
      issuedOn: '2026-03-20',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ batchCode, total: 11, format: 'geojson', crs: 'CGCS2000 经纬度', created: true });
    await waitForImport(sys, admin, res.body.id);
    report = (await sys.http('GET', `/api/imports/${res.body.id}/report`, { token: admin })).body;
  });

  it('answers with a report listing every rejected feature and why, and the warnings', () => {
    expect(report).toMatchObject({ status: 'completed', total: 11, processed: 11, accepted: 4, started: 4, existing: 0, rejected: 7, military: 1 });
    expect(report.rejectedFeatures.map((f: any) => f.feature)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    const reasons = Object.fromEntries(report.rejectedFeatures.map((f: any) => [f.feature, f.reasons.map((r: any) => r.rule)]));
    expect(reasons).toEqual({
      4: ['self_intersection'],
      5: ['unknown_county'],
      6: ['duplicate_in_file'],
      7: ['ring_not_closed'],
      8: ['ring_too_short'],
      9: ['duplicate_other_batch'],
      10: ['category_unknown'],
    });
    expect(report.rejectedFeatures.find((f: any) => f.feature === 5).reasons[0].message).toBe('未知的县级行政区：640199');
    expect(report.rejectedFeatures.find((f: any) => f.feature === 6).reasons[0].message).toContain('与本文件第 1 个要素重复');
    expect(rulesOf(report, codes.area)).toEqual(['area_mismatch']);
    expect(report.warnedFeatures.find((f: any) => f.code === codes.area).warnings[0].message).toMatch(/相差 30(\.\d)?%/);
  });

  it('flags the batch issued later than imaging + 10 days (T+10) and stores it', async () => {
    expect(report.batch).toMatchObject({ code: batchCode, source: 'ministry', kind: 'monthly', imagedOn: '2026-03-01', issuedOn: '2026-03-20' });
    expect(report.batch.t10).toMatchObject({ dueOn: '2026-03-11', lateDays: 9, late: true });
    const [row] = await sys.sql`select t10_late, t10_late_days from batches where code = ${batchCode}`;
    expect(row).toEqual({ t10_late: true, t10_late_days: 9 });
    const admin = await sys.login('admin');
    const listed = await sys.http('GET', `/api/batches/${batchCode}`, { token: admin });
    expect(listed.body).toMatchObject({ t10Late: true, t10LateDays: 9, patchCount: 4 });
  });

  it('turns the accepted features into patches with workflows and verification tasks', async () => {
    const rows =
      await sys.sql`select code, county_code, category, source, batch_kind, area_mu, military, issued_at, imaged_at from patches where batch_code = ${batchCode} order by code`;
    expect(rows.map((r) => r.code).sort()).toEqual([codes.good, codes.area, codes.military, codes.village].sort());
    const village = rows.find((r) => r.code === codes.village)!;
    expect(village).toMatchObject({ county_code: '640104', category: 'facility_agriculture', source: 'ministry', batch_kind: 'monthly' });
    expect(new Date(village.issued_at).toISOString()).toBe('2026-03-19T16:00:00.000Z'); // the issue date, Shanghai midnight
    expect(new Date(village.imaged_at).toISOString()).toBe('2026-02-26T16:00:00.000Z'); // HSX
    // JCMJ is square metres: 3 mu declared as ~2000 m².
    expect(rows.find((r) => r.code === codes.good)!.area_mu).toBeCloseTo(3, 1);
    for (const [code, county] of [
      [codes.good, '640104'],
      [codes.area, '640105'],
      [codes.village, '640104'],
    ]) {
      const description = await sys.temporal.workflow.getHandle(code).describe();
      expect(description.type).toBe('patchWorkflow');
      const task = await eventually(async () => (await sys.sql`select type, region_code, restricted from tasks where patch_code = ${code}`)[0]);
      expect(task).toMatchObject({ type: 'verification', region_code: county, restricted: false });
    }
  });

  it('sends a military-flagged feature down the restricted path', async () => {
    const [patch] = await sys.sql`select military, geometry, centroid from patches where code = ${codes.military}`;
    // Military land is reported offline, never over the network (000, 002, 004): the polygon in the file is not kept.
    expect(patch).toEqual({ military: true, geometry: null, centroid: null });
    const [good] = await sys.sql`select geometry from patches where code = ${codes.good}`;
    expect(good.geometry).not.toBeNull();
    const task = await eventually(async () => (await sys.sql`select type, restricted from tasks where patch_code = ${codes.military}`)[0]);
    expect(task).toEqual({ type: 'military_report', restricted: true });
    // Not visible to an officer without the classified-handling permission.
    const officer = await sys.login('xq.officer');
    expect((await sys.http('GET', `/api/patches/${codes.military}`, { token: officer })).status).toBe(404);
  });

  it('starts nothing twice when the same file is imported into the same batch again', async () => {
    const admin = await sys.login('admin');
    const runIds = await Promise.all([codes.good, codes.area].map(async (c) => (await sys.temporal.workflow.getHandle(c).describe()).runId));
    const [job] = await sys.sql`select id, file_hash from imports where batch_code = ${batchCode}`;
    const file = await sys.sql`select file_path from imports where id = ${job.id}`;
    const bytes = (await import('node:fs')).readFileSync(file[0].file_path);
    const again = await uploadBatch(sys, admin, { bytes, name: 'again.geojson' }, { batchCode, source: 'ministry', kind: 'monthly' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: job.id, created: false, status: 'completed', started: 4 });
    // A different file for the same batch repeating two codes: those are the same patches, not started again.
    const overlap = await uploadBatch(
      sys,
      admin,
      geojson([provincialFeature(codes.good, '640104'), provincialFeature(codes.area, '640105'), provincialFeature(sys.unique('J'))]),
      {
        batchCode,
        source: 'ministry',
        kind: 'monthly',
      },
    );
    expect(overlap.status).toBe(202);
    const { job: second } = await waitForImport(sys, admin, overlap.body.id);
    expect(second).toMatchObject({ accepted: 3, started: 1, existing: 2, rejected: 0 });
    expect(await Promise.all([codes.good, codes.area].map(async (c) => (await sys.temporal.workflow.getHandle(c).describe()).runId))).toEqual(runIds);
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where action = 'patch.issued' and patch_code = any(${[codes.good, codes.area]})`;
    expect(n).toBe(2);
    const secondReport = (await sys.http('GET', `/api/imports/${overlap.body.id}/report`, { token: admin })).body;
    expect(secondReport.warnedFeatures.flatMap((f: any) => f.warnings.map((w: any) => w.rule))).toEqual(['already_issued', 'already_issued']);
  });
});

describe('the declared area', () => {
  it('warns feature by feature and names the likely unit when the mapping reads square metres as mu', async () => {
    const admin = await sys.login('admin');
    const features = Array.from({ length: 4 }, () => provincialFeature(sys.unique('J'), '640104', {}, 2 + Math.random() * 10));
    const res = await uploadBatch(sys, admin, geojson(features), { batchCode: sys.unique('B'), source: 'province', areaUnit: 'mu' });
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ accepted: 4, warned: 4, mapping: { area: 'JCMJ', areaUnit: 'mu' } });
    const report = (await sys.http('GET', `/api/imports/${res.body.id}/report`, { token: admin })).body;
    expect(report.warnedFeatures.every((f: any) => f.warnings[0].rule === 'area_mismatch')).toBe(true);
    expect(report.hints).toMatchObject([{ rule: 'area_unit_suspect', params: { field: 'JCMJ', mappedUnit: 'mu', likelyUnit: 'm2' } }]);
    expect(report.hints[0].message).toContain('看来单位是平方米');
  });
});

describe('refused uploads change nothing', () => {
  const batchCount = async (code: string) => (await sys.sql`select count(*)::int as n from batches where code = ${code}`)[0].n as number;

  it('refuses a coordinate system that is not CGCS2000 or WGS84 with a message naming it', async () => {
    const admin = await sys.login('admin');
    const batchCode = sys.unique('B');
    const res = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))], 'EPSG:3857'), { batchCode, source: 'ministry' });
    expect(res.status).toBe(422);
    expect(res.body.errors.file).toContain('坐标系 EPSG:3857 不受支持');
    expect(await batchCount(batchCode)).toBe(0);
    const en = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))], 'EPSG:3857'), { batchCode, source: 'ministry' }, 'en');
    expect(en.body.errors.file).toMatch(/coordinate system EPSG:3857 is not supported/);
  });

  it('names the fields that are wrong (422) and the batch that conflicts (409)', async () => {
    const admin = await sys.login('admin');
    const bad = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))]), { source: 'county', imagedOn: '2026-02-30', preset: 'nope' });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['batchCode', 'imagedOn', 'preset', 'source']);
    const noFile = await uploadBatch(sys, admin, { bytes: '', name: 'empty.geojson' }, { batchCode: sys.unique('B'), source: 'ministry' });
    expect(noFile.status).toBe(422);
    expect(noFile.body.errors.file).toBeTruthy();
    const early = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))]), {
      batchCode: sys.unique('B'),
      source: 'ministry',
      imagedOn: '2026-03-10',
      issuedOn: '2026-03-01',
    });
    expect(early.body.errors.issuedOn).toBe('下发日期不能早于成像日期');

    // Ministry and province batches are kept apart: a province file cannot go into a ministry batch.
    const batchCode = sys.unique('B');
    const first = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))]), { batchCode, source: 'ministry' });
    expect(first.status).toBe(202);
    await waitForImport(sys, admin, first.body.id);
    const mixed = await uploadBatch(sys, admin, geojson([provincialFeature(sys.unique('J'))]), { batchCode, source: 'province' });
    expect(mixed.status).toBe(409);
    expect(mixed.body.errors.source).toContain('部、省两级图斑分开下发');
    expect((await sys.sql`select count(*)::int as n from imports where batch_code = ${batchCode}`)[0].n).toBe(1);
  });

  it('lets only administrators import, and rejects features outside their jurisdiction', async () => {
    const officer = await sys.login('xq.officer');
    expect((await uploadBatch(sys, officer, geojson([provincialFeature(sys.unique('J'))]), { batchCode: sys.unique('B'), source: 'ministry' })).status).toBe(
      403,
    );
    const nx = await sys.login('nx.admin');
    const inside = sys.unique('J');
    const outside = sys.unique('J');
    const res = await uploadBatch(sys, nx, geojson([provincialFeature(inside, '640104'), provincialFeature(outside, '371502')]), {
      batchCode: sys.unique('B'),
      source: 'province',
    });
    expect(res.status).toBe(202);
    const { job } = await waitForImport(sys, nx, res.body.id);
    expect(job).toMatchObject({ accepted: 1, rejected: 1 });
    const report = (await sys.http('GET', `/api/imports/${res.body.id}/report`, { token: nx })).body;
    expect(report.rejectedFeatures[0]).toMatchObject({ code: outside, reasons: [{ rule: 'outside_jurisdiction' }] });
    // Another province's administrator does not see the job.
    const jm = await sys.login('jm.admin');
    expect((await sys.http('GET', `/api/imports/${res.body.id}`, { token: jm })).status).toBe(404);
  });
});

describe('military features in the import report (000 二(二); 002 三(三))', () => {
  it('masks their codes and findings for an administrator without the classified-handling permission', async () => {
    const code = { rejected: sys.unique('M'), warned: sys.unique('M'), plain: sys.unique('J') };
    const bowtie = provincialFeature(code.rejected, '640104', { SFJY: '1' });
    bowtie.geometry!.coordinates = [
      [
        [106.28, 38.47],
        [106.29, 38.48],
        [106.29, 38.47],
        [106.28, 38.48],
        [106.28, 38.47],
      ],
    ];
    const warned = provincialFeature(code.warned, '640104', { SFJY: '1' });
    warned.properties.JCMJ = Math.round(Number(warned.properties.JCMJ) * 1.3 * 100) / 100;
    const plain = provincialFeature(code.plain, '640104');
    plain.properties.JCMJ = Math.round(Number(plain.properties.JCMJ) * 1.3 * 100) / 100;
    const nx = await sys.login('nx.admin'); // an administrator of Ningxia, not classified
    const res = await uploadBatch(sys, nx, geojson([bowtie, warned, plain]), { batchCode: sys.unique('B'), source: 'province' });
    expect(res.status).toBe(202);
    await waitForImport(sys, nx, res.body.id);
    const masked = (await sys.http('GET', `/api/imports/${res.body.id}/report`, { token: nx })).body;
    // Without the permission a military feature is in no list and no figure (000 二(二)): only the plain one counts.
    expect(masked.rejectedFeatures).toEqual([]);
    expect(masked).toMatchObject({ total: 1, processed: 1, accepted: 1, rejected: 0, warned: 1, military: 0 });
    // The military feature's warning is not shown at all; the ordinary one is, with its code.
    expect(masked.warnedFeatures.map((f: { code: string | null }) => f.code)).toEqual([code.plain]);
    expect(JSON.stringify(masked)).not.toContain(code.rejected);
    expect(JSON.stringify(masked)).not.toContain(code.warned);
    // The national administrator holds the permission and sees them.
    const full = (await sys.http('GET', `/api/imports/${res.body.id}/report`, { token: await sys.login('admin') })).body;
    expect(full.rejectedFeatures[0]).toMatchObject({ code: code.rejected, reasons: [{ rule: 'self_intersection' }] });
    expect(full.warnedFeatures.map((f: { code: string }) => f.code).sort()).toEqual([code.warned, code.plain].sort());
  });
});

describe('progress of an upload', () => {
  it('is visible while the import runs and reaches the total', async () => {
    const admin = await sys.login('admin');
    const features = Array.from({ length: 600 }, () =>
      provincialFeature(sys.unique('J'), ['640104', '640105', '640106', '640121'][Math.floor(Math.random() * 4)]),
    );
    const res = await uploadBatch(sys, admin, geojson(features), {
      batchCode: sys.unique('B'),
      source: 'province',
      kind: 'monthly',
      imagedOn: '2026-11-01',
      issuedOn: '2026-11-05',
    });
    expect(res.status).toBe(202);
    const { job, seen } = await waitForImport(sys, admin, res.body.id);
    expect(job).toMatchObject({ total: 600, processed: 600, percent: 100, started: 600 });
    // Progress was seen short of the end at least once (chunks of 250).
    expect(seen.some((p) => p > 0 && p < 600)).toBe(true);
    expect(job.batch.t10).toMatchObject({ late: false, lateDays: 0 });
    const listed = await sys.http('GET', '/api/imports?sort=["createdAt","DESC"]&range=[0,4]', { token: admin });
    expect(listed.headers.get('content-range')).toMatch(/^imports 0-\d+\/\d+$/);
    expect(listed.body[0]).toMatchObject({ id: res.body.id, status: 'completed' });
  });
});
