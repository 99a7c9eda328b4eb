/**
 * Reference layers (docs/domain.md §13), versioned per region and kind, their polygons indexed by a
 * PostgreSQL `box` (the polygon's bounding box) with a GiST index: candidates by `&&`, the exact intersection in
 * the worker (turf / polyclip-ts). No PostGIS: the embedded PostgreSQL `npm start` provides has none.
 * Measurements name the layer versions they used.
 */
import { sql } from 'drizzle-orm';
import { bigserial, customType, doublePrecision, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** PostgreSQL's geometric `box`, written and read as text "(x2,y2),(x1,y1)". */
const box = customType<{ data: string; driverData: string }>({ dataType: () => 'box' });

export const referenceLayers = pgTable(
  'reference_layers',
  {
    id: serial('id').primaryKey(),
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    kind: text('kind').notNull(), // domain/layers.ts LAYER_KINDS
    version: integer('version').notNull(),
    name: text('name').notNull(),
    fileName: text('file_name'),
    format: text('format').notNull(), // geojson | shapefile | geopackage | synthetic
    status: text('status').notNull().default('importing'), // importing | ready | failed
    featureCount: integer('feature_count').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** The polygons' summed ellipsoidal area in mu (domain/area.ts; overlaps counted twice), for the administrators' list. */
    totalMu: doublePrecision('total_mu').notNull().default(0),
    error: text('error'),
    createdBy: integer('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [uniqueIndex('reference_layers_version_uq').on(t.regionCode, t.kind, t.version)],
);

export const layerFeatures = pgTable(
  'layer_features',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    layerId: integer('layer_id').notNull(),
    bbox: box('bbox').notNull(),
    /** Polygon or MultiPolygon in CGCS2000 longitude/latitude. */
    geometry: jsonb('geometry').notNull(),
    /** Approval layers: 文号 and date (YYYY-MM-DD). */
    documentNumber: text('document_number'),
    documentDate: text('document_date'),
  },
  (t) => [index('layer_features_bbox_gist').using('gist', t.bbox), index('layer_features_layer_idx').on(t.layerId)],
);

/** A patch's measurement on issuance, written once (the activity is idempotent: a retry reads the row back). */
export const patchMeasurements = pgTable('patch_measurements', {
  patchCode: text('patch_code').primaryKey(),
  totalMu: doublePrecision('total_mu').notNull(),
  farmlandMu: doublePrecision('farmland_mu').notNull(),
  basicFarmlandMu: doublePrecision('basic_farmland_mu').notNull(),
  redLineMu: doublePrecision('red_line_mu').notNull(),
  urbanBoundaryMu: doublePrecision('urban_boundary_mu').notNull(),
  approvals: jsonb('approvals').notNull().default(sql`'[]'::jsonb`),
  layers: jsonb('layers').notNull().default(sql`'[]'::jsonb`),
  measuredAt: ts('measured_at').notNull().defaultNow(),
});
