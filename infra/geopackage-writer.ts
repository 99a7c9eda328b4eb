/**
 * Writes a polygon layer as an OGC GeoPackage (1.3): a SQLite file (better-sqlite3) with the GeoPackage
 * tables (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns) and one feature table whose geometry
 * blobs are the GeoPackage header (magic, flags, SRS id, envelope) followed by the WKB that wkx writes.
 * Features are read from an (async) iterable and inserted in transactions of a few hundred, so a layer of
 * any size is written with bounded memory; the file is then streamed to the client from disk.
 */
import Database from 'better-sqlite3';
import wkx from 'wkx';

type Ring = number[][];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

export interface GpkgField {
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  label?: string;
}

export interface GpkgFeature {
  geometry: PolygonGeometry | null;
  properties: Record<string, string | number | boolean | null | undefined>;
}

/** CGCS2000 geographic (EPSG:4490), the coordinate system of the patches. */
export const CGCS2000 = {
  srsId: 4490,
  name: 'China Geodetic Coordinate System 2000',
  wkt: 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4490"]]',
};

const SQL_TYPES: Record<GpkgField['type'], string> = { C: 'TEXT', N: 'REAL', D: 'DATE', L: 'BOOLEAN' };
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The GeoPackage geometry blob (GeoPackage 1.3 §2.1.3): little-endian header with an XY envelope, then WKB. */
export function gpkgGeometry(geometry: PolygonGeometry, srsId: number): Buffer {
  const multi = geometry.type === 'Polygon' ? { type: 'MultiPolygon' as const, coordinates: [geometry.coordinates] } : geometry;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of multi.coordinates)
    for (const ring of polygon)
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
  const header = Buffer.alloc(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2); // version 1
  header.writeUInt8(0b0000_0011, 3); // envelope [minx, maxx, miny, maxy]; little-endian
  header.writeInt32LE(srsId, 4);
  [minX, maxX, minY, maxY].forEach((v, i) => {
    header.writeDoubleLE(v, 8 + 8 * i);
  });
  return Buffer.concat([header, wkx.Geometry.parseGeoJSON(multi).toWkb()]);
}

/** The GeoJSON geometry of a GeoPackage geometry blob (for reading an export back). */
export function geometryOfGpkg(blob: Buffer): unknown {
  const flags = blob.readUInt8(3);
  const envelopeBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0b111] ?? 0;
  return wkx.Geometry.parse(blob.subarray(8 + envelopeBytes)).toGeoJSON();
}

/** Writes `features` into a new GeoPackage at `outPath` as table `table`; answers the number written. */
export async function writeGeoPackage(
  outPath: string,
  features: AsyncIterable<GpkgFeature> | Iterable<GpkgFeature>,
  opts: { table: string; fields: GpkgField[]; description?: string; srs?: typeof CGCS2000 },
): Promise<number> {
  const srs = opts.srs ?? CGCS2000;
  const db = new Database(outPath);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma(`application_id = ${0x47504b47}`);
    db.pragma('user_version = 10300');
    db.exec(`
      CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
        organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
        description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
        srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
        CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
        CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
        CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    `);
    const srsRow = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srsRow.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null);
    srsRow.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null);
    srsRow.run(
      'WGS 84 geodetic',
      4326,
      'EPSG',
      4326,
      'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]',
      null,
    );
    if (srs.srsId !== 4326) srsRow.run(srs.name, srs.srsId, 'EPSG', srs.srsId, srs.wkt, null);
    const columns = opts.fields.map((f) => `${quote(f.name)} ${SQL_TYPES[f.type]}`).join(', ');
    db.exec(`CREATE TABLE ${quote(opts.table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON, ${columns})`);
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, ?, ?, ?, ?)').run(
      opts.table,
      'features',
      opts.table,
      opts.description ?? '',
      srs.srsId,
    );
    db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(opts.table, 'geom', 'MULTIPOLYGON', srs.srsId);
    const insert = db.prepare(
      `INSERT INTO ${quote(opts.table)} (geom, ${opts.fields.map((f) => quote(f.name)).join(', ')}) VALUES (?, ${opts.fields.map(() => '?').join(', ')})`,
    );
    const value = (f: GpkgField, v: unknown) => (v === undefined || v === null ? null : f.type === 'L' ? (v ? 1 : 0) : v);
    // The layer's extent [min x, min y, max x, max y], from each blob's envelope [min x, max x, min y, max y].
    const extent = [Infinity, Infinity, -Infinity, -Infinity];
    const insertMany = db.transaction((rows: GpkgFeature[]) => {
      for (const row of rows) {
        const blob = row.geometry ? gpkgGeometry(row.geometry, srs.srsId) : null;
        if (blob) {
          extent[0] = Math.min(extent[0], blob.readDoubleLE(8));
          extent[2] = Math.max(extent[2], blob.readDoubleLE(16));
          extent[1] = Math.min(extent[1], blob.readDoubleLE(24));
          extent[3] = Math.max(extent[3], blob.readDoubleLE(32));
        }
        insert.run(blob, ...opts.fields.map((f) => value(f, row.properties[f.name])));
      }
    });
    let pending: GpkgFeature[] = [];
    let n = 0;
    for await (const feature of features) {
      pending.push(feature);
      n++;
      if (pending.length >= 500) {
        insertMany(pending);
        pending = [];
      }
    }
    insertMany(pending);
    db.prepare('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?').run(
      ...(n && Number.isFinite(extent[0]) ? extent : [null, null, null, null]),
      opts.table,
    );
    return n;
  } finally {
    db.close();
  }
}
