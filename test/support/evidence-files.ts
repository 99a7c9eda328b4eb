/**
 * Evidence files written byte by byte, so tests need no fixtures from elsewhere: an 8×8 grey baseline
 * JPEG (one MCU whose DC difference and AC coefficients are all zero) with an optional EXIF APP1 segment
 * carrying GPS and the capture time, and a minimal MP4 (ftyp + moov/mvhd + udta/©xyz).
 */

export interface ExifSpec {
  lat?: number;
  lng?: number;
  /** EXIF DateTimeOriginal, local time: "YYYY:MM:DD HH:MM:SS". */
  dateTimeOriginal?: string;
  /** EXIF OffsetTimeOriginal, e.g. "+08:00". */
  offset?: string;
  /** Varies the bytes (and so the hash) without changing the picture. */
  description?: string;
  /** EXIF GPSImgDirection (degrees from north) and its reference ("T" true, "M" magnetic). */
  direction?: number;
  directionRef?: 'T' | 'M';
}

const u16 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const be16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const be32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

interface Entry {
  tag: number;
  type: 2 | 4 | 5; // ASCII, LONG, RATIONAL
  count: number;
  /** Bytes of the value (padded to 4 when inline). */
  data: Buffer;
}

const ascii = (tag: number, s: string): Entry => {
  const data = Buffer.from(`${s}\0`, 'latin1');
  return { tag, type: 2, count: data.length, data };
};
const long = (tag: number, n: number): Entry => ({ tag, type: 4, count: 1, data: u32(n) });
const rationals = (tag: number, values: Array<[number, number]>): Entry => ({
  tag,
  type: 5,
  count: values.length,
  data: Buffer.concat(values.flatMap(([a, b]) => [u32(a), u32(b)])),
});

/** Serialises one IFD at `offset` (from the TIFF header); values longer than 4 bytes follow it. */
function ifd(entries: Entry[], offset: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const headerSize = 2 + sorted.length * 12 + 4;
  let dataOffset = offset + headerSize;
  const head: Buffer[] = [u16(sorted.length)];
  const tail: Buffer[] = [];
  for (const e of sorted) {
    head.push(u16(e.tag), u16(e.type), u32(e.count));
    if (e.data.length <= 4) {
      head.push(Buffer.concat([e.data, Buffer.alloc(4 - e.data.length)]));
    } else {
      head.push(u32(dataOffset));
      const padded = e.data.length % 2 ? Buffer.concat([e.data, Buffer.alloc(1)]) : e.data;
      tail.push(padded);
      dataOffset += padded.length;
    }
  }
  head.push(u32(0)); // no next IFD
  return Buffer.concat([...head, ...tail]);
}

const ifdSize = (entries: Entry[]) =>
  2 + entries.length * 12 + 4 + entries.reduce((s, e) => s + (e.data.length > 4 ? e.data.length + (e.data.length % 2) : 0), 0);

function dms(value: number): Array<[number, number]> {
  const abs = Math.abs(value);
  const deg = Math.floor(abs);
  const minFloat = (abs - deg) * 60;
  const min = Math.floor(minFloat);
  const sec = Math.round((minFloat - min) * 60 * 10000);
  return [
    [deg, 1],
    [min, 1],
    [sec, 10000],
  ];
}

/** The APP1 "Exif" segment (marker included). */
export function exifSegment(spec: ExifSpec): Buffer {
  const exifEntries: Entry[] = [];
  if (spec.dateTimeOriginal) exifEntries.push(ascii(0x9003, spec.dateTimeOriginal));
  if (spec.offset) exifEntries.push(ascii(0x9011, spec.offset));
  const gpsEntries: Entry[] = [];
  if (spec.lat !== undefined && spec.lng !== undefined) {
    gpsEntries.push(ascii(0x0001, spec.lat >= 0 ? 'N' : 'S'), rationals(0x0002, dms(spec.lat)));
    gpsEntries.push(ascii(0x0003, spec.lng >= 0 ? 'E' : 'W'), rationals(0x0004, dms(spec.lng)));
  }
  if (spec.direction !== undefined) {
    gpsEntries.push(ascii(0x0010, spec.directionRef ?? 'T'), rationals(0x0011, [[Math.round(spec.direction * 100), 100]]));
  }
  const ifd0Entries: Entry[] = [];
  if (spec.description) ifd0Entries.push(ascii(0x010e, spec.description));
  // Pointers are filled in once the sizes are known.
  if (exifEntries.length) ifd0Entries.push(long(0x8769, 0));
  if (gpsEntries.length) ifd0Entries.push(long(0x8825, 0));
  const ifd0Offset = 8;
  const exifOffset = ifd0Offset + ifdSize(ifd0Entries);
  const gpsOffset = exifOffset + (exifEntries.length ? ifdSize(exifEntries) : 0);
  for (const e of ifd0Entries) {
    if (e.tag === 0x8769) e.data = u32(exifOffset);
    if (e.tag === 0x8825) e.data = u32(gpsOffset);
  }
  const tiff = Buffer.concat([
    Buffer.from('II*\0', 'latin1'),
    u32(ifd0Offset),
    ifd(ifd0Entries, ifd0Offset),
    ...(exifEntries.length ? [ifd(exifEntries, exifOffset)] : []),
    ...(gpsEntries.length ? [ifd(gpsEntries, gpsOffset)] : []),
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), be16(payload.length + 2), payload]);
}

/** An 8×8 mid-grey baseline JPEG, with EXIF when given. */
export function jpeg(spec?: ExifSpec): Buffer {
  const segment = (marker: number, body: number[] | Buffer) => {
    const b = Buffer.from(body);
    return Buffer.concat([Buffer.from([0xff, marker]), be16(b.length + 2), b]);
  };
  const dqt = segment(0xdb, [0x00, ...new Array(64).fill(1)]);
  const sof0 = segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
  // One code of length 1 for symbol 0 in each table: DC "category 0", AC "end of block".
  const dhtDc = segment(0xc4, [0x00, 1, ...new Array(15).fill(0), 0x00]);
  const dhtAc = segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]);
  const sos = segment(0xda, [1, 1, 0x00, 0, 63, 0]);
  const scan = Buffer.from([0b00111111]); // "0" (DC diff 0), "0" (EOB), padded with ones
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...(spec ? [exifSegment(spec)] : []), dqt, sof0, dhtDc, dhtAc, sos, scan, Buffer.from([0xff, 0xd9])]);
}

/** A minimal MP4 carrying only what metadata readers look at: mvhd's creation time and ©xyz (ISO 6709). */
export function mp4(opts: { createdAt?: Date; lat?: number; lng?: number } = {}): Buffer {
  const box = (type: string, ...content: Buffer[]) => {
    const body = Buffer.concat(content);
    return Buffer.concat([be32(body.length + 8), Buffer.from(type, 'latin1'), body]);
  };
  const secondsSince1904 = opts.createdAt ? Math.floor(opts.createdAt.getTime() / 1000) + 2082844800 : 0;
  const mvhd = box(
    'mvhd',
    Buffer.from([0, 0, 0, 0]), // version 0, flags
    be32(secondsSince1904),
    be32(secondsSince1904),
    be32(1000), // timescale
    be32(0), // duration
    Buffer.alloc(80), // rate … next track id (not read)
  );
  const udta: Buffer[] = [];
  if (opts.lat !== undefined && opts.lng !== undefined) {
    const sign = (v: number, w: number) =>
      `${v >= 0 ? '+' : '-'}${Math.abs(v)
        .toFixed(4)
        .padStart(w + 5, '0')}`;
    const iso = Buffer.from(`${sign(opts.lat, 2)}${sign(opts.lng, 3)}/`, 'latin1');
    udta.push(box('udta', box('\u00a9xyz', be16(iso.length), be16(0x15c7), iso)));
  }
  return Buffer.concat([box('ftyp', Buffer.from('isom', 'latin1'), be32(512), Buffer.from('isomiso2mp41', 'latin1')), box('moov', mvhd, ...udta)]);
}
