/**
 * Land layers through the API and the patch workflow (docs/domain.md §13): an administrator uploads a
 * farmland layer and an approval layer; a patch issued afterwards is measured by its workflow's activity, and
 * GET /api/patches/:code shows the measured areas and the suggestion; a bad upload gets a 422 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cell, handMu } from './support/shapes';
import { issueAndWaitForTask } from './support/fixtures';
import { geoPackage } from './support/geopackage';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
}, 180_000);
afterAll(async () => {
  await sys?.stop();
});

async function uploadLayer(token: string, fields: Record<string, string>, file?: { bytes: string | Buffer; name: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes)]), file.name);
  const res = await fetch(`${sys.baseUrl}/api/layers`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}

// The fixtures' patch: the 0.001° cell at (106.28, 38.47).
const [LNG, LAT] = [106.28, 38.47];

describe('layers uploaded, a patch measured on issuance', () => {
  it('measures the issued patch against the uploaded layers and suggests 合法 from the approval', async () => {
    const admin = await sys.login('admin');
    const farmland = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: cell(LNG - 0.0005, LAT, 0.001, 0.002) }] };
    const up = await uploadLayer(
      admin,
      { regionCode: '640104', kind: 'farmland', name: '2025年度变更调查耕地' },
      { bytes: JSON.stringify(farmland), name: '耕地.geojson' },
    );
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ kind: 'farmland', version: 1, featureCount: 1 });
    const gpkg = await geoPackage([{ geometry: cell(LNG, LAT, 0.001, 0.001), properties: { PZWH: '宁政土批〔2026〕3号', PZRQ: '2026-01-15' } }]);
    expect((await uploadLayer(admin, { regionCode: '640000', kind: 'approval' }, { bytes: gpkg, name: '审批.gpkg' })).status).toBe(201);

    const { code } = await issueAndWaitForTask(sys);
    const patch = await eventually(async () => {
      const res = await sys.http('GET', `/api/patches/${code}`, { token: admin });
      return res.body.measurement ? res.body : undefined;
    }, 60_000);
    const m = patch.measurement;
    expect(Math.abs(m.totalMu - handMu(LAT, 0.001, 0.001)) / m.totalMu).toBeLessThan(1e-5);
    expect(Math.abs(m.farmlandMu - handMu(LAT, 0.0005, 0.001)) / m.farmlandMu).toBeLessThan(1e-5);
    expect(m.layers.map((l: { kind: string }) => l.kind).sort()).toEqual(['approval', 'farmland']);
    expect(m.suggestedLegality).toMatchObject({ legality: 'legal', approval: { documentNumber: '宁政土批〔2026〕3号', date: '2026-01-15' } });
    expect(m.approvals[0].share).toBeCloseTo(1, 6);
    expect(m.suggestedAreas.farmlandMu).toBe(Math.round(m.farmlandMu * 100) / 100);

    const listed = await sys.http('GET', '/api/layers?regionCode=640104', { token: admin });
    expect(listed.body.data.map((l: { kind: string; status: string }) => `${l.kind}:${l.status}`).sort()).toEqual(['approval:ready', 'farmland:ready']);
  });

  it('answers a bad upload with 422 naming the field, and refuses a non-administrator', async () => {
    const admin = await sys.login('admin');
    const bad = await uploadLayer(admin, { regionCode: '640104', kind: 'forest' }, { bytes: '{}', name: 'x.geojson' });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain('kind');
    const junk = await uploadLayer(admin, { regionCode: '640104', kind: 'farmland' }, { bytes: 'SQLite format 3\0garbage', name: 'x.gpkg' });
    expect(junk.status).toBe(422);
    expect(junk.body.issues[0].path).toBe('file');
    const officer = await sys.login('xq.officer');
    expect((await uploadLayer(officer, { kind: 'farmland' }, { bytes: '{}', name: 'x.geojson' })).status).toBe(403);
  });
});

describe("the administrators' screens' API", () => {
  it('lists every version with its area, uploader and the version in force, and the skipped rows with their reasons', async () => {
    const admin = await sys.login('nx.admin');
    const layer = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: cell(LNG, LAT + 0.01, 0.001, 0.001) },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [LNG, LAT] } },
      ],
    };
    const file = { bytes: JSON.stringify(layer), name: '城镇开发边界.geojson' };
    const first = await uploadLayer(admin, { regionCode: '640000', kind: 'urban_boundary', name: '城镇开发边界' }, file);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, featureCount: 1, rejected: 1 });
    expect(Math.abs(first.body.totalMu - handMu(LAT + 0.01, 0.001, 0.001)) / first.body.totalMu).toBeLessThan(1e-6);
    expect(first.body.rejections).toEqual([{ seq: 1, reasons: [expect.objectContaining({ rule: expect.any(String), message: expect.any(String) })] }]);
    expect(first.body.rejections[0].reasons[0].message).toMatch(/[\u4e00-\u9fa5]/);
    const second = await uploadLayer(admin, { regionCode: '640000', kind: 'urban_boundary', name: '城镇开发边界' }, file);
    expect(second.body.version).toBe(2);

    const listed = await sys.http('GET', '/api/layers?regionCode=640000', { token: admin });
    const versions = listed.body.data.filter((l: { kind: string }) => l.kind === 'urban_boundary');
    expect(versions.map((l: { version: number; current: boolean }) => [l.version, l.current])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(versions[0]).toMatchObject({
      regionCode: '640000',
      name: '城镇开发边界',
      status: 'ready',
      featureCount: 1,
      rejected: 1,
      createdByName: '宁夏自然资源厅管理员',
    });
    expect(versions[0].totalMu).toBeCloseTo(first.body.totalMu, 9);
  });

  it('accepts WMTS placeholders and a 天地图 key for {tk}, and names the field it refuses', async () => {
    const admin = await sys.login('nx.admin');
    const put = (services: unknown[]) => sys.http('PUT', '/api/regions/640000/imagery-services', { token: admin, body: { services } });
    const wmts = {
      name: '天地图',
      url: 'https://t{s}.tianditu.gov.cn/img_w/wmts?TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk={tk}',
      attribution: '天地图',
    };
    const noKey = await put([wmts]);
    expect(noKey.status).toBe(422);
    expect(noKey.body.errors).toHaveProperty(['services.0.key']);
    const badKey = await put([{ ...wmts, key: 'a b' }]);
    expect(badKey.body.errors).toHaveProperty(['services.0.key']);
    const badUrl = await put([{ ...wmts, url: 'https://example.org/img?TILEMATRIX={TileMatrix}', key: 'k1' }]);
    expect(Object.keys(badUrl.body.errors)).toEqual(['services.0.url']);
    const ok = await put([{ ...wmts, key: 'abc123', subdomains: '01234567' }]);
    expect(ok.status).toBe(200);
    expect(ok.body.services[0]).toMatchObject({ key: 'abc123', phase: 'after' });
  });
});
