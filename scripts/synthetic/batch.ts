/**
 * Synthetic but realistic monthly batches in the provincial schema (JCBH, XZQDM, TBLX, JCMJ in m², GDMJ,
 * QSX/HSX, LZB/BZB, SFJY): irregular polygons of plausible sizes within ~15 km of real county seats,
 * codes made of county code + year-month + serial, the notices' category mix, image dates around the
 * imaging date. Deterministic for a seed. Written as streamed GeoJSON or as a streamed zipped shapefile.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { areaM2 } from '../../domain/area';
import { COUNTY_SEATS } from './county-seats';
import { writeShapefileZip, type ShapeFeature } from './shapefile-writer';

export interface SyntheticOptions {
  n: number;
  seed?: number;
  /** Imaging date (T) of the batch, YYYY-MM-DD. */
  imagedOn?: string;
  /** Counties to spread the patches over (default: every county with a known seat). */
  counties?: string[];
  /** Share of features flagged military (SFJY = 1). */
  militaryShare?: number;
  /** Share of features whose declared area is off by 8–25% (they draw an area warning). */
  areaErrorShare?: number;
  /** Put into every code after the year-month, so that several batches of one month do not share codes. */
  tag?: string;
}

export interface SyntheticFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: number[][][] };
  properties: Record<string, string | number>;
}

/** mulberry32: a small, good-enough deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The categories of 003 with a plausible monthly mix. */
const CATEGORY_MIX: Array<[string, number]> = [
  ['新增非农建设类', 0.35],
  ['其他新增建设类', 0.25],
  ['其他变化类', 0.2],
  ['年度内持续变化类', 0.08],
  ['设施农业用地类', 0.07],
  ['农业项目违法类', 0.03],
  ['未变化占用耕地类', 0.02],
];

const M_PER_DEG_LAT = 110_574;
const mPerDegLng = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);
const SQM_PER_MU = 10000 / 15;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Planar area (shoelace) of a ring in metres. */
function ringArea(ring: number[][]): number {
  let s = 0;
  for (let i = 1; i < ring.length; i++) s += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  return Math.abs(s) / 2;
}

/** An irregular star-shaped polygon (never self-intersecting: vertices in angle order) of `areaM2` around (lng, lat). */
export function irregularPolygon(random: () => number, lng: number, lat: number, areaM2: number): number[][][] {
  const k = 5 + Math.floor(random() * 6);
  const angles = Array.from({ length: k }, (_, i) => ((i + 0.15 + random() * 0.7) / k) * 2 * Math.PI);
  const unit = angles.map((a) => {
    const r = 0.75 + random() * 0.5;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
  unit.push(unit[0]);
  const scale = Math.sqrt(areaM2 / ringArea(unit));
  const round = (v: number) => Math.round(v * 1e8) / 1e8;
  const ring = unit.map(([x, y]) => [round(lng + (x * scale) / mPerDegLng(lat)), round(lat + (y * scale) / M_PER_DEG_LAT)]);
  ring[ring.length - 1] = ring[0];
  return [ring];
}

export function* syntheticFeatures(o: SyntheticOptions): Generator<SyntheticFeature> {
  const random = rng(o.seed ?? 20260301);
  const imagedOn = o.imagedOn ?? '2026-03-01';
  const ym = imagedOn.slice(0, 7).replace('-', '');
  const counties = (o.counties ?? Object.keys(COUNTY_SEATS)).filter((c) => COUNTY_SEATS[c]);
  if (!counties.length) throw new Error('no county with a known seat');
  const serials = new Map<string, number>();
  for (let i = 0; i < o.n; i++) {
    const county = counties[Math.floor(random() * counties.length)];
    const serial = (serials.get(county) ?? 0) + 1;
    serials.set(county, serial);
    const [seatLng, seatLat] = COUNTY_SEATS[county];
    // Uniform in a disc of 15 km around the seat.
    const r = 15_000 * Math.sqrt(random());
    const theta = random() * 2 * Math.PI;
    const lat = seatLat + (r * Math.sin(theta)) / M_PER_DEG_LAT;
    const lng = seatLng + (r * Math.cos(theta)) / mPerDegLng(seatLat);
    // Log-normal areas: median ~4 mu, most between 0.5 and 40 mu, capped at 300.
    const mu = Math.min(300, Math.max(0.3, Math.exp(Math.log(4) + 1.1 * gaussian(random))));
    const coordinates = irregularPolygon(random, lng, lat, mu * SQM_PER_MU);
    // Declared as the surveys compute it: ellipsoidal on CGCS2000 (domain/area.ts).
    let declared = areaM2({ type: 'Polygon', coordinates });
    if (random() < (o.areaErrorShare ?? 0.03)) declared *= 1 + (random() < 0.5 ? -1 : 1) * (0.08 + random() * 0.17);
    let pick = random();
    const category =
      CATEGORY_MIX.find(([, share]) => {
        pick -= share;
        return pick < 0;
      })?.[0] ?? CATEGORY_MIX[0][0];
    const farmland = category.includes('建设') || category.includes('耕地') ? (random() < 0.5 ? 0 : declared * random()) : 0;
    yield {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates },
      properties: {
        JCBH: `${county}${ym}${o.tag ?? ''}${String(serial).padStart(5, '0')}`,
        // Some provinces give the township code (9 digits); its first six are the county.
        XZQDM: random() < 0.1 ? `${county}${String(1 + Math.floor(random() * 12)).padStart(3, '0')}` : county,
        TBLX: category,
        JCMJ: Math.round(declared * 100) / 100,
        GDMJ: Math.round(farmland * 100) / 100,
        QSX: addDays(imagedOn, -30 - Math.floor(random() * 60)),
        HSX: addDays(imagedOn, -Math.floor(random() * 5)),
        LZB: Math.round(lng * 1e6) / 1e6,
        BZB: Math.round(lat * 1e6) / 1e6,
        SFJY: random() < (o.militaryShare ?? 0.002) ? '1' : '0',
      },
    };
  }
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Writes features as a GeoJSON FeatureCollection, streamed (a 10k batch never sits in memory as text). */
export async function writeGeoJson(filePath: string, features: Iterable<object>, opts: { crs?: string; name?: string } = {}): Promise<number> {
  const out = createWriteStream(filePath, { encoding: 'utf8' });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`{"type":"FeatureCollection","name":${JSON.stringify(opts.name ?? 'patches')},`);
  if (opts.crs) await write(`"crs":{"type":"name","properties":{"name":${JSON.stringify(opts.crs)}}},`);
  await write('"features":[\n');
  let n = 0;
  for (const f of features) await write(`${n++ ? ',\n' : ''}${JSON.stringify(f)}`);
  await write('\n]}\n');
  out.end();
  await once(out, 'finish');
  return n;
}

/** A synthetic batch written as a zipped shapefile (the .prj names CGCS2000 geographic), streamed: any size. */
export function writeSyntheticShapefile(filePath: string, o: SyntheticOptions, prj: string): Promise<number> {
  return writeShapefileZip(filePath, () => syntheticFeatures(o) as Iterable<ShapeFeature>, { prj });
}
