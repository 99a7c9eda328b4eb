/**
 * Imagery for 内业比对 (000 一; 004 三): before/after GeoTIFFs of a batch, uploaded or referenced by a path
 * on the server, listed for a patch with its region's imagery services, and served under the API's
 * authorisation with HTTP range requests. Military patches: no imagery of them to anyone without the
 * classified permission, and no scene of a batch that may cover one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeChipPair } from '../scripts/synthetic/imagery';
import { patchWithImagery, uploadImagery } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const get = async (user: string, url: string, headers: Record<string, string> = {}) =>
  fetch(`${sys.baseUrl}${url}`, { headers: { authorization: `Bearer ${await sys.login(user)}`, ...headers } });

describe('a patch with before/after imagery', () => {
  it('lists both phases with dates and extents, and serves the files by ranges to those who may see the patch', async () => {
    const p = await patchWithImagery(sys);
    const listed = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.officer') });
    expect(listed.status).toBe(200);
    expect(listed.body.centre[0]).toBeCloseTo(106.2805, 4);
    expect(listed.body.before).toHaveLength(1);
    expect(listed.body.after).toHaveLength(1);
    expect(listed.body.before[0].imagedAt.slice(0, 10)).toBe('2026-02-18');
    // The after-image's date is the batch's imaging date when the upload names none.
    expect(new Date(listed.body.after[0].imagedAt).toISOString()).toBe(new Date('2026-05-20T00:00:00+08:00').toISOString());
    const [w, s, e, n] = listed.body.after[0].bounds;
    expect(w).toBeLessThan(106.28);
    expect(e).toBeGreaterThan(106.281);
    expect(s).toBeLessThan(38.47);
    expect(n).toBeGreaterThan(38.471);

    const url = listed.body.after[0].url;
    const whole = await get('xq.officer', url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.length).toBe(listed.body.after[0].size);
    const part = await get('xq.officer', url, { range: 'bytes=8-107' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 8-107/${bytes.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(8, 108));
    // What is served is the GeoTIFF that was uploaded: geotiff.js reads it back.
    const image = await (await fromArrayBuffer(bytes.buffer)).getImage();
    expect(image.getBoundingBox().map((x) => Number(x.toFixed(6)))).toEqual(listed.body.after[0].bounds.map((x: number) => Number(x.toFixed(6))));

    // Without a session, or outside the patch's region, nothing.
    expect((await fetch(`${sys.baseUrl}${url}`)).status).toBe(401);
    expect((await get('dcf.officer', url)).status).toBe(403);
    expect((await get('dcf.officer', `/api/patches/${p.code}/imagery`)).status).toBe(403);
    // An imagery id of another patch is not served through this one.
    const other = await patchWithImagery(sys, { batchCode: p.batchCode });
    expect((await get('xq.officer', `/api/patches/${p.code}/imagery/${other.after.id}`)).status).toBe(404);
  });

  it('refuses files that are not georeferenced GeoTIFFs, and non-administrators', async () => {
    const p = await patchWithImagery(sys);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wpzf-bad-'));
    writeFileSync(path.join(dir, 'x.tif'), 'not a tiff at all');
    const bad = await uploadImagery(sys, p.batchCode, path.join(dir, 'x.tif'), { phase: 'after', patchCode: p.code });
    expect(bad.status).toBe(422);
    expect(bad.body.issues[0]).toMatchObject({ path: 'file', code: 'invalid_geotiff' });
    const noPhase = await uploadImagery(sys, p.batchCode, p.pair.after, { phase: 'sideways' as never, patchCode: p.code });
    expect(noPhase.status).toBe(422);
    const officer = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: await sys.login('xq.officer'),
      body: { phase: 'after', path: p.pair.after },
    });
    expect(officer.status).toBe(403);
  });
});

describe('a scene referenced on the server', () => {
  it('is shown for the batch patches it contains; a path outside the imagery folder is refused', async () => {
    const p = await patchWithImagery(sys);
    const imageryDir = path.join(sys.uploadsDir, 'imagery', 'scenes');
    mkdirSync(imageryDir, { recursive: true });
    // A "scene": a larger chip around the patch, copied onto the server.
    const scene = await writeChipPair(mkdtempSync(path.join(os.tmpdir(), 'wpzf-scene-')), `${p.code}-scene`, p.body.geometry as never, 512);
    copyFileSync(scene.after, path.join(imageryDir, 'scene.tif'));
    const admin = await sys.login('admin');
    const outside = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, { token: admin, body: { phase: 'after', path: scene.after } });
    expect(outside.status).toBe(422);
    expect(outside.body.issues[0]).toMatchObject({ code: 'path_outside_imagery' });
    const traversal = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: admin,
      body: { phase: 'after', path: '../../etc/passwd' },
    });
    expect(traversal.status).toBe(422);
    const added = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: admin,
      body: { phase: 'after', path: 'scenes/scene.tif', source: '省级影像' },
    });
    expect(added.status).toBe(201);
    expect(added.body.patchCode).toBeNull();
    const listed = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.officer') });
    expect(listed.body.after.map((a: { id: number }) => a.id)).toEqual([p.after.id, added.body.id]);
    const served = await get('xq.officer', `/api/patches/${p.code}/imagery/${added.body.id}`, { range: 'bytes=0-3' });
    expect(served.status).toBe(206);
  });
});

describe('military patches', () => {
  it('have no imagery for anyone without the classified permission; their batch scenes are withheld too', async () => {
    const civil = await patchWithImagery(sys);
    const military = await patchWithImagery(sys, { batchCode: civil.batchCode, military: true });
    const chipUrl = `/api/patches/${military.code}/imagery/${military.after.id}`;
    expect((await get('xq.officer', `/api/patches/${military.code}/imagery`)).status).toBe(404);
    expect((await get('xq.officer', chipUrl)).status).toBe(404);
    expect((await get('xq.officer', chipUrl, { range: 'bytes=0-15' })).status).toBe(404);
    // Not through a civil patch of the same batch either.
    expect((await get('xq.officer', `/api/patches/${civil.code}/imagery/${military.after.id}`)).status).toBe(404);
    expect((await get('xq.secret', chipUrl)).status).toBe(200);
    const listed = await (await get('xq.secret', `/api/patches/${military.code}/imagery`)).json();
    expect(listed.after).toHaveLength(1);

    // A scene of the batch: a military patch's location is not stored, so it may be anywhere in it.
    const dir = path.join(sys.uploadsDir, 'imagery', 'military-batch');
    mkdirSync(dir, { recursive: true });
    copyFileSync(civil.pair.after, path.join(dir, 'scene.tif'));
    const scene = await sys.http('POST', `/api/batches/${civil.batchCode}/imagery/reference`, {
      token: await sys.login('admin'),
      body: { phase: 'after', path: path.join(dir, 'scene.tif') },
    });
    expect(scene.status).toBe(201);
    const forOfficer = await (await get('xq.officer', `/api/patches/${civil.code}/imagery`)).json();
    expect(forOfficer.after.map((a: { id: number }) => a.id)).toEqual([civil.after.id]);
    expect((await get('xq.officer', `/api/patches/${civil.code}/imagery/${scene.body.id}`)).status).toBe(404);
    const forSecret = await (await get('xq.secret', `/api/patches/${civil.code}/imagery`)).json();
    expect(forSecret.after.map((a: { id: number }) => a.id)).toEqual([civil.after.id, scene.body.id]);
  });
});

describe("a region's imagery services", () => {
  it('are set by its administrators, offered on its patches and let through by the CSP', async () => {
    const p = await patchWithImagery(sys);
    const tianditu = {
      name: '天地图影像',
      url: 'https://t{s}.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY',
      attribution: '天地图',
      subdomains: '01234567',
    };
    const officer = await sys.http('PUT', '/api/regions/640000/imagery-services', { token: await sys.login('xq.officer'), body: { services: [tianditu] } });
    expect(officer.status).toBe(403);
    const other = await sys.http('PUT', '/api/regions/640000/imagery-services', { token: await sys.login('jm.admin'), body: { services: [tianditu] } });
    expect(other.status).toBe(403);
    const noKeys = await sys.http('PUT', '/api/regions/640000/imagery-services', {
      token: await sys.login('nx.admin'),
      body: { services: [{ ...tianditu, url: 'https://example.org/tiles.png' }] },
    });
    expect(noKeys.status).toBe(422);
    // A region that does not exist is a 404, not a broken foreign key (a 500 found by test/generated-input.test.ts).
    const unknown = await sys.http('PUT', '/api/regions/640199/imagery-services', { token: await sys.login('nx.admin'), body: { services: [] } });
    expect(unknown.status).toBe(404);
    const set = await sys.http('PUT', '/api/regions/640000/imagery-services', { token: await sys.login('nx.admin'), body: { services: [tianditu] } });
    expect(set.status).toBe(200);
    const listed = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.officer') });
    expect(listed.body.services).toEqual([{ ...tianditu, phase: 'after' }]);
    // The county's own services, when it has some, come first.
    await sys.http('PUT', '/api/regions/640104/imagery-services', {
      token: await sys.login('admin'),
      body: { services: [{ name: '县级影像', url: 'http://10.0.0.8/xyz/{z}/{x}/{y}.jpg', attribution: '兴庆区', phase: 'both' }] },
    });
    const county = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.officer') });
    expect(county.body.services.map((s: { name: string }) => s.name)).toEqual(['县级影像']);
    const csp = (await fetch(`${sys.baseUrl}/api/health`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src [^;]*https:\/\/t\*\.tianditu\.gov\.cn/);
    expect(csp).toMatch(/img-src [^;]*http:\/\/10\.0\.0\.8/);
  });
});
