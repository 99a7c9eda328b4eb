/**
 * Importing a reference layer (docs/domain.md §13) from a GeoJSON, a zipped Shapefile or a GeoPackage:
 * streamed a chunk at a time (GeoJSON and Shapefile from disk; a GeoPackage stepped row by row), each polygon
 * reprojected to CGCS2000 longitude/latitude as the patch import does, written with its bounding box (`box`,
 * GiST-indexed) in batches. A new version of the region's layer of that kind; measurements name it.
 */
import { bbox as turfBbox } from '@turf/turf';
import { open } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { areaMu } from '../domain/area';
import { APPROVAL_LAYER_KINDS, type LayerKind } from '../domain/layers';
import { CrsError } from './crs';
import { openGeoJson } from './geojson-source';
import { type AnySource, GPKG_MAGIC, openGeoPackage } from './geopackage-source';
import { importLimits } from './limits';
import { openShapefileZip } from './shapefile-source';
import { type Issue, SourceError } from './source-types';
import { calendarDateOf, readGeometry } from './validate';

/** Features of one layer file; a farmland layer of a county has tens to hundreds of thousands. LAYER_MAX_FEATURES. */
export const layerMaxFeatures = (env: NodeJS.ProcessEnv = process.env) => {
  const n = Number(env.LAYER_MAX_FEATURES);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 2_000_000;
};

/** Field names a document number or date is read from when the upload names none (批准文号, 备案编号, 供地…). */
export const DOCUMENT_NUMBER_FIELDS = ['PZWH', 'WH', 'BAWH', 'BABH', 'GDWH', 'HTBH', '批准文号', '文号', '备案编号', 'documentNumber'];
export const DOCUMENT_DATE_FIELDS = ['PZRQ', 'BARQ', 'GDRQ', 'QDRQ', '批准日期', '备案日期', '日期', 'date'];

export type LayerFormat = 'geojson' | 'shapefile' | 'geopackage';

export async function sniffLayerFormat(filePath: string): Promise<LayerFormat> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(16);
    await handle.read(head, 0, 16, 0);
    if (head.toString('latin1') === GPKG_MAGIC) return 'geopackage';
    return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04 ? 'shapefile' : 'geojson';
  } finally {
    await handle.close();
  }
}

export async function openLayerSource(filePath: string, maxFeatures = layerMaxFeatures()): Promise<AnySource> {
  const limits = { ...importLimits(), maxFeatures };
  try {
    const format = await sniffLayerFormat(filePath);
    if (format === 'geopackage') return await openGeoPackage(filePath, { maxFeatures });
    return format === 'shapefile' ? await openShapefileZip(filePath, { limits }) : await openGeoJson(filePath, limits);
  } catch (err) {
    if (err instanceof CrsError) throw new SourceError(err.message, err.messageEn);
    throw err;
  }
}

export interface LayerUpload {
  regionCode: string;
  kind: LayerKind;
  name: string;
  fileName?: string;
  createdBy?: number;
  documentNumberField?: string;
  documentDateField?: string;
}

export interface LayerImportResult {
  layerId: number;
  version: number;
  format: LayerFormat;
  featureCount: number;
  rejected: number;
  /** The polygons' summed area in mu (ellipsoidal, domain/area.ts). */
  totalMu: number;
  /** The first rejected features (seq and reason), at most 20. */
  rejections: { seq: number; issues: Issue[] }[];
}

const pick = (props: Record<string, unknown>, named: string | undefined, fallbacks: string[]) => {
  for (const f of named ? [named] : fallbacks) {
    const v = props[f];
    if (v !== undefined && v !== null && String(v).trim() !== '') return v;
  }
  return undefined;
};

/** A new version number for the region's layer of that kind, and its row (status importing). */
async function newVersion(db: Db, u: LayerUpload, format: LayerFormat): Promise<{ id: number; version: number }> {
  const rows = (await db.execute(sql`
    insert into reference_layers (region_code, kind, version, name, file_name, format, created_by)
    select ${u.regionCode}, ${u.kind}, coalesce(max(version), 0) + 1, ${u.name}, ${u.fileName ?? null}, ${format}, ${u.createdBy ?? null}
    from reference_layers where region_code = ${u.regionCode} and kind = ${u.kind}
    returning id, version`)) as unknown as { id: number; version: number }[];
  return rows[0];
}

/** One batch of polygons in one statement (unnest of parallel arrays: fast for a million rows). */
async function insertBatch(db: Db, layerId: number, rows: { bbox: string; geometry: string; doc: string | null; date: string | null }[]) {
  const col = (f: (r: (typeof rows)[number]) => string | null) => sql.param(rows.map(f));
  await db.execute(sql`
    insert into layer_features (layer_id, bbox, geometry, document_number, document_date)
    select ${layerId}, b::box, g::jsonb, d, t
    from unnest(${col((r) => r.bbox)}::text[], ${col((r) => r.geometry)}::text[], ${col((r) => r.doc)}::text[], ${col((r) => r.date)}::text[]) as u(b, g, d, t)`);
}

/** Imports a layer file as a new version; the version becomes the one in force when every polygon is written. */
export async function importLayer(db: Db, filePath: string, u: LayerUpload, opts: { chunkSize?: number; source?: AnySource } = {}): Promise<LayerImportResult> {
  const source = opts.source ?? (await openLayerSource(filePath));
  const format = source.format as LayerFormat;
  const { id, version } = await newVersion(db, u, format);
  const approvals = (APPROVAL_LAYER_KINDS as readonly string[]).includes(u.kind);
  let featureCount = 0;
  let rejected = 0;
  let totalMu = 0;
  const rejections: LayerImportResult['rejections'] = [];
  try {
    for await (const chunk of source.chunks(0, opts.chunkSize ?? 2000)) {
      const rows: Parameters<typeof insertBatch>[2] = [];
      for (const raw of chunk) {
        const { geometry, reasons } = readGeometry(raw, { crs: source.crs });
        if (!geometry) {
          rejected++;
          if (rejections.length < 20) rejections.push({ seq: raw.seq, issues: raw.error ? [raw.error] : reasons });
          continue;
        }
        const [minX, minY, maxX, maxY] = turfBbox(geometry);
        totalMu += areaMu(geometry);
        const doc = approvals ? pick(raw.properties, u.documentNumberField, DOCUMENT_NUMBER_FIELDS) : undefined;
        const date = approvals ? calendarDateOf(pick(raw.properties, u.documentDateField, DOCUMENT_DATE_FIELDS)) : undefined;
        rows.push({
          bbox: `(${maxX},${maxY}),(${minX},${minY})`,
          geometry: JSON.stringify(geometry),
          doc: doc === undefined ? null : String(doc),
          date: date ?? null,
        });
      }
      if (rows.length) await insertBatch(db, id, rows);
      featureCount += rows.length;
    }
  } catch (err) {
    await db.execute(sql`update reference_layers set status = 'failed', error = ${(err as Error).message}, finished_at = now() where id = ${id}`);
    throw err;
  }
  await db.execute(
    sql`update reference_layers set status = 'ready', feature_count = ${featureCount}, rejected = ${rejected}, total_mu = ${totalMu}, finished_at = now() where id = ${id}`,
  );
  return { layerId: id, version, format, featureCount, rejected, totalMu, rejections };
}
