/**
 * A zipped shapefile as a feature source, in bounded memory whatever the file's size. The zip is read with
 * yauzl (its central directory, then one entry at a time as a stream): opening streams the .shp once to
 * walk its record headers (where each record starts, and that the file is whole) and reads only the
 * headers of the .dbf, the .prj and the .cpg. Reading extracts the .shp and the .dbf to temporary files
 * and parses a chunk at a time: the chunk's records are read by offset into a small .shp (the file header
 * plus that run of records) and a small .dbf (the header plus those rows) handed to shpjs's own parsers.
 * The temporary files go when the reading ends (finished, stopped or failed). Coordinates are left in the
 * file's system (no .prj handed to shpjs): the .prj is judged by crs.ts, which refuses what it cannot
 * convert instead of guessing.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseDbf, parseShp } from 'shpjs';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { crsFromPrj } from './crs';
import { SourceError, type FeatureSource, type RawFeature } from './source-types';

const SHP_HEADER = 100;
/** .prj and .cpg are a line of text; anything much larger is not one. */
const MAX_TEXT_ENTRY = 1 << 20;

const corrupt = (record: number) => new SourceError(`.shp 文件在第 ${record} 条记录处损坏`, `.shp is corrupt at record ${record}`);

async function openZip(filePath: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(filePath, { lazyEntries: true, autoClose: false, decodeStrings: true });
  } catch (err) {
    throw new SourceError(`无法读取压缩包：${(err as Error).message}`, `cannot read the zip file: ${(err as Error).message}`);
  }
}

async function entriesOf(zip: ZipFile): Promise<Entry[]> {
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (err) {
    throw new SourceError(`无法读取压缩包：${(err as Error).message}`, `cannot read the zip file: ${(err as Error).message}`);
  }
  return entries;
}

/** The first `n` bytes of an entry (fewer if it is shorter), without inflating the rest. */
async function headOf(zip: ZipFile, entry: Entry, n: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

async function textOf(zip: ZipFile, entry: Entry | undefined): Promise<string | undefined> {
  if (!entry) return undefined;
  if (entry.uncompressedSize > MAX_TEXT_ENTRY) throw new SourceError(`${entry.fileName} 过大，不是坐标系或编码说明`, `${entry.fileName} is too large for a .prj or .cpg`);
  return (await headOf(zip, entry, MAX_TEXT_ENTRY)).toString('utf8');
}

/**
 * Walks the record headers of a .shp as it streams by (big-endian content length in 16-bit words after
 * the record number): the byte offset of every record, and the file header. Trailing bytes too few for a
 * record header are ignored, as the format's readers do.
 */
async function walkShp(stream: Readable): Promise<{ header: Buffer; offsets: number[]; size: number }> {
  const header = Buffer.alloc(SHP_HEADER);
  const head = Buffer.alloc(8);
  const offsets: number[] = [];
  let headFill = 0;
  let pos = 0;
  let next = SHP_HEADER;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const start = pos;
    const end = pos + chunk.length;
    if (start < SHP_HEADER) chunk.copy(header, start, 0, Math.min(chunk.length, SHP_HEADER - start));
    while (next + headFill < end) {
      const at = next + headFill - start;
      const take = Math.min(8 - headFill, chunk.length - at);
      chunk.copy(head, headFill, at, at + take);
      headFill += take;
      if (headFill < 8) break;
      const length = head.readInt32BE(4) * 2;
      if (length < 0) throw corrupt(offsets.length + 1);
      offsets.push(next);
      next += 8 + length;
      headFill = 0;
    }
    pos = end;
  }
  if (pos < SHP_HEADER) throw new SourceError('.shp 文件过短', '.shp is too short');
  // The last record must be whole.
  if (headFill === 0 && next > pos) throw corrupt(offsets.length);
  return { header, offsets, size: pos };
}

interface DbfLayout {
  records: number;
  /** The header up to and including the field terminator, normalised (some writers pad it). */
  header: Buffer;
  dataStart: number;
  recordLength: number;
  /** The text encoding: the .cpg's, else the language driver byte's (0x4D/0x7A: GBK, code page 936), else UTF-8. */
  encoding?: string;
}

function dbfLayout(head: Buffer, cpg: string | undefined): DbfLayout {
  if (head.byteLength < 33) throw new SourceError('.dbf 文件过短', '.dbf is too short');
  const records = head.readUInt32LE(4);
  const dataStart = head.readUInt16LE(8);
  const recordLength = head.readUInt16LE(10);
  let fieldsEnd = 32;
  while (fieldsEnd < Math.min(dataStart, head.byteLength) && head[fieldsEnd] !== 0x0d) fieldsEnd += 32;
  // shpjs's dbf parser expects the rows right after the terminator: rebuild the header without padding.
  const header = Buffer.alloc(fieldsEnd + 1);
  head.copy(header, 0, 0, fieldsEnd);
  header[fieldsEnd] = 0x0d;
  header.writeUInt16LE(fieldsEnd + 1, 8);
  const ldid = head[29];
  const encoding = cpg?.trim() ? cpg.trim() : ldid === 0x4d || ldid === 0x7a ? 'gbk' : undefined;
  return { records, header, dataStart, recordLength, encoding };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new SourceError('解压后的图层文件比预期短', 'the extracted layer is shorter than expected');
    done += bytesRead;
  }
  return buffer;
}

const base = (name: string) => name.replace(/\.[^./]+$/, '').toLowerCase();

/** `tmpDir`: where reading extracts the layer (a folder of its own in it, removed after); the system's by default. */
export async function openShapefileZip(filePath: string, opts: { tmpDir?: string } = {}): Promise<FeatureSource> {
  const zip = await openZip(filePath);
  let shpName: string;
  let dbfName: string;
  let crs: ReturnType<typeof crsFromPrj>;
  let walked: Awaited<ReturnType<typeof walkShp>>;
  let layout: DbfLayout;
  try {
    const entries = (await entriesOf(zip)).filter((e) => !e.fileName.endsWith('/') && !e.fileName.includes('__MACOSX'));
    const shps = entries.filter((e) => /\.shp$/i.test(e.fileName));
    if (shps.length === 0) throw new SourceError('压缩包中没有 .shp 文件', 'the zip holds no .shp file');
    if (shps.length > 1) {
      throw new SourceError(
        `压缩包中有 ${shps.length} 个图层（${shps.map((s) => s.fileName).join('、')}），每次只能导入一个`,
        `the zip holds ${shps.length} layers (${shps.map((s) => s.fileName).join(', ')}); import one at a time`,
      );
    }
    const layer = base(shps[0].fileName);
    const sibling = (ext: string) => entries.find((e) => base(e.fileName) === layer && e.fileName.toLowerCase().endsWith(ext));
    const dbfEntry = sibling('.dbf');
    if (!dbfEntry) throw new SourceError(`缺少 ${layer}.dbf 属性表`, `the attribute table ${layer}.dbf is missing`);
    crs = crsFromPrj(await textOf(zip, sibling('.prj')));
    const cpg = await textOf(zip, sibling('.cpg'));
    // The .dbf header: 32 bytes that say how long the whole header is, then the field descriptors.
    const first = await headOf(zip, dbfEntry, 32);
    layout = dbfLayout(first.byteLength >= 32 ? await headOf(zip, dbfEntry, Math.max(33, first.readUInt16LE(8))) : first, cpg);
    walked = await walkShp(await zip.openReadStreamPromise(shps[0]));
    shpName = shps[0].fileName;
    dbfName = dbfEntry.fileName;
  } finally {
    zip.close();
  }
  const shapeType = walked.header.readInt32LE(32);
  if (![5, 15, 25].includes(shapeType)) {
    throw new SourceError(`图层的几何类型（shape type ${shapeType}）不是面，图斑应为面要素`, `the layer's shape type ${shapeType} is not a polygon type`);
  }
  const { offsets, header: shpHeader, size: shpSize } = walked;
  if (layout.records !== offsets.length) {
    throw new SourceError(`.shp 有 ${offsets.length} 条记录而 .dbf 有 ${layout.records} 条，文件不一致`, `.shp has ${offsets.length} records but .dbf has ${layout.records}`);
  }
  if (offsets.length === 0) throw new SourceError('图层中没有要素', 'the layer holds no features');

  return {
    format: 'shapefile',
    crs,
    total: offsets.length,
    async *chunks(from, size) {
      if (from >= offsets.length) return;
      const dir = await mkdtemp(path.join(opts.tmpDir ?? os.tmpdir(), 'wpzf-shp-'));
      let shp: FileHandle | undefined;
      let dbf: FileHandle | undefined;
      try {
        const zip = await openZip(filePath);
        try {
          for (const entry of await entriesOf(zip)) {
            if (entry.fileName !== shpName && entry.fileName !== dbfName) continue;
            await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path.join(dir, entry.fileName === shpName ? 'layer.shp' : 'layer.dbf')));
          }
        } finally {
          zip.close();
        }
        shp = await open(path.join(dir, 'layer.shp'), 'r');
        dbf = await open(path.join(dir, 'layer.dbf'), 'r');
        for (let start = from; start < offsets.length; start += size) {
          const end = Math.min(start + size, offsets.length);
          const shpBytes = Buffer.concat([shpHeader, await readAt(shp, offsets[start], (end < offsets.length ? offsets[end] : shpSize) - offsets[start])]);
          const rows = await readAt(dbf, layout.dataStart + start * layout.recordLength, (end - start) * layout.recordLength);
          const dbfBytes = Buffer.concat([layout.header, rows]);
          dbfBytes.writeUInt32LE(end - start, 4);
          const geometries = parseShp(shpBytes) as unknown[];
          const records = parseDbf(dbfBytes, layout.encoding) as Record<string, unknown>[];
          const chunk: RawFeature[] = [];
          for (let i = 0; i < end - start; i++) chunk.push({ seq: start + i, geometry: geometries[i] ?? null, properties: records[i] ?? {} });
          yield chunk;
        }
      } finally {
        await shp?.close();
        await dbf?.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
