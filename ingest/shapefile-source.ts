/**
 * A zipped shapefile as a feature source. The zip is opened with JSZip; the .shp and .dbf bytes are kept
 * (compact), but features are parsed a chunk at a time: the .shp record headers are walked once to find
 * where each record starts, and each chunk is a small .shp (the file header plus that run of records) and
 * a small .dbf (the header plus those rows) handed to shpjs's own parsers. Coordinates are left in the
 * file's system (no .prj handed to shpjs): the .prj is judged by crs.ts, which refuses what it cannot
 * convert instead of guessing.
 */
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { parseDbf, parseShp } from 'shpjs';
import { crsFromPrj } from './crs';
import { SourceError, type FeatureSource, type RawFeature } from './source-types';

const SHP_HEADER = 100;

/** Byte offset of every record in a .shp (walking the record headers: big-endian content length in 16-bit words). */
function recordOffsets(shp: Uint8Array): number[] {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const offsets: number[] = [];
  let offset = SHP_HEADER;
  while (offset + 8 <= shp.byteLength) {
    const length = view.getInt32(offset + 4) * 2;
    if (length < 0 || offset + 8 + length > shp.byteLength) throw new SourceError(`.shp 文件在第 ${offsets.length + 1} 条记录处损坏`, `.shp is corrupt at record ${offsets.length + 1}`);
    offsets.push(offset);
    offset += 8 + length;
  }
  return offsets;
}

interface DbfLayout {
  records: number;
  /** The header up to and including the field terminator, normalised (some writers pad it). */
  header: Uint8Array;
  dataStart: number;
  recordLength: number;
}

function dbfLayout(dbf: Uint8Array): DbfLayout {
  if (dbf.byteLength < 33) throw new SourceError('.dbf 文件过短', '.dbf is too short');
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const records = view.getUint32(4, true);
  const dataStart = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  let fieldsEnd = 32;
  while (fieldsEnd < dataStart && dbf[fieldsEnd] !== 0x0d) fieldsEnd += 32;
  // shpjs's dbf parser expects the rows right after the terminator: rebuild the header without padding.
  const header = new Uint8Array(fieldsEnd + 1);
  header.set(dbf.subarray(0, fieldsEnd));
  header[fieldsEnd] = 0x0d;
  new DataView(header.buffer).setUint16(8, fieldsEnd + 1, true);
  return { records, header, dataStart, recordLength };
}

/** The .dbf's text encoding: its .cpg, else the language driver byte (0x4D/0x7A: GBK, code page 936), else UTF-8. */
function dbfEncoding(dbf: Uint8Array, cpg: string | undefined): string | undefined {
  if (cpg?.trim()) return cpg.trim();
  const ldid = dbf[29];
  return ldid === 0x4d || ldid === 0x7a ? 'gbk' : undefined;
}

function dbfChunk(layout: DbfLayout, dbf: Uint8Array, from: number, to: number): Uint8Array {
  const rows = dbf.subarray(layout.dataStart + from * layout.recordLength, layout.dataStart + to * layout.recordLength);
  const out = new Uint8Array(layout.header.byteLength + rows.byteLength);
  out.set(layout.header);
  new DataView(out.buffer).setUint32(4, to - from, true);
  out.set(rows, layout.header.byteLength);
  return out;
}

function shpChunk(shp: Uint8Array, offsets: number[], from: number, to: number): Uint8Array {
  const start = offsets[from];
  const end = to < offsets.length ? offsets[to] : shp.byteLength;
  const out = new Uint8Array(SHP_HEADER + end - start);
  out.set(shp.subarray(0, SHP_HEADER));
  out.set(shp.subarray(start, end), SHP_HEADER);
  return out;
}

const base = (name: string) => name.replace(/\.[^./]+$/, '').toLowerCase();

export async function openShapefileZip(filePath: string): Promise<FeatureSource> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(await readFile(filePath));
  } catch (err) {
    throw new SourceError(`无法读取压缩包：${(err as Error).message}`, `cannot read the zip file: ${(err as Error).message}`);
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir && !f.name.includes('__MACOSX'));
  const shps = entries.filter((f) => /\.shp$/i.test(f.name));
  if (shps.length === 0) throw new SourceError('压缩包中没有 .shp 文件', 'the zip holds no .shp file');
  if (shps.length > 1) {
    throw new SourceError(`压缩包中有 ${shps.length} 个图层（${shps.map((s) => s.name).join('、')}），每次只能导入一个`, `the zip holds ${shps.length} layers (${shps.map((s) => s.name).join(', ')}); import one at a time`);
  }
  const layer = base(shps[0].name);
  const sibling = (ext: string) => entries.find((f) => base(f.name) === layer && f.name.toLowerCase().endsWith(ext));
  const dbfEntry = sibling('.dbf');
  if (!dbfEntry) throw new SourceError(`缺少 ${layer}.dbf 属性表`, `the attribute table ${layer}.dbf is missing`);
  const prj = await sibling('.prj')?.async('string');
  const crs = crsFromPrj(prj);
  const cpg = await sibling('.cpg')?.async('string');
  const shp = await shps[0].async('uint8array');
  const dbf = await dbfEntry.async('uint8array');
  const shapeType = new DataView(shp.buffer, shp.byteOffset, shp.byteLength).getInt32(32, true);
  if (![5, 15, 25].includes(shapeType)) {
    throw new SourceError(`图层的几何类型（shape type ${shapeType}）不是面，图斑应为面要素`, `the layer's shape type ${shapeType} is not a polygon type`);
  }
  const offsets = recordOffsets(shp);
  const layout = dbfLayout(dbf);
  if (layout.records !== offsets.length) {
    throw new SourceError(`.shp 有 ${offsets.length} 条记录而 .dbf 有 ${layout.records} 条，文件不一致`, `.shp has ${offsets.length} records but .dbf has ${layout.records}`);
  }
  if (offsets.length === 0) throw new SourceError('图层中没有要素', 'the layer holds no features');
  const encoding = dbfEncoding(dbf, cpg);

  return {
    format: 'shapefile',
    crs,
    total: offsets.length,
    async *chunks(from, size) {
      for (let start = from; start < offsets.length; start += size) {
        const end = Math.min(start + size, offsets.length);
        const geometries = parseShp(shpChunk(shp, offsets, start, end)) as unknown[];
        const rows = parseDbf(dbfChunk(layout, dbf, start, end), encoding) as Record<string, unknown>[];
        const chunk: RawFeature[] = [];
        for (let i = 0; i < end - start; i++) chunk.push({ seq: start + i, geometry: geometries[i] ?? null, properties: rows[i] ?? {} });
        yield chunk;
      }
    },
  };
}
