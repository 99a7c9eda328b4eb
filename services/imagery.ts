/**
 * Imagery for 内业比对 (000 一, 004 三): reading a GeoTIFF's extent with geotiff.js (no hand-written decoding)
 * or a tile archive's (services/tile-archives.ts), and recording before/after imagery of a batch — a chip for
 * one patch or a scene for the batch.
 * Rasters are georeferenced in CGCS2000 (EPSG:4490) or WGS 84 (EPSG:4326) longitude/latitude.
 */
import { stat } from 'node:fs/promises';
import { fromFile } from 'geotiff';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { batches, imagery } from '../db/schema';
import { detectImageryFormat, readMbtilesInfo, readPmtilesInfo, TileArchiveError } from './tile-archives';

export type ImageryPhase = 'before' | 'after';

/** Geographic CRSs whose coordinates are longitude/latitude in degrees (CGCS2000, WGS 84). */
const GEOGRAPHIC = new Set([4490, 4326]);

export class ImageryFileError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
    /** invalid_geotiff, or invalid_tile_archive for a broken PMTiles/MBTiles. */
    readonly code = 'invalid_geotiff',
  ) {
    super(message);
  }
}

/** The extent (and, for a tile archive, zooms) of a GeoTIFF, PMTiles or MBTiles file, its kind told from its content. */
export async function readImageryExtent(file: string) {
  const format = await detectImageryFormat(file).catch(() => null);
  if (format === null)
    throw new ImageryFileError(
      '不是 GeoTIFF、PMTiles 或 MBTiles 影像文件',
      'not a GeoTIFF, PMTiles or MBTiles file',
      /\.(pmtiles|mbtiles)$/i.test(file) ? 'invalid_tile_archive' : 'invalid_geotiff',
    );
  if (format === 'cog') {
    const extent = await readRasterExtent(file);
    return { format: 'cog' as const, ...extent, minZoom: null, maxZoom: null };
  }
  try {
    const info = format === 'pmtiles' ? await readPmtilesInfo(file) : readMbtilesInfo(file);
    return { format, ...info };
  } catch (err) {
    if (err instanceof TileArchiveError) throw new ImageryFileError(err.message, err.messageEn, 'invalid_tile_archive');
    throw err;
  }
}

export interface RasterExtent {
  west: number;
  south: number;
  east: number;
  north: number;
  width: number;
  height: number;
}

/** The extent of a GeoTIFF in longitude/latitude; refuses files that are not a georeferenced geographic GeoTIFF. */
export async function readRasterExtent(file: string): Promise<RasterExtent> {
  let tiff: Awaited<ReturnType<typeof fromFile>>;
  try {
    tiff = await fromFile(file);
  } catch {
    throw new ImageryFileError('不是 GeoTIFF 文件', 'not a GeoTIFF file');
  }
  try {
    const image = await tiff.getImage();
    const keys = (image.getGeoKeys() ?? {}) as Record<string, number | undefined>;
    const epsg = keys.GeographicTypeGeoKey ?? keys.ProjectedCSTypeGeoKey;
    if (!epsg || !GEOGRAPHIC.has(epsg)) {
      throw new ImageryFileError(
        `影像坐标系须为 CGCS2000 经纬度（EPSG:4490）或 WGS 84（EPSG:4326），此文件为 ${epsg ?? '未知'}`,
        `imagery must be in CGCS2000 (EPSG:4490) or WGS 84 (EPSG:4326) longitude/latitude; this file is in ${epsg ?? 'an unknown CRS'}`,
      );
    }
    const [west, south, east, north] = image.getBoundingBox();
    if (![west, south, east, north].every(Number.isFinite) || west >= east || south >= north || west < -180 || east > 180 || south < -90 || north > 90) {
      throw new ImageryFileError('影像范围无效', 'the raster has no valid extent');
    }
    return { west, south, east, north, width: image.getWidth(), height: image.getHeight() };
  } catch (err) {
    if (err instanceof ImageryFileError) throw err;
    throw new ImageryFileError('GeoTIFF 缺少地理参考', 'the GeoTIFF has no georeferencing');
  } finally {
    tiff.close?.();
  }
}

export interface ImageryEntry {
  batchCode: string;
  patchCode?: string | null;
  phase: ImageryPhase;
  /** Absolute path of the stored or referenced file. */
  path: string;
  imagedAt?: Date | null;
  source?: string | null;
  uploadedBy?: number | null;
}

/** Records a raster or tile archive for a batch (its extent read from the file). The batch row must exist. */
export async function recordImagery(db: Db, entry: ImageryEntry) {
  const extent = await readImageryExtent(entry.path);
  const { size } = await stat(entry.path);
  const [batch] = await db.select({ imagedAt: batches.imagedAt }).from(batches).where(eq(batches.code, entry.batchCode));
  const [row] = await db
    .insert(imagery)
    .values({
      batchCode: entry.batchCode,
      patchCode: entry.patchCode ?? null,
      phase: entry.phase,
      format: extent.format,
      minZoom: extent.minZoom,
      maxZoom: extent.maxZoom,
      path: entry.path,
      size,
      // The after-image's date is the batch's imaging date unless the file's own is given.
      imagedAt: entry.imagedAt ?? (entry.phase === 'after' ? (batch?.imagedAt ?? null) : null),
      west: extent.west,
      south: extent.south,
      east: extent.east,
      north: extent.north,
      source: entry.source ?? null,
      uploadedBy: entry.uploadedBy ?? null,
    })
    .returning();
  return row;
}
