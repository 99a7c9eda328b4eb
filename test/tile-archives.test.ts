/**
 * Tile archives as a batch's before/after imagery (内业比对, 004 三): PMTiles (v3) and MBTiles, uploaded with
 * the batch or referenced by a path on the server, their kind told from the content; their bounds and zooms
 * recorded; the PMTiles file served by HTTP ranges (the pmtiles library reads it back through the API, with
 * the session's token) and every archive's tiles served as XYZ under the patch's authorisation. A broken
 * archive is a 422 naming the field. Military patches: no archive byte or tile to anyone without the permission.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FetchSource, PMTiles } from 'pmtiles';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchWithTileArchives, uploadImagery } from './support/fixtures';
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

/** The XYZ tile holding a point at zoom z. */
const tileAt = (lng: number, lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return {
    x: Math.floor(((lng + 180) / 360) * 2 ** z),
    y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z),
  };
};
const tileUrl = (template: string, z: number, x: number, y: number) => template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));

describe('a patch with tile archives as its imagery', () => {
  it('lists them with their bounds and zooms, serves the PMTiles by ranges and both archives tile by tile', async () => {
    const p = await patchWithTileArchives(sys);
    const officer = await sys.login('xq.officer');
    const listed = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: officer });
    expect(listed.status).toBe(200);
    const [before] = listed.body.before;
    const [after] = listed.body.after;
    expect(before).toMatchObject({ format: 'pmtiles', minZoom: 14, maxZoom: 18 });
    expect(after).toMatchObject({ format: 'mbtiles', minZoom: 14, maxZoom: 18 });
    expect(before.imagedAt.slice(0, 10)).toBe('2026-02-18');
    for (const a of [before, after]) {
      expect(a.bounds.map((v: number) => Number(v.toFixed(6)))).toEqual(p.pmtiles.extent.map((v) => Number(v.toFixed(6))));
      expect(a.tiles).toBe(`${a.url}/tiles/{z}/{x}/{y}`);
    }

    // The PMTiles file by HTTP ranges; the browser's library reads it the same way, with the session's token.
    const part = await get('xq.officer', before.url, { range: 'bytes=0-126' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-126/${before.size}`);
    expect(
      Buffer.from(await part.arrayBuffer())
        .subarray(0, 7)
        .toString(),
    ).toBe('PMTiles');
    const remote = new PMTiles(new FetchSource(`${sys.baseUrl}${before.url}`, new Headers({ authorization: `Bearer ${officer}` })));
    const header = await remote.getHeader();
    expect([header.minZoom, header.maxZoom]).toEqual([14, 18]);
    const [lng, lat] = listed.body.centre as [number, number];
    const { x, y } = tileAt(lng, lat, 18);
    const viaRanges = await remote.getZxy(18, x, y);
    expect(viaRanges?.data.byteLength).toBeGreaterThan(1000);

    // Tiles one by one (XYZ): the same bytes as the archive holds; for MBTiles, its TMS row flipped.
    const pmTile = await get('xq.officer', tileUrl(before.tiles, 18, x, y));
    expect(pmTile.status).toBe(200);
    expect(pmTile.headers.get('content-type')).toBe('image/png');
    expect(pmTile.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(new Uint8Array(await pmTile.arrayBuffer())).toEqual(new Uint8Array(viaRanges!.data));
    const mbTile = await get('xq.officer', tileUrl(after.tiles, 18, x, y));
    expect(mbTile.status).toBe(200);
    const mbBytes = Buffer.from(await mbTile.arrayBuffer());
    const db = new Database(p.mbtiles.after, { readonly: true });
    const stored = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = 18 AND tile_column = ? AND tile_row = ?').get(x, 2 ** 18 - 1 - y) as {
      tile_data: Buffer;
    };
    db.close();
    expect(mbBytes.equals(stored.tile_data)).toBe(true);
    // The after tile at the patch's centre shows the change (roofs and soil), the before tile farmland.
    const mean = (png: Buffer) => {
      const { data } = PNG.sync.read(png);
      const sum = [0, 0, 0, 0];
      for (let i = 0; i < data.length; i++) sum[i % 4] += data[i];
      return sum.map((v) => v / (data.length / 4));
    };
    const [mb, pm] = [mean(mbBytes), mean(Buffer.from(viaRanges!.data))];
    expect(pm[3]).toBeGreaterThan(200); // opaque: imagery, not an empty tile
    expect(mb[2]).toBeGreaterThan(pm[2] + 20);
    // Outside the archive: an empty answer; a GeoTIFF has no tiles route; without a session or the region, nothing.
    expect((await get('xq.officer', tileUrl(after.tiles, 18, x + 40, y))).status).toBe(204);
    expect((await get('xq.officer', tileUrl(before.tiles, 10, 0, 0))).status).toBe(204);
    expect((await fetch(`${sys.baseUrl}${tileUrl(after.tiles, 18, x, y)}`)).status).toBe(401);
    expect((await get('dcf.officer', tileUrl(after.tiles, 18, x, y))).status).toBe(403);
    expect((await get('dcf.officer', before.url, { range: 'bytes=0-126' })).status).toBe(403);
  });

  it('is told from its content, not its name; a path on the server works alike; a broken archive is a 422 naming the field', async () => {
    const p = await patchWithTileArchives(sys);
    const admin = await sys.login('admin');
    const dir = path.join(sys.uploadsDir, 'imagery', `archives-${p.code}`);
    mkdirSync(dir, { recursive: true });
    // A PMTiles named .tif and an MBTiles named .dat, referenced on the server.
    copyFileSync(p.pmtiles.after, path.join(dir, 'scene.tif'));
    copyFileSync(p.mbtiles.before, path.join(dir, 'scene.dat'));
    const pm = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: admin,
      body: { phase: 'after', path: path.join(dir, 'scene.tif'), patchCode: p.code },
    });
    expect(pm.status).toBe(201);
    expect(pm.body).toMatchObject({ format: 'pmtiles', minZoom: 14, maxZoom: 18 });
    const mb = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: admin,
      body: { phase: 'before', path: `archives-${p.code}/scene.dat`, source: '省级影像' },
    });
    expect(mb.status).toBe(201);
    expect(mb.body).toMatchObject({ format: 'mbtiles', patchCode: null });
    // The batch's scene is offered on the patch it covers, with its tiles.
    const listed = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.officer') });
    const scene = listed.body.before.find((a: { id: number }) => a.id === mb.body.id);
    const { x, y } = tileAt(listed.body.centre[0], listed.body.centre[1], 17);
    expect((await get('xq.officer', tileUrl(scene.tiles, 17, x, y))).status).toBe(200);

    // Broken archives: a PMTiles header with nothing after it; an SQLite file that is not an MBTiles; garbage named .pmtiles.
    const bad = mkdtempSync(path.join(os.tmpdir(), 'wpzf-bad-archive-'));
    writeFileSync(path.join(bad, 'cut.pmtiles'), Buffer.concat([Buffer.from('PMTiles'), Buffer.from([3]), Buffer.alloc(40, 7)]));
    const notMbtiles = new Database(path.join(bad, 'other.mbtiles'));
    notMbtiles.exec('CREATE TABLE things (a INTEGER)');
    notMbtiles.close();
    writeFileSync(path.join(bad, 'junk.pmtiles'), 'not an archive at all');
    for (const name of ['cut.pmtiles', 'other.mbtiles', 'junk.pmtiles']) {
      const res = await uploadImagery(sys, p.batchCode, path.join(bad, name), { phase: 'after', patchCode: p.code });
      expect(res.status, name).toBe(422);
      expect(res.body.issues[0], name).toMatchObject({ path: 'file', code: 'invalid_tile_archive' });
    }
    copyFileSync(path.join(bad, 'cut.pmtiles'), path.join(dir, 'cut.pmtiles'));
    const referenced = await sys.http('POST', `/api/batches/${p.batchCode}/imagery/reference`, {
      token: admin,
      body: { phase: 'after', path: path.join(dir, 'cut.pmtiles') },
    });
    expect(referenced.status).toBe(422);
    expect(referenced.body.issues[0]).toMatchObject({ path: 'path', code: 'invalid_tile_archive' });
  });
});

describe('tile archives of a military patch', () => {
  it('reach no one without the classified permission: neither the archive nor its tiles', async () => {
    const p = await patchWithTileArchives(sys, { military: true });
    const secret = await sys.http('GET', `/api/patches/${p.code}/imagery`, { token: await sys.login('xq.secret') });
    expect(secret.status).toBe(200);
    const [before] = secret.body.before;
    const [after] = secret.body.after;
    const [w, s, e, n] = after.bounds as number[];
    const { x, y } = tileAt((w + e) / 2, (s + n) / 2, 18);
    for (const url of [before.url, tileUrl(before.tiles, 18, x, y), tileUrl(after.tiles, 18, x, y), after.url]) {
      expect((await get('xq.officer', url)).status, url).toBe(404);
      expect((await get('xq.officer', url, { range: 'bytes=0-126' })).status, url).toBe(404);
    }
    expect((await get('xq.officer', `/api/patches/${p.code}/imagery`)).status).toBe(404);
    expect((await get('xq.secret', tileUrl(after.tiles, 18, x, y))).status).toBe(200);
    expect((await get('xq.secret', before.url, { range: 'bytes=0-126' })).status).toBe(206);
  });
});
