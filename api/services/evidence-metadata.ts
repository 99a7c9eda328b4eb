/**
 * What a photo or video says about where and when it was taken: EXIF GPS and DateTimeOriginal for
 * photos (exifr), and for MP4/QuickTime the movie header's creation time and the ©xyz location.
 */
import { open } from 'node:fs/promises';
import exifr from 'exifr';
import type { EvidenceMime } from '../../domain/evidence';

export interface EvidenceMetadata {
  gps?: { lat: number; lng: number };
  capturedAt?: string;
  /** EXIF GPSImgDirection: where the camera faced, degrees clockwise from north, and T (true) or M (magnetic) north. */
  direction?: number;
  directionRef?: 'T' | 'M';
}

/**
 * EXIF times are local and usually carry no offset. Phones in China record Beijing time, so a time
 * without OffsetTimeOriginal is read as +08:00.
 */
export const DEFAULT_EXIF_OFFSET = '+08:00';

export async function readEvidenceMetadata(file: string, mime: EvidenceMime): Promise<EvidenceMetadata> {
  try {
    if (mime.startsWith('image/')) return await readPhoto(file);
    if (mime === 'video/mp4' || mime === 'video/quicktime') return await readMovie(file);
  } catch {
    // Unreadable metadata is no metadata: the file itself was accepted by its format.
  }
  return {};
}

const validPoint = (lat: unknown, lng: unknown): lat is number =>
  typeof lat === 'number' &&
  typeof lng === 'number' &&
  Number.isFinite(lat) &&
  Number.isFinite(lng) &&
  Math.abs(lat) <= 90 &&
  Math.abs(lng) <= 180 &&
  !(lat === 0 && lng === 0);

async function readPhoto(file: string): Promise<EvidenceMetadata> {
  const out: EvidenceMetadata = {};
  const gps = await exifr.gps(file).catch(() => undefined);
  if (gps && validPoint(gps.latitude, gps.longitude)) out.gps = { lat: round(gps.latitude), lng: round(gps.longitude) };
  const tags = (await exifr
    .parse(file, {
      reviveValues: false,
      gps: true,
      pick: ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTime', 'GPSImgDirection', 'GPSImgDirectionRef'],
    })
    .catch(() => undefined)) as Record<string, unknown> | undefined;
  // The direction the camera wrote, where it wrote one (shown on the map as an arrow).
  const direction = Number(tags?.GPSImgDirection);
  if (tags?.GPSImgDirection !== undefined && Number.isFinite(direction) && direction >= 0 && direction <= 360) {
    out.direction = Math.round((direction % 360) * 100) / 100;
    out.directionRef = String(tags?.GPSImgDirectionRef ?? 'T').startsWith('M') ? 'M' : 'T';
  }
  const local = String(tags?.DateTimeOriginal ?? tags?.CreateDate ?? '');
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(local);
  if (m) {
    const offsetTag = String(tags?.OffsetTimeOriginal ?? tags?.OffsetTime ?? '');
    const offset = /^[+-]\d{2}:\d{2}$/.test(offsetTag) ? offsetTag : DEFAULT_EXIF_OFFSET;
    const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`);
    if (!Number.isNaN(at.getTime())) out.capturedAt = at.toISOString();
  }
  return out;
}

const round = (v: number) => Math.round(v * 1e7) / 1e7;

/** Seconds between 1904-01-01 (the QuickTime epoch) and 1970-01-01. */
const QUICKTIME_EPOCH_OFFSET = 2082844800;
const MAX_MOOV_BYTES = 16 * 1024 * 1024;

async function readMovie(file: string): Promise<EvidenceMetadata> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    let pos = 0;
    while (pos + 8 <= size) {
      const header = Buffer.alloc(16);
      await fh.read(header, 0, 16, pos);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      let headerSize = 8;
      if (boxSize === 1) {
        boxSize = Number(header.readBigUInt64BE(8));
        headerSize = 16;
      } else if (boxSize === 0) boxSize = size - pos;
      if (boxSize < headerSize) break;
      if (type === 'moov') {
        const length = Math.min(boxSize - headerSize, MAX_MOOV_BYTES);
        const body = Buffer.alloc(length);
        await fh.read(body, 0, length, pos + headerSize);
        return readMoov(body);
      }
      pos += boxSize;
    }
    return {};
  } finally {
    await fh.close();
  }
}

function* boxes(buf: Buffer): Generator<{ type: string; body: Buffer }> {
  let pos = 0;
  while (pos + 8 <= buf.length) {
    const size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (size < 8 || pos + size > buf.length) return;
    yield { type, body: buf.subarray(pos + 8, pos + size) };
    pos += size;
  }
}

function readMoov(moov: Buffer): EvidenceMetadata {
  const out: EvidenceMetadata = {};
  for (const box of boxes(moov)) {
    if (box.type === 'mvhd' && box.body.length >= 12) {
      const version = box.body[0];
      const seconds = version === 1 ? Number(box.body.readBigUInt64BE(4)) : box.body.readUInt32BE(4);
      const unix = seconds - QUICKTIME_EPOCH_OFFSET;
      // Many cameras leave it 0 (1904) or unset: only a plausible instant counts.
      if (unix > 946684800) out.capturedAt = new Date(unix * 1000).toISOString();
    }
    if (box.type === 'udta') {
      for (const child of boxes(box.body)) {
        if (child.type === '\u00a9xyz' && child.body.length > 4) {
          const length = child.body.readUInt16BE(0);
          const iso6709 = child.body.toString('latin1', 4, 4 + length);
          const m = /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)/.exec(iso6709);
          if (m && validPoint(Number(m[1]), Number(m[2]))) out.gps = { lat: Number(m[1]), lng: Number(m[2]) };
        }
      }
    }
  }
  return out;
}
