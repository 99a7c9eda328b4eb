/**
 * The export for upload (成果上报): a batch's or a region's patches for a period, with their results
 * (determination, sub-type, areas, approvals, case and rectification), as a GeoPackage or a zipped
 * shapefile (.prj CGCS2000, .cpg UTF-8) in the provincial attribute schema (domain/export-schema.ts).
 * The rows are read page by page (keyset on the patch code, 500 at a time) inside one read-only
 * REPEATABLE READ transaction — the shapefile writer reads them twice and both passes see the same
 * snapshot — and written to a temporary file that the route streams out; nothing holds the whole result.
 * Military patches never go into it, for anyone: military land is reported separately through a classified
 * channel, never over the network (000 二(二); 002 三(三); 004 三(二)), and this file is made to be uploaded. A
 * holder of the classified-handling permission is told how many were withheld (`withheldMilitary`); nobody else
 * learns that they exist.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { and, asc, eq, gt, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import { patches } from '../../db/schema';
import { EXPORT_FIELDS, exportProperties, type ExportRow } from '../../domain/export-schema';
import type { Actor } from '../../domain/types';
import { writeGeoPackage, type PolygonGeometry } from '../../infra/geopackage-writer';
import { PRJ, writeShapefileZip } from '../../infra/shapefile-writer';
import { withinRegion } from '../visibility';

export const EXPORT_FORMATS = ['gpkg', 'shp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportQuery {
  regionCode: string;
  batchCode?: string;
  /** Patches issued in [from, to): instants, and the days (YYYY-MM-DD, Asia/Shanghai) they came from, for the file name. */
  from?: Date;
  to?: Date;
  days?: { from?: string; to?: string };
}

const PAGE = 500;

const columns = {
  code: patches.code,
  countyCode: patches.countyCode,
  category: patches.category,
  areaMu: patches.areaMu,
  farmlandMu: patches.farmlandMu,
  imagedAt: patches.imagedAt,
  centroid: patches.centroid,
  military: patches.military,
  batchCode: patches.batchCode,
  source: patches.source,
  issuedAt: patches.issuedAt,
  stage: patches.stage,
  legality: patches.legality,
  determination: patches.determination,
  determinedLevel: patches.determinedLevel,
  directDetermination: patches.directDetermination,
  rectified: patches.rectified,
  rectificationPath: patches.rectificationPath,
  parentCode: patches.parentCode,
  mergedFrom: patches.mergedFrom,
  mergedInto: patches.mergedInto,
  geometry: patches.geometry,
  // The patch's case (its latest, when a re-check opened another), as GET /patches/:code answers it.
  caseNo: sql<
    string | null
  >`coalesce(${patches.caseNo}, (select cp.case_no from case_patches cp where cp.patch_code = ${patches.code} order by cp.linked_at desc limit 1))`,
};

/** The region, batch and period of an export. */
function scope(q: ExportQuery): SQL[] {
  const where: SQL[] = [withinRegion(patches.countyCode, q.regionCode)];
  if (q.batchCode) where.push(eq(patches.batchCode, q.batchCode));
  if (q.from) where.push(gte(patches.issuedAt, q.from));
  if (q.to) where.push(lt(patches.issuedAt, q.to));
  return where;
}

/** How many military patches of the export's scope were left out (told only to a holder of the permission). */
async function withheldMilitary(tx: DbOrTx, actor: Actor, q: ExportQuery): Promise<number | undefined> {
  if (!actor.classified) return undefined;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(patches)
    .where(and(...scope(q), eq(patches.military, true)));
  return row?.n ?? 0;
}

/** The patches of the export (never a military one), page by page in code order. */
async function* exportRows(tx: DbOrTx, q: ExportQuery): AsyncGenerator<ExportRow & { geometry: unknown }> {
  const where: SQL[] = [...scope(q), eq(patches.military, false)];
  let after: string | undefined;
  for (;;) {
    // The page's codes first (from the index, without the geometries), then its rows: ordering the full rows
    // would read every geometry of the range for each page.
    const page = await tx
      .select({ code: patches.code })
      .from(patches)
      .where(and(...where, after === undefined ? undefined : gt(patches.code, after)))
      .orderBy(asc(patches.code))
      .limit(PAGE);
    if (page.length === 0) return;
    const rows = await tx
      .select(columns)
      .from(patches)
      .where(
        inArray(
          patches.code,
          page.map((p) => p.code),
        ),
      )
      .orderBy(asc(patches.code));
    for (const row of rows) yield row;
    if (page.length < PAGE) return;
    after = page[page.length - 1].code;
  }
}

const geometryOf = (row: { geometry: unknown }): PolygonGeometry | null => {
  const g = row.geometry as PolygonGeometry | null;
  return g && (g.type === 'Polygon' || g.type === 'MultiPolygon') ? g : null;
};

async function* features(tx: DbOrTx, q: ExportQuery) {
  for await (const row of exportRows(tx, q)) yield { geometry: geometryOf(row), properties: exportProperties(row) };
}

export interface ExportFile {
  stream: Readable;
  size: number;
  count: number;
  /** Military patches of the scope left out; only for a holder of the classified permission. */
  withheldMilitary?: number;
  fileName: string;
  contentType: string;
}

export function exportFileName(q: ExportQuery, format: ExportFormat): string {
  const what = q.batchCode ? `批次${q.batchCode}` : q.regionCode;
  const period = q.days?.from || q.days?.to ? `_${q.days.from ?? ''}至${q.days.to ?? ''}` : '';
  return `卫片图斑成果_${what}${period}.${format === 'gpkg' ? 'gpkg' : 'zip'}`;
}

/** Writes the export to a temporary file and answers a stream of it; the file goes when the stream closes. */
export async function exportPatches(db: Db, actor: Actor, q: ExportQuery, format: ExportFormat): Promise<ExportFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wpzf-export-'));
  try {
    const file = path.join(dir, format === 'gpkg' ? 'export.gpkg' : 'export.zip');
    const { count, withheld } = await db.transaction(
      async (tx) => ({
        count: await (format === 'gpkg'
          ? writeGeoPackage(file, features(tx, q), { table: 'wptb', fields: EXPORT_FIELDS, description: '卫片执法图斑成果' })
          : writeShapefileZip(file, () => features(tx, q), { name: 'wptb', prj: PRJ.cgcs2000, fields: EXPORT_FIELDS })),
        withheld: await withheldMilitary(tx, actor, q),
      }),
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const { size } = await stat(file);
    const stream = createReadStream(file);
    stream.once('close', () => void rm(dir, { recursive: true, force: true }));
    return {
      stream,
      size,
      count,
      withheldMilitary: withheld,
      fileName: exportFileName(q, format),
      contentType: format === 'gpkg' ? 'application/geopackage+sqlite3' : 'application/zip',
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
