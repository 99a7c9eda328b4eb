/** A minimal GeoPackage (OGC 12-128) written with sql.js and wkx, to test the layer upload's reader with. */
import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import wkx from 'wkx';

const require = createRequire(import.meta.url);

export interface GpkgFeature {
  geometry: object;
  properties: Record<string, string | number>;
}

/** GeoPackage binary: "GP", version 0, flags (little-endian, no envelope), srs_id, then WKB. */
const gpkgBlob = (geometry: object, srsId: number) => {
  const header = Buffer.alloc(8);
  header.write('GP', 0, 'latin1');
  header[2] = 0;
  header[3] = 0b0000_0001;
  header.writeInt32LE(srsId, 4);
  return new Uint8Array(Buffer.concat([header, wkx.Geometry.parseGeoJSON(geometry).toWkb()]));
};

export async function geoPackage(features: GpkgFeature[], opts: { srsId?: number; table?: string; fields?: string[] } = {}): Promise<Buffer> {
  const SQL = await initSqlJs({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
  const db = new SQL.Database();
  const srsId = opts.srsId ?? 4490;
  const table = opts.table ?? 'layer';
  const fields = opts.fields ?? [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  db.run(`
    create table gpkg_spatial_ref_sys (srs_name text not null, srs_id integer primary key, organization text not null, organization_coordsys_id integer not null, definition text not null, description text);
    create table gpkg_contents (table_name text primary key, data_type text not null, identifier text, description text default '', last_change text, min_x double, min_y double, max_x double, max_y double, srs_id integer);
    create table gpkg_geometry_columns (table_name text not null, column_name text not null, geometry_type_name text not null, srs_id integer not null, z tinyint not null, m tinyint not null);
    insert into gpkg_spatial_ref_sys values ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', null);
    insert into gpkg_spatial_ref_sys values ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]', null);
    insert into gpkg_contents (table_name, data_type, identifier, srs_id) values ('${table}', 'features', '${table}', ${srsId});
    insert into gpkg_geometry_columns values ('${table}', 'geom', 'MULTIPOLYGON', ${srsId}, 0, 0);
    create table "${table}" (fid integer primary key autoincrement, geom blob${fields.map((f) => `, "${f}" text`).join('')});
  `);
  const stmt = db.prepare(`insert into "${table}" (geom${fields.map((f) => `, "${f}"`).join('')}) values (?${fields.map(() => ', ?').join('')})`);
  for (const f of features) stmt.run([gpkgBlob(f.geometry, srsId), ...fields.map((k) => (f.properties[k] === undefined ? null : String(f.properties[k])))]);
  stmt.free();
  const bytes = Buffer.from(db.export());
  db.close();
  return bytes;
}
