/**
 * The one polygon area of the system: ellipsoidal, on the CGCS2000 ellipsoid, as the land surveys compute parcel
 * areas (docs/domain.md §13), by Karney's algorithm (geographiclib-geodesic: exact to round-off, pure
 * arithmetic, deterministic). Imports checks, the synthetic generator, the layer overlay and the benchmarks use it;
 * turf's spherical area is not used for any figure.
 */
import geographiclib from 'geographiclib-geodesic';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { muFromSquareMetres } from './types';

/** CGCS2000 (国家2000大地坐标系): a = 6378137 m, f = 1/298.257222101. */
export const CGCS2000 = { a: 6378137, f: 1 / 298.257222101 } as const;

// The package is CommonJS: its namespace is the default export under Node's ESM loader.
const geod = new geographiclib.Geodesic.Geodesic(CGCS2000.a, CGCS2000.f);

/** Area (m², unsigned) enclosed by one ring of [lng, lat] positions (closed or not). */
export function ringAreaM2(ring: readonly Position[]): number {
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.length - 1 : ring.length;
  if (n < 3) return 0;
  const p = geod.Polygon(false);
  for (let i = 0; i < n; i++) p.AddPoint(ring[i][1], ring[i][0]);
  // reverse=false, sign=true: a clockwise ring gives a negative area; either orientation counts by its size.
  return Math.abs(p.Compute(false, true).area ?? 0);
}

/** Area of a polygon's rings (outer minus holes), m². */
const polygonAreaM2 = (rings: readonly (readonly Position[])[]): number =>
  rings.length ? Math.max(0, ringAreaM2(rings[0]) - rings.slice(1).reduce((s, r) => s + ringAreaM2(r), 0)) : 0;

/** Ellipsoidal area of a Polygon or MultiPolygon on CGCS2000, in m². */
export function areaM2(geometry: Polygon | MultiPolygon): number {
  if (geometry.type === 'Polygon') return polygonAreaM2(geometry.coordinates);
  return geometry.coordinates.reduce((s, rings) => s + polygonAreaM2(rings), 0);
}

/** Ellipsoidal area of a Polygon or MultiPolygon on CGCS2000, in mu (1 mu = 10000/15 m²). */
export const areaMu = (geometry: Polygon | MultiPolygon): number => muFromSquareMetres(areaM2(geometry));
