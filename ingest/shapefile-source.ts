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
import { importLimits, maxRecordBytes, mib, type ImportLimits } from './limits';
import { SourceError, type FeatureSource, type RawFeature } from './source-types';

const SHP_HEADER = 100;
/** .prj and .cpg are a line of text; anything much larger is not one. */
const MAX_TEXT_ENTRY = 1 << 20;
/** The .shp bytes read and parsed at a time (a chunk of large polygons has fewer features). */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** A layer is a handful of files; a zip listing thousands is not one (and its directory would be held). */
const MAX_ENTRIES = 64;

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
    for await (const entry of zip.eachEntry()) {
      entries.push(entry);
      if (entries.length > MAX_ENTRIES)
        throw new SourceError(`压缩包中的文件多于 ${MAX_ENTRIES} 个，不是一个图层`, `the zip holds more than ${MAX_ENTRIES} files; a layer has a handful`);
    }
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(`无法读取压缩包：${(err as Error).message}`, `cannot read the zip file: ${(err as Error).message}`);
  }
  return entries;
}

/** The first `n` bytes of an entry (fewer if it is shorter), without inflating the rest. */
async function headOf(zip: ZipFile, entry: Entry, n: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry).catch((err) => {
    throw asSourceError(err);
  });
  const parts: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= n) break;
    }
  } catch (err) {
    throw asSourceError(err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

async function textOf(zip: ZipFile, entry: Entry | undefined): Promise<string | undefined> {
  if (!entry) return undefined;
  if (entry.uncompressedSize > MAX_TEXT_ENTRY)
    throw new SourceError(`${entry.fileName} 过大，不是坐标系或编码说明`, `${entry.fileName} is too large for a .prj or .cpg`);
  return (await headOf(zip, entry, MAX_TEXT_ENTRY)).toString('utf8');
}

/**
 * Walks the record headers of a .shp as it streams by (big-endian content length in 16-bit words after
 * the record number): the byte offset of every record, and the file header. Trailing bytes too few for a
 * record header are ignored, as the format's readers do. At most `expected` records are taken (what the
 * .dbf, and the .shx when present, declared): one more and the walk stops, so a .shp that holds more
 * than its companions say is refused as soon as the surplus shows, never read to its end. Records whose
 * content is larger than `maxRecord` bytes are noted (their features are rejected for their vertex count).
 */
async function walkShp(
  stream: Readable,
  expected: number,
  maxRecord: number,
): Promise<{ header: Buffer; offsets: Float64Array; oversized: Set<number>; size: number }> {
  const header = Buffer.alloc(SHP_HEADER);
  const head = Buffer.alloc(8);
  const offsets = new Float64Array(expected);
  const oversized = new Set<number>();
  let count = 0;
  let headFill = 0;
  let pos = 0;
  let next = SHP_HEADER;
  try {
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
        if (length < 0) throw corrupt(count + 1);
        if (count >= expected) {
          throw new SourceError(
            `.shp 的记录多于 .dbf/.shx 声明的 ${expected} 条，文件不一致`,
            `.shp holds more records than the ${expected} its .dbf/.shx declare`,
          );
        }
        if (length > maxRecord) oversized.add(count);
        offsets[count++] = next;
        next += 8 + length;
        headFill = 0;
      }
      pos = end;
    }
  } catch (err) {
    throw asSourceError(err);
  } finally {
    stream.destroy();
  }
  if (pos < SHP_HEADER) throw new SourceError('.shp 文件过短', '.shp is too short');
  // The last record must be whole.
  if (headFill === 0 && next > pos) throw corrupt(count);
  if (count !== expected)
    throw new SourceError(`.shp 有 ${count} 条记录而 .dbf 有 ${expected} 条，文件不一致`, `.shp has ${count} records but .dbf has ${expected}`);
  return { header, offsets, oversized, size: pos };
}

/** A failure while inflating (yauzl refuses an entry longer or shorter than the central directory says) is the file's fault. */
function asSourceError(err: unknown): Error {
  if (err instanceof SourceError) return err;
  const message = (err as Error)?.message ?? String(err);
  return new SourceError(`无法解压压缩包：${message}`, `cannot unpack the zip file: ${message}`);
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

function checkCount(records: number, max: number) {
  if (records > max)
    throw new SourceError(
      `图层有 ${records} 条记录，多于上限 ${max} 条，请分批导入`,
      `the layer has ${records} records, more than the limit of ${max}; split it into several imports`,
    );
}

const base = (name: string) => name.replace(/\.[^./]+$/, '').toLowerCase();

/** `tmpDir`: where reading extracts the layer (a folder of its own in it, removed after); the system's by default. */
export async function openShapefileZip(filePath: string, opts: { tmpDir?: string; limits?: ImportLimits } = {}): Promise<FeatureSource> {
  const limits = opts.limits ?? importLimits();
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
    const shxEntry = sibling('.shx');
    // The sizes the central directory declares, before anything is inflated (yauzl then holds every
    // entry to its declared size while inflating: a lying directory fails there).
    const unpacked = [shps[0], dbfEntry, shxEntry].reduce((sum, e) => sum + (e?.uncompressedSize ?? 0), 0);
    if (unpacked > limits.maxUnpackedBytes) {
      throw new SourceError(
        `图层解压后共 ${mib(unpacked)}，超过上限 ${mib(limits.maxUnpackedBytes)}`,
        `the layer unpacks to ${mib(unpacked)}, more than the limit of ${mib(limits.maxUnpackedBytes)}`,
      );
    }
    crs = crsFromPrj(await textOf(zip, sibling('.prj')));
    const cpg = await textOf(zip, sibling('.cpg'));
    // The .dbf header: 32 bytes that say how long the whole header is, then the field descriptors.
    const first = await headOf(zip, dbfEntry, 32);
    layout = dbfLayout(first.byteLength >= 32 ? await headOf(zip, dbfEntry, Math.max(33, first.readUInt16LE(8))) : first, cpg);
    checkCount(layout.records, limits.maxFeatures);
    if (layout.dataStart + layout.records * layout.recordLength > dbfEntry.uncompressedSize) {
      throw new SourceError(
        `.dbf 声明 ${layout.records} 条记录，但文件只有 ${dbfEntry.uncompressedSize} 字节，文件不完整`,
        `.dbf declares ${layout.records} records but holds only ${dbfEntry.uncompressedSize} bytes`,
      );
    }
    if (shxEntry) {
      // The index: a 100-byte header (its own length in 16-bit words at byte 24) and 8 bytes per record.
      const shx = await headOf(zip, shxEntry, SHP_HEADER);
      const declared = shx.byteLength >= SHP_HEADER ? (shx.readInt32BE(24) * 2 - SHP_HEADER) / 8 : -1;
      const sized = (shxEntry.uncompressedSize - SHP_HEADER) / 8;
      if (declared !== sized || declared !== layout.records) {
        throw new SourceError(
          `.shx 索引（${Math.max(declared, 0)} 条，${Math.max(sized, 0)} 条）与 .dbf 的 ${layout.records} 条记录不一致`,
          `.shx index (${Math.max(declared, 0)} records, ${Math.max(sized, 0)} by size) disagrees with the ${layout.records} records of .dbf`,
        );
      }
    }
    const shpStream = await zip.openReadStreamPromise(shps[0]).catch((err) => {
      throw asSourceError(err);
    });
    walked = await walkShp(shpStream, layout.records, maxRecordBytes(limits.maxVertices));
    shpName = shps[0].fileName;
    dbfName = dbfEntry.fileName;
  } finally {
    zip.close();
  }
  const shapeType = walked.header.readInt32LE(32);
  if (![5, 15, 25].includes(shapeType)) {
    throw new SourceError(`图层的几何类型（shape type ${shapeType}）不是面，图斑应为面要素`, `the layer's shape type ${shapeType} is not a polygon type`);
  }
  const { offsets, oversized, header: shpHeader, size: shpSize } = walked;
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
        const recordEnd = (i: number) => (i + 1 < offsets.length ? offsets[i + 1] : shpSize);
        for (let start = from, end = from; start < offsets.length; start = end) {
          // `size` features at most, and no more .shp bytes than MAX_CHUNK_BYTES (one record at least):
          // what a chunk costs once parsed does not depend on how large its polygons are.
          end = start + 1;
          while (end < Math.min(start + size, offsets.length) && (oversized.has(end) || recordEnd(end) - offsets[start] <= MAX_CHUNK_BYTES)) end++;
          const rows = await readAt(dbf, layout.dataStart + start * layout.recordLength, (end - start) * layout.recordLength);
          const dbfBytes = Buffer.concat([layout.header, rows]);
          dbfBytes.writeUInt32LE(end - start, 4);
          const records = parseDbf(dbfBytes, layout.encoding) as Record<string, unknown>[];
          const chunk: RawFeature[] = [];
          // Runs of ordinary records are parsed together; a record too large for the vertex limit is not
          // read at all: its point count (in its first 52 bytes) goes into the report.
          let runStart = start;
          const flush = async (runEnd: number) => {
            if (runEnd <= runStart) return;
            const shpBytes = Buffer.concat([shpHeader, await readAt(shp!, offsets[runStart], recordEnd(runEnd - 1) - offsets[runStart])]);
            const geometries = parseShp(shpBytes) as unknown[];
            for (let i = runStart; i < runEnd; i++) chunk.push({ seq: i, geometry: geometries[i - runStart] ?? null, properties: records[i - start] ?? {} });
          };
          for (let i = start; i < end; i++) {
            if (!oversized.has(i)) continue;
            await flush(i);
            const head = await readAt(shp, offsets[i], 52);
            const vertices = head.readInt32LE(8 + 40);
            chunk.push({
              seq: i,
              geometry: null,
              properties: records[i - start] ?? {},
              error: { rule: 'too_many_vertices', params: { vertices, max: limits.maxVertices } },
            });
            runStart = i + 1;
          }
          await flush(end);
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
