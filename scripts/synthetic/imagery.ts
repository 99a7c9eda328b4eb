/**
 * Synthetic before/after imagery (前时相/后时相) for demos and tests: for each patch a pair of small
 * GeoTIFF chips in CGCS2000 longitude/latitude (EPSG:4490), written by geotiff.js. The "before" chip is
 * farmland (green strips with texture); the "after" chip is the same ground with a visible change — bare
 * soil and grey roofs — inside the patch polygon. Deterministic for a patch code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import { writeArrayBuffer } from 'geotiff';
import { rng } from './batch';

type Polygonal = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface ChipPair {
  before: string;
  after: string;
  extent: [number, number, number, number];
}

const seedOf = (code: string) => [...code].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

/** The chip's extent: the patch's bounds with a margin of its own size on each side (at least ~100 m). */
function chipExtent(geometry: Polygonal): [number, number, number, number] {
  const [w, s, e, n] = turfBbox(geometry);
  const mx = Math.max((e - w) * 1, 0.001);
  const my = Math.max((n - s) * 1, 0.001);
  return [w - mx, s - my, e + mx, n + my];
}

/** Writes `<code>-before.tif` and `<code>-after.tif` into `dir`; `size` is the longer side in pixels. */
export async function writeChipPair(dir: string, code: string, geometry: Polygonal, size = 256): Promise<ChipPair> {
  const extent = chipExtent(geometry);
  const [w, s, e, n] = extent;
  const aspect = (e - w) / (n - s);
  const width = aspect >= 1 ? size : Math.max(16, Math.round(size * aspect));
  const height = aspect >= 1 ? Math.max(16, Math.round(size / aspect)) : size;
  const random = rng(seedOf(code));
  const before = new Uint8Array(width * height * 3);
  const after = new Uint8Array(width * height * 3);
  const stripe = 6 + Math.floor(random() * 6);
  const tones = Array.from({ length: 8 }, () => [70 + random() * 40, 110 + random() * 50, 40 + random() * 30]);
  for (let y = 0; y < height; y++) {
    const lat = n - ((y + 0.5) / height) * (n - s);
    for (let x = 0; x < width; x++) {
      const lng = w + ((x + 0.5) / width) * (e - w);
      const i = (y * width + x) * 3;
      const tone = tones[Math.floor((x + y * 0.3) / stripe) % tones.length];
      const grain = random() * 18 - 9;
      before[i] = tone[0] + grain;
      before[i + 1] = tone[1] + grain;
      before[i + 2] = tone[2] + grain;
      if (booleanPointInPolygon([lng, lat], geometry)) {
        // The change: bare soil with rows of grey-blue roofs.
        const roof = Math.floor(x / 10) % 2 === 0 && Math.floor(y / 8) % 3 !== 0;
        after[i] = roof ? 150 + grain : 196 + grain;
        after[i + 1] = roof ? 165 + grain : 170 + grain;
        after[i + 2] = roof ? 190 + grain : 132 + grain;
      } else {
        after[i] = before[i] + 6;
        after[i + 1] = before[i + 1] + 4;
        after[i + 2] = before[i + 2];
      }
    }
  }
  // writeArrayBuffer consumes the metadata it is given: each file gets its own.
  const metadata = () => ({
    width,
    height,
    SamplesPerPixel: 3,
    BitsPerSample: [8, 8, 8],
    PhotometricInterpretation: 2,
    PlanarConfiguration: 1,
    ModelPixelScale: [(e - w) / width, (n - s) / height, 0],
    ModelTiepoint: [0, 0, 0, w, n, 0],
    GTModelTypeGeoKey: 2, // geographic
    GTRasterTypeGeoKey: 1, // pixel is area
    GeographicTypeGeoKey: 4490, // CGCS2000
  });
  await mkdir(dir, { recursive: true });
  const safe = code.replace(/[^\w.-]/g, '_');
  const pair = { before: path.join(dir, `${safe}-before.tif`), after: path.join(dir, `${safe}-after.tif`), extent };
  await writeFile(pair.before, Buffer.from(await writeArrayBuffer(before, metadata())));
  await writeFile(pair.after, Buffer.from(await writeArrayBuffer(after, metadata())));
  return pair;
}
