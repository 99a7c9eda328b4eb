/**
 * Synthetic before/after imagery as tile archives (前时相/后时相) for demos and tests: PNG tiles (web-mercator
 * XYZ, 256 px) around a patch, encoded with pngjs, written as an MBTiles (better-sqlite3) or a PMTiles v3
 * archive. No maintained PMTiles writer exists on npm (the project's own writer is its Go CLI), so the archive
 * is assembled here from the v3 specification: a 127-byte header, an uncompressed root directory of varints,
 * JSON metadata and the tiles in tile-id order; the `pmtiles` library reads it back in the tests. The "before"
 * ground is farmland strips; the "after" ground has bare soil and roofs inside the patch. Deterministic.
 */
import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import Database from 'better-sqlite3';
import { zxyToTileId } from 'pmtiles';
import { PNG } from 'pngjs';

type Polygonal = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
type Phase = 'before' | 'after';
type Bbox = [number, number, number, number];

export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  png: Buffer;
}

const TILE = 256;

const lngToX = (lng: number, z: number) => ((lng + 180) / 360) * 2 ** z;
const latToY = (lat: number, z: number) => {
  const r = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z;
};
const xToLng = (x: number, z: number) => (x / 2 ** z) * 360 - 180;
const yToLat = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

/** A stable pseudo-random value in [0, 1) for an integer cell (the grain of the ground). */
const noise = (a: number, b: number) => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b ^ 0xc2b2ae35, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 2 ** 32;
};

/** The ground's colour at a point: farmland strips before; soil and roofs inside the patch after. */
function ground(lng: number, lat: number, phase: Phase, inside: boolean): [number, number, number] {
  // Cells of about half a metre, so the texture holds at every zoom.
  const cx = Math.floor(lng * 200_000);
  const cy = Math.floor(lat * 200_000);
  const grain = noise(cx, cy) * 18 - 9;
  const strip = Math.floor(lng * 20_000 + lat * 6_000); // strips about 5 m wide
  const tone = [70 + noise(strip, 1) * 40, 110 + noise(strip, 2) * 50, 40 + noise(strip, 3) * 30];
  if (phase === 'after' && inside) {
    const roof = Math.floor(lng * 50_000) % 2 === 0 && Math.floor(lat * 60_000) % 3 !== 0;
    return roof ? [150 + grain, 165 + grain, 190 + grain] : [196 + grain, 170 + grain, 132 + grain];
  }
  const shift = phase === 'after' ? [6, 4, 0] : [0, 0, 0];
  return [tone[0] + grain + shift[0], tone[1] + grain + shift[1], tone[2] + grain + shift[2]];
}

/** The tiles from `minZoom` to `maxZoom` covering the patch and a margin of its own size; transparent outside it. */
export function renderTiles(geometry: Polygonal, phase: Phase, minZoom = 14, maxZoom = 18): { tiles: ArchiveTile[]; extent: Bbox } {
  const [w, s, e, n] = turfBbox(geometry);
  const mx = Math.max(e - w, 0.001);
  const my = Math.max(n - s, 0.001);
  const extent: Bbox = [w - mx, s - my, e + mx, n + my];
  const tiles: ArchiveTile[] = [];
  for (let z = minZoom; z <= maxZoom; z++) {
    const [x0, x1] = [Math.floor(lngToX(extent[0], z)), Math.floor(lngToX(extent[2], z))];
    const [y0, y1] = [Math.floor(latToY(extent[3], z)), Math.floor(latToY(extent[1], z))];
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) {
        const png = new PNG({ width: TILE, height: TILE });
        for (let py = 0; py < TILE; py++) {
          const lat = yToLat(y + (py + 0.5) / TILE, z);
          for (let px = 0; px < TILE; px++) {
            const lng = xToLng(x + (px + 0.5) / TILE, z);
            const i = (py * TILE + px) * 4;
            if (lng < extent[0] || lng > extent[2] || lat < extent[1] || lat > extent[3]) continue; // transparent
            const inside = lng >= w && lng <= e && lat >= s && lat <= n && booleanPointInPolygon([lng, lat], geometry);
            const [r, g, b] = ground(lng, lat, phase, inside);
            png.data[i] = Math.max(0, Math.min(255, r));
            png.data[i + 1] = Math.max(0, Math.min(255, g));
            png.data[i + 2] = Math.max(0, Math.min(255, b));
            png.data[i + 3] = 255;
          }
        }
        tiles.push({ z, x, y, png: PNG.sync.write(png) });
      }
  }
  return { tiles, extent };
}

/** Writes an MBTiles 1.3 archive (rows in TMS order, counted from the south). */
export function writeMbtiles(file: string, tiles: ArchiveTile[], extent: Bbox, name: string) {
  rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE metadata (name TEXT, value TEXT);
      CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
      CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
    const zooms = tiles.map((t) => t.z);
    const meta = db.prepare('INSERT INTO metadata (name, value) VALUES (?, ?)');
    const put = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const [k, v] of Object.entries({
        name,
        format: 'png',
        type: 'overlay',
        version: '1',
        bounds: extent.join(','),
        minzoom: String(Math.min(...zooms)),
        maxzoom: String(Math.max(...zooms)),
      }))
        meta.run(k, v);
      for (const t of tiles) put.run(t.z, t.x, 2 ** t.z - 1 - t.y, t.png);
    })();
  } finally {
    db.close();
  }
}

/** Unsigned LEB128 varint, as PMTiles directories use. */
function varint(out: number[], value: number) {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A PMTiles v3 archive of PNG tiles, uncompressed, clustered (tile data in tile-id order), one root directory. */
export function pmtilesBytes(tiles: ArchiveTile[], extent: Bbox, name: string): Buffer {
  const entries = tiles.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), png: t.png })).sort((a, b) => a.id - b.id);
  const dir: number[] = [];
  varint(dir, entries.length);
  let last = 0;
  for (const e of entries) {
    varint(dir, e.id - last);
    last = e.id;
  }
  for (const _ of entries) varint(dir, 1); // run length
  for (const e of entries) varint(dir, e.png.length);
  // Offsets: 0 means "right after the previous tile", as every tile here is.
  for (let i = 0; i < entries.length; i++) varint(dir, i === 0 ? 1 : 0);
  const root = Buffer.from(dir);
  const metadata = Buffer.from(JSON.stringify({ name, type: 'overlay', format: 'png' }));
  const data = Buffer.concat(entries.map((e) => e.png));
  const zooms = tiles.map((t) => t.z);
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const u64 = (offset: number, v: number) => header.writeBigUInt64LE(BigInt(v), offset);
  const rootOffset = 127;
  const metaOffset = rootOffset + root.length;
  const dataOffset = metaOffset + metadata.length;
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metaOffset);
  u64(32, metadata.length);
  u64(40, dataOffset); // no leaf directories
  u64(48, 0);
  u64(56, dataOffset);
  u64(64, data.length);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // tile contents
  header.writeUInt8(1, 96); // clustered
  header.writeUInt8(1, 97); // internal compression: none
  header.writeUInt8(1, 98); // tile compression: none
  header.writeUInt8(2, 99); // tile type: PNG
  header.writeUInt8(Math.min(...zooms), 100);
  header.writeUInt8(Math.max(...zooms), 101);
  const e7 = (offset: number, v: number) => header.writeInt32LE(Math.round(v * 1e7), offset);
  e7(102, extent[0]);
  e7(106, extent[1]);
  e7(110, extent[2]);
  e7(114, extent[3]);
  header.writeUInt8(Math.max(...zooms), 118);
  e7(119, (extent[0] + extent[2]) / 2);
  e7(123, (extent[1] + extent[3]) / 2);
  return Buffer.concat([header, root, metadata, data]);
}

export interface ArchivePair {
  before: string;
  after: string;
  extent: Bbox;
}

/** Writes `<code>-before.<format>` and `<code>-after.<format>` (PMTiles or MBTiles) into `dir`. */
export async function writeTileArchivePair(dir: string, code: string, geometry: Polygonal, format: 'pmtiles' | 'mbtiles'): Promise<ArchivePair> {
  await mkdir(dir, { recursive: true });
  const safe = code.replace(/[^\w.-]/g, '_');
  const out = { before: path.join(dir, `${safe}-before.${format}`), after: path.join(dir, `${safe}-after.${format}`) };
  let extent: Bbox = [0, 0, 0, 0];
  for (const phase of ['before', 'after'] as const) {
    const rendered = renderTiles(geometry, phase);
    extent = rendered.extent;
    if (format === 'mbtiles') writeMbtiles(out[phase], rendered.tiles, extent, `${code} ${phase}`);
    else await writeFile(out[phase], pmtilesBytes(rendered.tiles, extent, `${code} ${phase}`));
  }
  return { ...out, extent };
}
