/**
 * Imagery for 内业比对 (000 一: the ministry sends "卫星原始影像和卫片执法图斑矢量数据" together; 004 三):
 * a batch's before/after rasters (前时相/后时相), each a Cloud-Optimized GeoTIFF or a tile archive (PMTiles v3,
 * MBTiles) — a chip for one patch
 * (patchCode set) or a whole scene for the batch (patchCode null) — uploaded with the batch or referenced
 * by a path on the server; and a region's own imagery services (WMTS/XYZ, e.g. 天地图 with its key).
 */
import { doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { batches, patches, regions, users } from './core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const imagery = pgTable(
  'imagery',
  {
    id: serial('id').primaryKey(),
    batchCode: text('batch_code')
      .notNull()
      .references(() => batches.code),
    /** A chip for this patch; null: a scene for every patch of the batch it covers. */
    patchCode: text('patch_code').references(() => patches.code),
    phase: text('phase').notNull(), // before | after (前时相 | 后时相)
    format: text('format').notNull(), // cog | pmtiles | mbtiles (a tile archive of PNG/JPEG/WebP tiles)
    /** The file: stored under the imagery folder (uploaded) or a path on the server (referenced). */
    path: text('path').notNull(),
    size: integer('size').notNull(),
    imagedAt: ts('imaged_at'),
    /** The raster's extent in CGCS2000 longitude/latitude, read from the file. */
    west: doublePrecision('west').notNull(),
    south: doublePrecision('south').notNull(),
    east: doublePrecision('east').notNull(),
    north: doublePrecision('north').notNull(),
    /** A tile archive's zoom levels (its header or metadata); null for a GeoTIFF. */
    minZoom: integer('min_zoom'),
    maxZoom: integer('max_zoom'),
    source: text('source'),
    uploadedBy: integer('uploaded_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('imagery_patch_idx').on(t.patchCode), index('imagery_batch_idx').on(t.batchCode)],
);

/** A region's imagery services (WMTS/XYZ tile templates with attribution), set by its administrators. */
export const regionImageryServices = pgTable('region_imagery_services', {
  regionCode: varchar('region_code', { length: 6 })
    .primaryKey()
    .references(() => regions.code),
  /** [{ name, url, attribution, phase? }] — url an XYZ/WMTS-KVP template with {z}/{x}/{y}. */
  services: jsonb('services').notNull(),
  updatedBy: integer('updated_by').references(() => users.id),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
