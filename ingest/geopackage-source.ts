/**
 * Reading a GeoPackage (OGC 12-128r18) as a feature source: the SQLite file opened with sql.js (SQLite compiled
 * to WebAssembly, no native build), the first features table of gpkg_contents, its geometry column's
 * GeoPackage binary (the "GP" header, then standard WKB, parsed by wkx), its SRS from gpkg_spatial_ref_sys.
 * sql.js holds the database in memory, so the file's size is bounded (LAYER_MAX_GPKG_BYTES); rows are stepped
 * one at a time, and a chunk at a time handed on.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import wkx from 'wkx';
import { CGCS2000, cgcs2000ByEpsg, type Crs, CrsError, crsFromPrj } from './crs';
import { mib } from './limits';
import { SourceError, type FeatureSource, type RawFeature } from './source-types';

/** A feature source of any format the layer upload takes. */
export type AnySource = Omit<FeatureSource, 'format'> & { format: FeatureSource['format'] | 'geopackage' };

export const GPKG_MAGIC = 'SQLite format 3\0';

let sqlJs: Promise<SqlJsStatic> | undefined;
const require = createRequire(import.meta.url);
/** The WebAssembly build shipped in the package: loaded from node_modules, never fetched. */
const engine = () => (sqlJs ??= initSqlJs({ locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`) }));

export const maxGeoPackageBytes = (env: NodeJS.ProcessEnv = process.env) => {
  const n = Number(env.LAYER_MAX_GPKG_BYTES);
  return Number.isFinite(n) && n > 0 ? n : 512 * 1024 * 1024;
};

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function one<T>(db: Database, query: string, params: (string | number)[] = []): T | undefined {
  const stmt = db.prepare(query, params);
  try {
    return stmt.step() ? (stmt.getAsObject() as T) : undefined;
  } finally {
    stmt.free();
  }
}

/** The WKB inside a GeoPackage geometry blob (its header: magic, version, flags, srs_id, envelope). */
export function wkbOf(blob: Uint8Array): Buffer {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no "GP" header)');
  const envelope = (blob[3] >> 1) & 0b111;
  const envelopeBytes = [0, 32, 48, 48, 64][envelope];
  if (envelopeBytes === undefined) throw new Error(`invalid envelope indicator ${envelope}`);
  return Buffer.from(blob.buffer, blob.byteOffset + 8 + envelopeBytes, blob.length - 8 - envelopeBytes);
}

function crsOf(db: Database, srsId: number): Crs {
  const srs = one<{ organization: string; organization_coordsys_id: number; definition: string }>(
    db,
    'select organization, organization_coordsys_id, definition from gpkg_spatial_ref_sys where srs_id = ?',
    [srsId],
  );
  if (!srs) return CGCS2000;
  if (String(srs.organization).toUpperCase() === 'EPSG') {
    const known = cgcs2000ByEpsg(Number(srs.organization_coordsys_id));
    if (known) return known;
  }
  return crsFromPrj(srs.definition);
}

export async function openGeoPackage(filePath: string, opts: { maxFeatures: number }): Promise<AnySource> {
  const size = (await stat(filePath)).size;
  const max = maxGeoPackageBytes();
  if (size > max) throw new SourceError(`GeoPackage 文件 ${mib(size)}，超过上限 ${mib(max)}`, `the GeoPackage is ${mib(size)}, over the limit of ${mib(max)}`);
  const SQL = await engine();
  let db: Database;
  try {
    db = new SQL.Database(await readFile(filePath));
    one(db, 'select count(*) from sqlite_master');
  } catch (err) {
    throw new SourceError(
      `不是可读的 GeoPackage（SQLite）文件：${(err as Error).message}`,
      `not a readable GeoPackage (SQLite) file: ${(err as Error).message}`,
    );
  }
  const table = one<{ table_name: string; column_name: string; srs_id: number }>(
    db,
    "select c.table_name, g.column_name, g.srs_id from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name where c.data_type = 'features' order by c.table_name limit 1",
  );
  if (!table) {
    db.close();
    throw new SourceError('GeoPackage 中没有要素表（gpkg_contents 中无 features）', 'the GeoPackage holds no features table (no "features" in gpkg_contents)');
  }
  let crs: Crs;
  try {
    crs = crsOf(db, Number(table.srs_id));
  } catch (err) {
    db.close();
    if (err instanceof CrsError) throw new SourceError(err.message, err.messageEn);
    throw err;
  }
  const total = Number(one<{ n: number }>(db, `select count(*) as n from ${ident(table.table_name)}`)?.n ?? 0);
  if (total > opts.maxFeatures) {
    db.close();
    throw new SourceError(
      `文件中的要素多于上限 ${opts.maxFeatures} 个，请分批导入`,
      `the file holds more than ${opts.maxFeatures} features, the limit; split it into several imports`,
    );
  }
  const geomColumn = table.column_name;
  return {
    format: 'geopackage',
    crs,
    total,
    async *chunks(from: number, size: number): AsyncGenerator<RawFeature[]> {
      const stmt = db.prepare(`select * from ${ident(table.table_name)} limit -1 offset ?`, [from]);
      try {
        let chunk: RawFeature[] = [];
        for (let seq = from; stmt.step(); seq++) {
          const row = stmt.getAsObject();
          const { [geomColumn]: blob, ...properties } = row;
          let feature: RawFeature;
          try {
            if (!(blob instanceof Uint8Array)) throw new Error('no geometry');
            feature = { seq, geometry: wkx.Geometry.parse(wkbOf(blob)).toGeoJSON(), properties };
          } catch (err) {
            feature = { seq, geometry: null, properties, error: { rule: 'geometry_unreadable', params: { detail: (err as Error).message } } };
          }
          chunk.push(feature);
          if (chunk.length >= size) {
            yield chunk;
            chunk = [];
          }
        }
        if (chunk.length) yield chunk;
      } finally {
        stmt.free();
        db.close();
      }
    },
  };
}
