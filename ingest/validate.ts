/**
 * Validation of one feature against the mapping: a valid polygon, a known county within the importer's
 * jurisdiction, a well-formed patch code and category, the declared area against the area of the
 * geometry (ellipsoidal on CGCS2000, domain/area.ts, in mu). Every finding is collected, so a rejected feature lists all its reasons.
 * Uniqueness of the code needs the database and is checked by the importer.
 */
import { booleanPointInPolygon, centroid as turfCentroid, pointToPolygonDistance } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { areaMu as ellipsoidalMu } from '../domain/area';
import { categoryOf, isTruthyFlag, MU_PER_UNIT, type AttributeMapping } from '../domain/attribute-mapping';
import { canSeeRegion } from '../domain/authorization';
import { regionLevel } from '../domain/regions';
import { issuePatchSchema } from '../domain/schemas/patches';
import type { Actor, PatchCategory } from '../domain/types';
import type { Crs, Position } from './crs';
import { geometryIssue } from './geometry-check';
import type { GeometryPool } from './geometry-pool';
import { DEFAULT_LIMITS } from './limits';
import type { Issue, RawFeature } from './source-types';

/**
 * Declared vs computed area: warn beyond 5%. The computed area is ellipsoidal on CGCS2000 (domain/area.ts), as
 * the land surveys compute it; a Gauss-Krüger plane area differs by under 0.1% within a 3° zone, and declared
 * areas are rounded to 0.01; beyond 5% the declared figure and the polygon really disagree (an edited polygon,
 * a wrong unit).
 */
export const AREA_TOLERANCE = 0.05;
/** Differences below this (mu) are rounding, whatever the ratio (tiny patches). */
export const AREA_ABSOLUTE_SLACK_MU = 0.01;
/** A declared centre farther than this from the polygon is suspicious (metres). */
export const CENTRE_TOLERANCE_M = 50;

/** Mainland China, islands included, with margin: a patch outside it has swapped axes or undeclared projected coordinates. */
const CHINA_BBOX = { minLng: 73, maxLng: 136, minLat: 3, maxLat: 54 };

export interface ValidationContext {
  mapping: AttributeMapping;
  crs: Crs;
  /** County-level regions known to the system, by code. */
  regions: Map<string, { code: string; level: string }>;
  actor: Actor;
  /** Vertices one feature may have (all rings); more and it is rejected unread. Default DEFAULT_LIMITS.maxVertices. */
  maxVertices?: number;
}

export interface PatchDraft {
  code: string;
  countyCode: string;
  category: PatchCategory;
  areaMu: number;
  farmlandMu?: number;
  geometry: Polygon | MultiPolygon;
  centroid: Position;
  military: boolean;
  imagedOn?: string;
}

export interface FeatureDecision {
  seq: number;
  /** Present when acceptable so far (the importer may still reject for a duplicate code). */
  patch?: PatchDraft;
  code?: string;
  countyCode?: string;
  military: boolean;
  declaredMu?: number;
  computedMu?: number;
  imagedOn?: string;
  reasons: Issue[];
  warnings: Issue[];
}

// A blank dBase date is read as an invalid Date: absent, like a blank text.
const present = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  !(typeof v === 'string' && v.trim() === '') &&
  !(typeof v === 'number' && Number.isNaN(v)) &&
  !(v instanceof Date && Number.isNaN(v.getTime()));

function text(v: unknown): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  return String(v).trim();
}

function number(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const n = Number(v.replace(/[,，\s]/g, ''));
    return v.trim() && Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A date attribute: a dBase date, 20230315, 2023-03-15, 2023/3/15, 2023.03.15 or 2023年3月15日 → YYYY-MM-DD. */
export function calendarDateOf(v: unknown): string | undefined {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    // dBase dates are parsed as local midnight: take the local calendar day.
    return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  }
  const s = text(v);
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[T\s].*)?$/.exec(s);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : undefined;
}

type Rings = Position[][];

/** The geometry's polygons as rings of [lng, lat] (Z dropped, projected coordinates converted). */
function polygonsOf(geometry: unknown, crs: Crs, reasons: Issue[], maxVertices: number): Rings[] | undefined {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object') {
    reasons.push({ rule: 'geometry_missing' });
    return undefined;
  }
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    reasons.push({ rule: 'geometry_type', params: { type: String(g.type) } });
    return undefined;
  }
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
  if (!Array.isArray(polys) || polys.length === 0 || !polys.every((p) => Array.isArray(p) && p.length > 0 && p.every((r: unknown) => Array.isArray(r)))) {
    reasons.push({ rule: 'geometry_empty' });
    return undefined;
  }
  // Counted before anything is converted or checked: the checks' cost grows with the square of this.
  let vertices = 0;
  for (const poly of polys as unknown[][][]) for (const ring of poly) vertices += (ring as unknown[]).length;
  if (vertices > maxVertices) {
    reasons.push({ rule: 'too_many_vertices', params: { vertices, max: maxVertices } });
    return undefined;
  }
  const out: Rings[] = [];
  for (const poly of polys as unknown[][][]) {
    const rings: Rings = [];
    for (const ring of poly) {
      const positions: Position[] = [];
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
          reasons.push({ rule: 'coordinates_invalid' });
          return undefined;
        }
        const xy: Position = crs.toLngLat ? crs.toLngLat([p[0], p[1]]) : [p[0], p[1]];
        if (
          !Number.isFinite(xy[0]) ||
          !Number.isFinite(xy[1]) ||
          xy[0] < CHINA_BBOX.minLng ||
          xy[0] > CHINA_BBOX.maxLng ||
          xy[1] < CHINA_BBOX.minLat ||
          xy[1] > CHINA_BBOX.maxLat
        ) {
          reasons.push({ rule: 'coordinates_out_of_range', params: { x: p[0], y: p[1], crs: crs.name } });
          return undefined;
        }
        positions.push(xy);
      }
      rings.push(positions);
    }
    out.push(rings);
  }
  return out;
}

/** Rings long enough and closed; the polygon as GeoJSON (its validity is checked apart: geometryIssue). */
function polygonOf(polys: Rings[], reasons: Issue[]): Polygon | MultiPolygon | undefined {
  for (const rings of polys) {
    for (const [i, ring] of rings.entries()) {
      if (ring.length < 4) {
        reasons.push({ rule: 'ring_too_short', params: { ring: i, positions: ring.length } });
        return undefined;
      }
      const [first, last] = [ring[0], ring[ring.length - 1]];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        reasons.push({ rule: 'ring_not_closed', params: { ring: i } });
        return undefined;
      }
    }
  }
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

/** A feature's geometry as far as it is read: the polygon to check, or the reasons it is not one. */
export interface GeometryReading {
  geometry?: Polygon | MultiPolygon;
  reasons: Issue[];
}

/** Reads the feature's polygon (vertex limit, coordinates, rings), leaving out the costly validity check. */
export function readGeometry(raw: RawFeature, ctx: Pick<ValidationContext, 'crs' | 'maxVertices'>): GeometryReading {
  const reasons: Issue[] = [];
  if (raw.error) return { reasons };
  const polys = polygonsOf(raw.geometry, ctx.crs, reasons, ctx.maxVertices ?? DEFAULT_LIMITS.maxVertices);
  return { geometry: polys && polygonOf(polys, reasons), reasons };
}

/** The reading with its validity checked here, on this thread (small inputs, tools and benches). */
export function checkedInline(raw: RawFeature, ctx: ValidationContext): GeometryReading {
  const reading = readGeometry(raw, ctx);
  const issue = reading.geometry && geometryIssue(reading.geometry);
  return issue ? { reasons: [...reading.reasons, issue] } : reading;
}

/** Validates a feature with its geometry checked by the pool, off this thread, within `timeoutMs`. */
export async function decideFeature(raw: RawFeature, ctx: ValidationContext, pool: GeometryPool, timeoutMs: number): Promise<FeatureDecision> {
  try {
    const reading = readGeometry(raw, ctx);
    const issue = reading.geometry && (await pool.check(reading.geometry, timeoutMs));
    return validateFeature(raw, ctx, issue ? { reasons: [...reading.reasons, issue] } : reading);
  } catch (err) {
    if (!(err instanceof Error) || err.message.startsWith('geometry check threads cannot start')) throw err;
    // Whatever a feature holds, it is this feature that is rejected, never the import.
    return { seq: raw.seq, military: false, reasons: [{ rule: 'feature_unreadable', params: { detail: err.message } }], warnings: [] };
  }
}

function centreOf(props: Record<string, unknown>, ctx: ValidationContext, geometry: Polygon | MultiPolygon, warnings: Issue[]): Position {
  const computed = turfCentroid(geometry).geometry.coordinates as Position;
  const { centreX, centreY } = ctx.mapping;
  if (!centreX || !centreY || !present(props[centreX]) || !present(props[centreY])) return computed;
  const x = number(props[centreX]);
  const y = number(props[centreY]);
  if (x === undefined || y === undefined) {
    warnings.push({ rule: 'centre_invalid', params: { x: props[centreX], y: props[centreY] } });
    return computed;
  }
  // L/B are longitude/latitude by name; a projected file may still carry them as plane coordinates.
  const declared: Position = Math.abs(x) <= 180 && Math.abs(y) <= 90 ? [x, y] : ctx.crs.toLngLat ? ctx.crs.toLngLat([x, y]) : [x, y];
  if (!Number.isFinite(declared[0]) || !Number.isFinite(declared[1]) || Math.abs(declared[0]) > 180 || Math.abs(declared[1]) > 90) {
    warnings.push({ rule: 'centre_invalid', params: { x, y } });
    return computed;
  }
  const inside = booleanPointInPolygon(declared, geometry);
  const distance = inside ? 0 : pointToPolygonDistance(declared, geometry, { units: 'meters' });
  if (distance > CENTRE_TOLERANCE_M) {
    warnings.push({ rule: 'centre_far', params: { metres: Math.round(distance) } });
    return computed;
  }
  return declared;
}

export function validateFeature(raw: RawFeature, ctx: ValidationContext, checked: GeometryReading = checkedInline(raw, ctx)): FeatureDecision {
  const { mapping } = ctx;
  const props = raw.properties ?? {};
  const reasons: Issue[] = [];
  const warnings: Issue[] = [];
  if (raw.error) reasons.push(raw.error);

  // Patch code
  let code: string | undefined;
  if (!present(props[mapping.code])) reasons.push({ rule: 'code_missing', params: { field: mapping.code } });
  else {
    code = text(props[mapping.code]);
    if (!issuePatchSchema.shape.code.safeParse(code).success) reasons.push({ rule: 'code_format', params: { code } });
  }

  // County
  let countyCode: string | undefined;
  if (!present(props[mapping.countyCode])) reasons.push({ rule: 'county_missing', params: { field: mapping.countyCode } });
  else {
    const value = text(props[mapping.countyCode]);
    if (!/^\d{6}(\d{3}|\d{6})?$/.test(value)) reasons.push({ rule: 'county_format', params: { value } });
    else {
      countyCode = value.slice(0, 6);
      const region = ctx.regions.get(countyCode);
      if (!region) reasons.push({ rule: 'unknown_county', params: { countyCode } });
      else if (regionLevel(region.code) !== 'county') reasons.push({ rule: 'not_a_county', params: { countyCode } });
      else {
        const access = canSeeRegion(ctx.actor, countyCode);
        if (!access.ok) reasons.push({ rule: 'outside_jurisdiction', params: { countyCode, regionCode: ctx.actor.regionCode } });
      }
    }
  }

  // Category
  let category: PatchCategory | undefined;
  const categoryValue = mapping.category ? props[mapping.category] : undefined;
  if (present(categoryValue)) {
    category = categoryOf(categoryValue, mapping.categoryValues);
    if (!category) reasons.push({ rule: 'category_unknown', params: { value: text(categoryValue) } });
  } else if (mapping.defaultCategory) category = mapping.defaultCategory;
  else reasons.push({ rule: 'category_missing', params: { field: mapping.category ?? '' } });

  const military = mapping.military ? isTruthyFlag(props[mapping.military]) : false;

  // Geometry and area
  let geometry: Polygon | MultiPolygon | undefined;
  let computedMu: number | undefined;
  reasons.push(...checked.reasons);
  if (!raw.error) {
    geometry = checked.geometry;
    if (geometry) {
      computedMu = ellipsoidalMu(geometry);
      if (!(computedMu > 0)) {
        reasons.push({ rule: 'area_zero' });
        geometry = undefined;
      }
    }
  }
  const unit = MU_PER_UNIT[mapping.areaUnit];
  let declaredMu: number | undefined;
  if (mapping.area && present(props[mapping.area])) {
    const value = number(props[mapping.area]);
    if (value === undefined || value <= 0) reasons.push({ rule: 'area_invalid', params: { value: text(props[mapping.area]) } });
    else declaredMu = value * unit;
  }
  if (declaredMu !== undefined && computedMu !== undefined) {
    const diff = Math.abs(declaredMu - computedMu);
    if (diff > AREA_TOLERANCE * computedMu && diff > AREA_ABSOLUTE_SLACK_MU) {
      warnings.push({
        rule: 'area_mismatch',
        params: { declaredMu: round(declaredMu), computedMu: round(computedMu), percent: round((100 * (declaredMu - computedMu)) / computedMu, 1) },
      });
    }
  } else if (declaredMu === undefined && computedMu !== undefined && !reasons.some((r) => r.rule === 'area_invalid')) {
    warnings.push({ rule: 'area_missing', params: { computedMu: round(computedMu) } });
  }
  const areaMu = declaredMu ?? computedMu;
  if (areaMu !== undefined && areaMu > 1_000_000) reasons.push({ rule: 'area_too_large', params: { areaMu: round(areaMu) } });
  let farmlandMu: number | undefined;
  if (mapping.farmlandArea && present(props[mapping.farmlandArea])) {
    const value = number(props[mapping.farmlandArea]);
    if (value === undefined || value < 0) warnings.push({ rule: 'farmland_invalid', params: { value: text(props[mapping.farmlandArea]) } });
    else farmlandMu = round(value * unit, 4);
  }

  // Image dates
  let imagedOn: string | undefined;
  let before: string | undefined;
  for (const [field, set] of [
    [mapping.imagedBefore, (d: string) => (before = d)],
    [mapping.imagedAfter, (d: string) => (imagedOn = d)],
  ] as const) {
    if (!field || !present(props[field])) continue;
    const date = calendarDateOf(props[field]);
    if (date) set(date);
    else warnings.push({ rule: 'date_invalid', params: { field, value: text(props[field]) } });
  }
  if (before && imagedOn && before > imagedOn) warnings.push({ rule: 'image_dates_order', params: { before, after: imagedOn } });

  const decision: FeatureDecision = { seq: raw.seq, code, countyCode, military, declaredMu, computedMu, imagedOn, reasons, warnings };
  if (reasons.length === 0 && code && countyCode && category && geometry && areaMu !== undefined) {
    decision.patch = {
      code,
      countyCode,
      category,
      areaMu: round(areaMu, 4),
      farmlandMu,
      geometry,
      centroid: centreOf(props, ctx, geometry, warnings),
      military,
      imagedOn,
    };
  }
  return decision;
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
