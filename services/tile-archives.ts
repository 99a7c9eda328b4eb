/**
 * Tile archives as a batch's before/after imagery (内业比对, 004 三): PMTiles (v3) read with the `pmtiles`
 * library, MBTiles read with better-sqlite3. The kind of a file is told from its first bytes, not its name;
 * an archive's bounds and zoom levels come from its header (PMTiles) or its metadata table (MBTiles), and its
 * tiles are read here for the API's tiles route. Only raster tiles (PNG, JPEG, WebP) are imagery.
 */
import { open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { PMTiles, type RangeResponse, type Source, TileType } from 'pmtiles';

export type ImageryFormat = 'cog' | 'pmtiles' | 'mbtiles';

export class TileArchiveError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
  }
}

export interface TileArchiveInfo {
  west: number;
  south: number;
  east: number;
  north: number;
  minZoom: number;
  maxZoom: number;
}

/** The file's kind from its magic bytes: TIFF/BigTIFF, PMTiles, SQLite (MBTiles); null for anything else. */
export async function detectImageryFormat(file: string): Promise<ImageryFormat | null> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes.subarray(0, 7).toString('latin1') === 'PMTiles') return 'pmtiles';
    if (bytes.toString('latin1') === 'SQLite format 3\0') return 'mbtiles';
    const tiff = bytes.subarray(0, 4).toString('hex');
    if (['49492a00', '4d4d002a', '49492b00', '4d4d002b'].includes(tiff)) return 'cog';
    return null;
  } finally {
    await handle.close();
  }
}

/** A PMTiles source over a file on the server (the library's own sources are for browsers). */
class NodeFileSource implements Source {
  constructor(private readonly file: string) {}
  getKey() {
    return this.file;
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const handle = await open(this.file, 'r');
    try {
      const data = Buffer.alloc(length);
      const { bytesRead } = await handle.read(data, 0, length, offset);
      const out = new ArrayBuffer(bytesRead);
      new Uint8Array(out).set(data.subarray(0, bytesRead));
      return { data: out };
    } finally {
      await handle.close();
    }
  }
}

const RASTER_TYPES = new Map<number, string>([
  [TileType.Png, 'image/png'],
  [TileType.Jpeg, 'image/jpeg'],
  [TileType.Webp, 'image/webp'],
  [TileType.Avif, 'image/avif'],
]);
const MBTILES_FORMATS = new Map([
  ['png', 'image/png'],
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['webp', 'image/webp'],
]);

function checkedBounds(b: number[], zooms: [number, number], what: 'PMTiles' | 'MBTiles'): TileArchiveInfo {
  const [west, south, east, north] = b;
  if (![west, south, east, north].every(Number.isFinite) || west >= east || south >= north || west < -180 || east > 180 || south < -90 || north > 90)
    throw new TileArchiveError(`${what} 范围无效`, `the ${what} archive has no valid bounds`);
  const [minZoom, maxZoom] = zooms;
  if (!Number.isInteger(minZoom) || !Number.isInteger(maxZoom) || minZoom < 0 || maxZoom > 24 || minZoom > maxZoom)
    throw new TileArchiveError(`${what} 缩放级别无效`, `the ${what} archive has no valid zoom levels`);
  return { west, south, east, north, minZoom, maxZoom };
}

/** A PMTiles v3 archive's bounds and zooms, from its header; its root directory is read too (a broken one fails). */
export async function readPmtilesInfo(file: string): Promise<TileArchiveInfo> {
  let header: Awaited<ReturnType<PMTiles['getHeader']>>;
  try {
    header = await new PMTiles(new NodeFileSource(file)).getHeader();
  } catch {
    throw new TileArchiveError('PMTiles 文件已损坏或不是 v3 版本', 'the PMTiles archive is broken or not version 3');
  }
  if (header.specVersion !== 3) throw new TileArchiveError('PMTiles 须为 v3 版本', 'the PMTiles archive must be version 3');
  if (!RASTER_TYPES.has(header.tileType))
    throw new TileArchiveError('PMTiles 须为栅格瓦片（PNG、JPEG、WebP）', 'the PMTiles archive must hold raster tiles (PNG, JPEG, WebP)');
  return checkedBounds([header.minLon, header.minLat, header.maxLon, header.maxLat], [header.minZoom, header.maxZoom], 'PMTiles');
}

/** An MBTiles archive's bounds and zooms, from its metadata table (or, when absent there, from its tiles). */
export function readMbtilesInfo(file: string): TileArchiveInfo {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const meta = new Map((db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]).map((r) => [r.name, String(r.value)]));
    const format = (meta.get('format') ?? 'png').toLowerCase();
    if (!MBTILES_FORMATS.has(format))
      throw new TileArchiveError('MBTiles 须为栅格瓦片（PNG、JPEG、WebP）', 'the MBTiles archive must hold raster tiles (PNG, JPEG, WebP)');
    const range = db.prepare('SELECT min(zoom_level) AS lo, max(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    if (range.hi === null) throw new TileArchiveError('MBTiles 没有瓦片', 'the MBTiles archive holds no tiles');
    const zooms: [number, number] = [Number(meta.get('minzoom') ?? range.lo), Number(meta.get('maxzoom') ?? range.hi)];
    let bounds = meta.get('bounds')?.split(',').map(Number);
    if (!bounds) {
      // No bounds in the metadata: the extent of the tiles at the deepest zoom (rows are TMS, counted from the south).
      const z = range.hi;
      const t = db
        .prepare('SELECT min(tile_column) AS x0, max(tile_column) AS x1, min(tile_row) AS r0, max(tile_row) AS r1 FROM tiles WHERE zoom_level = ?')
        .get(z) as { x0: number; x1: number; r0: number; r1: number };
      const n = 2 ** z;
      const lng = (x: number) => (x / n) * 360 - 180;
      const lat = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
      bounds = [lng(t.x0), lat(n - t.r0), lng(t.x1 + 1), lat(n - 1 - t.r1)];
    }
    return checkedBounds(bounds, zooms, 'MBTiles');
  } catch (err) {
    if (err instanceof TileArchiveError) throw err;
    throw new TileArchiveError('MBTiles 文件已损坏或缺少 metadata/tiles 表', 'the MBTiles archive is broken or lacks its metadata/tiles tables');
  } finally {
    db?.close();
  }
}

export interface Tile {
  data: Uint8Array;
  contentType: string;
}

const archives = new Map<string, PMTiles>();
const sqlite = new Map<string, Database.Database>();
const MAX_OPEN = 32;

const remember = <T>(cache: Map<string, T>, key: string, make: () => T, close?: (v: T) => void) => {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_OPEN) {
      const [oldest, v] = cache.entries().next().value as [string, T];
      cache.delete(oldest);
      close?.(v);
    }
    value = make();
    cache.set(key, value);
  }
  return value;
};

/** One tile (XYZ numbering, y from the north) of an archive, or null where it has none. */
export async function readTile(format: ImageryFormat, file: string, z: number, x: number, y: number): Promise<Tile | null> {
  if (z < 0 || z > 30 || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) return null;
  if (format === 'pmtiles') {
    const archive = remember(archives, file, () => new PMTiles(new NodeFileSource(file)));
    const [header, tile] = await Promise.all([archive.getHeader(), archive.getZxy(z, x, y)]);
    return tile ? { data: new Uint8Array(tile.data), contentType: RASTER_TYPES.get(header.tileType) ?? 'application/octet-stream' } : null;
  }
  if (format === 'mbtiles') {
    const db = remember(
      sqlite,
      file,
      () => new Database(file, { readonly: true, fileMustExist: true }),
      (d) => d.close(),
    );
    // MBTiles stores TMS rows, counted from the south: flip the XYZ row.
    const row = db.prepare('SELECT tile_data AS data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?').get(z, x, 2 ** z - 1 - y) as
      | { data: Buffer }
      | undefined;
    if (!row) return null;
    const meta = db.prepare("SELECT value FROM metadata WHERE name = 'format'").get() as { value: string } | undefined;
    return { data: new Uint8Array(row.data), contentType: MBTILES_FORMATS.get((meta?.value ?? 'png').toLowerCase()) ?? 'image/png' };
  }
  return null;
}
