/**
 * A small writer of zipped polygon shapefiles (.shp, .shx, .dbf, .prj, .cpg), for the export for upload
 * (成果上报), the synthetic batches and the tests. The maintained JavaScript writer (@mapbox/shp-write) builds
 * the whole layer in memory, so it cannot write a region of any size; this one streams, and the format is simple (ESRI Shapefile Technical Description,
 * 1998; dBase III for the attribute table). Strings are written as UTF-8 (declared in the .cpg), dates
 * ("YYYY-MM-DD" strings) as dBase dates, numbers as numeric fields. Outer rings are written clockwise,
 * holes counter-clockwise, as the format wants. Small layers are built in memory (shapefileZip); large
 * ones are written in two passes over the features and zipped from disk with yazl (writeShapefileZip).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import yazl from 'yazl';

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
const oriented = (ring: Ring, clockwise: boolean) => (signedArea(ring) > 0 === clockwise ? ring : [...ring].reverse());

function shapeRecord(geometry: ShapeFeature['geometry']): { content: Buffer; bbox?: number[] } {
  if (!geometry) {
    const content = Buffer.alloc(4);
    content.writeInt32LE(0, 0);
    return { content };
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const parts = polygons.flatMap((rings) => rings.map((ring, i) => oriented(ring, i === 0)));
  const points = parts.flat();
  // A loop, not Math.min(...xs): a polygon of 200k vertices would overflow the call stack.
  const bbox = points.reduce(
    (b, p) => [Math.min(b[0], p[0]), Math.min(b[1], p[1]), Math.max(b[2], p[0]), Math.max(b[3], p[1])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  const content = Buffer.alloc(44 + 4 * parts.length + 16 * points.length);
  content.writeInt32LE(5, 0);
  bbox.forEach((v, i) => {
    content.writeDoubleLE(v, 4 + 8 * i);
  });
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
  bbox.forEach((v, i) => {
    h.writeDoubleLE(v, 36 + 8 * i);
  });
  return h;
}

export interface Field {
  name: string;
  type: 'C' | 'N' | 'D' | 'L';
  length: number;
  decimals: number;
}

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The dBase fields the features need, seen one feature at a time (so that a large layer need not be held). */
class FieldScanner {
  private readonly seen = new Map<string, { count: number; booleans: number; numbers: number; dates: number; decimals: number; bytes: number }>();

  add(properties: ShapeFeature['properties']) {
    for (const [name, v] of Object.entries(properties)) {
      const s = this.seen.get(name) ?? { count: 0, booleans: 0, numbers: 0, dates: 0, decimals: 0, bytes: 1 };
      this.seen.set(name, s);
      if (v === null || v === undefined) continue;
      s.count++;
      if (typeof v === 'boolean') s.booleans++;
      if (typeof v === 'number') {
        s.numbers++;
        s.decimals = Math.max(s.decimals, (String(v).split('.')[1] ?? '').length);
      }
      if (isDate(v)) s.dates++;
      s.bytes = Math.max(s.bytes, Buffer.byteLength(String(v)));
    }
  }

  fields(): Field[] {
    return [...this.seen.entries()].map(([name, s]) => {
      if (Buffer.byteLength(name) > 10) throw new Error(`dBase field names have at most 10 bytes: ${name}`);
      if (s.count && s.booleans === s.count) return { name, type: 'L', length: 1, decimals: 0 };
      if (s.count && s.numbers === s.count) return { name, type: 'N', length: 19, decimals: Math.min(8, s.decimals) };
      if (s.count && s.dates === s.count) return { name, type: 'D', length: 8, decimals: 0 };
      return { name, type: 'C', length: Math.min(254, s.bytes), decimals: 0 };
    });
  }
}

function fieldsOf(features: ShapeFeature[]): Field[] {
  const scanner = new FieldScanner();
  for (const f of features) scanner.add(f.properties);
  return scanner.fields();
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
  // Cut a text longer than the field at a character boundary (not inside a UTF-8 sequence).
  let end = Math.min(bytes.length, field.length);
  if (end < bytes.length) while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  bytes.copy(cell, 0, 0, end);
  return cell;
}

function dbfHeader(fields: Field[], records: number): Buffer {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const header = Buffer.alloc(headerLength);
  const now = new Date();
  header.writeUInt8(0x03, 0);
  header.writeUInt8(now.getFullYear() - 1900, 1);
  header.writeUInt8(now.getMonth() + 1, 2);
  header.writeUInt8(now.getDate(), 3);
  header.writeUInt32LE(records, 4);
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
  return header;
}

const dbfRecord = (fields: Field[], feature: ShapeFeature) => Buffer.concat([Buffer.from(' '), ...fields.map((f) => dbfCell(f, feature.properties[f.name]))]);

function dbf(features: ShapeFeature[]): Buffer {
  const fields = fieldsOf(features);
  return Buffer.concat([dbfHeader(fields, features.length), ...features.map((f) => dbfRecord(fields, f)), Buffer.from([0x1a])]);
}

const unionBox = (a: number[] | undefined, b: number[]) => (a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b);

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
  cgcs2000:
    'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  wgs84: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
  /** CGCS2000 3° Gauss-Krüger with the zone number in the false easting (EPSG:4515 for zone 27 and so on). */
  cgcs2000Gk3: (zone: number) =>
    `PROJCS["CGCS2000_3_Degree_GK_Zone_${zone}",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${zone}500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${zone * 3}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
  xian80Gk3: (zone: number) =>
    `PROJCS["Xian_1980_3_Degree_GK_Zone_${zone}",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${zone}500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${zone * 3}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
};

/**
 * Writes a large layer as a zipped shapefile without holding it: `features` is called twice (a
 * deterministic generator, or an async one reading the database page by page), once to learn the fields, the extent and the sizes, once to write the .shp,
 * .shx and .dbf to a temporary folder, which yazl then zips into `outPath` (deflated) and which is removed.
 */
export async function writeShapefileZip(
  outPath: string,
  features: () => Iterable<ShapeFeature> | AsyncIterable<ShapeFeature>,
  opts: { name?: string; prj?: string /** A fixed attribute table (else learnt from the features). */; fields?: Field[] } = {},
): Promise<number> {
  const name = opts.name ?? 'patches';
  const scanner = new FieldScanner();
  let bbox: number[] | undefined;
  let shpLength = 100;
  let n = 0;
  for await (const f of features()) {
    if (!opts.fields) scanner.add(f.properties);
    const r = shapeRecord(f.geometry);
    if (r.bbox) bbox = unionBox(bbox, r.bbox);
    shpLength += 8 + r.content.length;
    n++;
  }
  const fields = opts.fields ?? scanner.fields();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wpzf-shpw-'));
  try {
    const file = (ext: string) => path.join(dir, `${name}.${ext}`);
    // 1 MiB buffers: with the default 16 KiB nearly every record waited for a disk write of its own.
    const open = (ext: string) => createWriteStream(file(ext), { highWaterMark: 1 << 20 });
    const streams = { shp: open('shp'), shx: open('shx'), dbf: open('dbf') };
    const write = async (out: WriteStream, bytes: Buffer) => {
      if (!out.write(bytes)) await once(out, 'drain');
    };
    await write(streams.shp, fileHeader(shpLength, bbox ?? [0, 0, 0, 0]));
    await write(streams.shx, fileHeader(100 + 8 * n, bbox ?? [0, 0, 0, 0]));
    await write(streams.dbf, dbfHeader(fields, n));
    let offset = 100;
    let i = 0;
    for await (const f of features()) {
      const r = shapeRecord(f.geometry);
      const head = Buffer.alloc(8);
      head.writeInt32BE(++i, 0);
      head.writeInt32BE(r.content.length / 2, 4);
      await write(streams.shp, Buffer.concat([head, r.content]));
      const index = Buffer.alloc(8);
      index.writeInt32BE(offset / 2, 0);
      index.writeInt32BE(r.content.length / 2, 4);
      await write(streams.shx, index);
      await write(streams.dbf, dbfRecord(fields, f));
      offset += 8 + r.content.length;
    }
    if (i !== n) throw new Error(`the features changed between the passes: ${n}, then ${i}`);
    await write(streams.dbf, Buffer.from([0x1a]));
    await Promise.all(
      Object.values(streams).map(async (s) => {
        s.end();
        await once(s, 'finish');
      }),
    );
    const zip = new yazl.ZipFile();
    for (const ext of ['shp', 'shx', 'dbf']) zip.addFile(file(ext), `${name}.${ext}`);
    zip.addBuffer(Buffer.from('UTF-8'), `${name}.cpg`);
    if (opts.prj !== undefined) zip.addBuffer(Buffer.from(opts.prj), `${name}.prj`);
    const out = createWriteStream(outPath);
    zip.outputStream.pipe(out);
    zip.end();
    await once(out, 'close');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return n;
}
