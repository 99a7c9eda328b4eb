/**
 * A small writer of zipped polygon shapefiles (.shp, .shx, .dbf, .prj, .cpg), for the synthetic batches
 * and the tests: no writer is installed, and the format is simple (ESRI Shapefile Technical Description,
 * 1998; dBase III for the attribute table). Strings are written as UTF-8 (declared in the .cpg), dates
 * ("YYYY-MM-DD" strings) as dBase dates, numbers as numeric fields. Outer rings are written clockwise,
 * holes counter-clockwise, as the format wants.
 */
import JSZip from 'jszip';

type Ring = number[][];
export interface ShapeFeature {
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] } | null;
  properties: Record<string, string | number | boolean | null | undefined>;
}

const signedArea = (ring: Ring) => {
  let s = 0;
  for (let i = 1; i < ring.length; i++) s += (ring[i][0] - ring[i - 1][0]) * (ring[i][1] + ring[i - 1][1]);
  return s; // > 0: clockwise
};
const oriented = (ring: Ring, clockwise: boolean) => ((signedArea(ring) > 0) === clockwise ? ring : [...ring].reverse());

function shapeRecord(geometry: ShapeFeature['geometry']): { content: Buffer; bbox?: number[] } {
  if (!geometry) {
    const content = Buffer.alloc(4);
    content.writeInt32LE(0, 0);
    return { content };
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const parts = polygons.flatMap((rings) => rings.map((ring, i) => oriented(ring, i === 0)));
  const points = parts.flat();
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const bbox = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const content = Buffer.alloc(44 + 4 * parts.length + 16 * points.length);
  content.writeInt32LE(5, 0);
  bbox.forEach((v, i) => content.writeDoubleLE(v, 4 + 8 * i));
  content.writeInt32LE(parts.length, 36);
  content.writeInt32LE(points.length, 40);
  let start = 0;
  parts.forEach((part, i) => {
    content.writeInt32LE(start, 44 + 4 * i);
    start += part.length;
  });
  const base = 44 + 4 * parts.length;
  points.forEach((p, i) => {
    content.writeDoubleLE(p[0], base + 16 * i);
    content.writeDoubleLE(p[1], base + 16 * i + 8);
  });
  return { content, bbox };
}

function fileHeader(lengthBytes: number, bbox: number[]): Buffer {
  const h = Buffer.alloc(100);
  h.writeInt32BE(9994, 0);
  h.writeInt32BE(lengthBytes / 2, 24);
  h.writeInt32LE(1000, 28);
  h.writeInt32LE(5, 32);
  bbox.forEach((v, i) => h.writeDoubleLE(v, 36 + 8 * i));
  return h;
}

interface Field {
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  length: number;
  decimals: number;
}

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

function fieldsOf(features: ShapeFeature[]): Field[] {
  const names = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  return names.map((name) => {
    if (Buffer.byteLength(name) > 10) throw new Error(`dBase field names have at most 10 bytes: ${name}`);
    const values = features.map((f) => f.properties[name]).filter((v) => v !== null && v !== undefined);
    if (values.length && values.every((v) => typeof v === 'boolean')) return { name, type: 'L', length: 1, decimals: 0 };
    if (values.length && values.every((v) => typeof v === 'number')) {
      const decimals = Math.min(8, Math.max(0, ...values.map((v) => (String(v).split('.')[1] ?? '').length)));
      return { name, type: 'N', length: 19, decimals };
    }
    if (values.length && values.every(isDate)) return { name, type: 'D', length: 8, decimals: 0 };
    return { name, type: 'C', length: Math.min(254, Math.max(1, ...values.map((v) => Buffer.byteLength(String(v))))), decimals: 0 };
  });
}

function dbfCell(field: Field, value: unknown): Buffer {
  const cell = Buffer.alloc(field.length, 0x20);
  if (value === null || value === undefined) return cell;
  let text: string;
  if (field.type === 'N') text = (value as number).toFixed(field.decimals).padStart(field.length);
  else if (field.type === 'D') text = String(value).replaceAll('-', '');
  else if (field.type === 'L') text = value ? 'T' : 'F';
  else text = String(value);
  const bytes = Buffer.from(text, 'utf8');
  bytes.copy(cell, 0, 0, Math.min(bytes.length, field.length));
  return cell;
}

function dbf(features: ShapeFeature[]): Buffer {
  const fields = fieldsOf(features);
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const header = Buffer.alloc(headerLength);
  const now = new Date();
  header.writeUInt8(0x03, 0);
  header.writeUInt8(now.getFullYear() - 1900, 1);
  header.writeUInt8(now.getMonth() + 1, 2);
  header.writeUInt8(now.getDate(), 3);
  header.writeUInt32LE(features.length, 4);
  header.writeUInt16LE(headerLength, 8);
  header.writeUInt16LE(recordLength, 10);
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    header.write(f.name, at, 'ascii');
    header.write(f.type, at + 11, 'ascii');
    header.writeUInt8(f.length, at + 16);
    header.writeUInt8(f.decimals, at + 17);
  });
  header.writeUInt8(0x0d, headerLength - 1);
  const records = features.map((feature) => Buffer.concat([Buffer.from(' '), ...fields.map((f) => dbfCell(f, feature.properties[f.name]))]));
  return Buffer.concat([header, ...records, Buffer.from([0x1a])]);
}

/** The .shp, .shx and .dbf bytes of a polygon layer. */
export function shapefileParts(features: ShapeFeature[]): { shp: Buffer; shx: Buffer; dbf: Buffer } {
  const records = features.map((f) => shapeRecord(f.geometry));
  const boxes = records.map((r) => r.bbox).filter((b): b is number[] => !!b);
  const bbox = boxes.length
    ? [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
    : [0, 0, 0, 0];
  const shpBodies: Buffer[] = [];
  const shxBodies: Buffer[] = [];
  let offset = 100;
  records.forEach((r, i) => {
    const head = Buffer.alloc(8);
    head.writeInt32BE(i + 1, 0);
    head.writeInt32BE(r.content.length / 2, 4);
    shpBodies.push(head, r.content);
    const index = Buffer.alloc(8);
    index.writeInt32BE(offset / 2, 0);
    index.writeInt32BE(r.content.length / 2, 4);
    shxBodies.push(index);
    offset += 8 + r.content.length;
  });
  const shp = Buffer.concat([fileHeader(offset, bbox), ...shpBodies]);
  const shx = Buffer.concat([fileHeader(100 + 8 * records.length, bbox), ...shxBodies]);
  return { shp, shx, dbf: dbf(features) };
}

/** A zipped shapefile; `prj` is the .prj's WKT (omitted when undefined, to test its absence). */
export async function shapefileZip(features: ShapeFeature[], opts: { name?: string; prj?: string }): Promise<Buffer> {
  const name = opts.name ?? 'patches';
  const { shp, shx, dbf: table } = shapefileParts(features);
  const zip = new JSZip();
  zip.file(`${name}.shp`, shp);
  zip.file(`${name}.shx`, shx);
  zip.file(`${name}.dbf`, table);
  zip.file(`${name}.cpg`, 'UTF-8');
  if (opts.prj !== undefined) zip.file(`${name}.prj`, opts.prj);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** .prj texts as ArcGIS writes them. */
export const PRJ = {
  cgcs2000: 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  wgs84: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  /** CGCS2000 3° Gauss-Krüger with the zone number in the false easting (EPSG:4515 for zone 27 and so on). */
  cgcs2000Gk3: (zone: number) =>
    `PROJCS["CGCS2000_3_Degree_GK_Zone_${zone}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${zone}500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${zone * 3}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
  xian80Gk3: (zone: number) =>
    `PROJCS["Xian_1980_3_Degree_GK_Zone_${zone}",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${zone}500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${zone * 3}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
};
