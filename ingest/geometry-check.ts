/**
 * The costly part of checking a patch's polygon: self-intersections and OGC validity (turf's kinks and
 * booleanValid, whose cost grows with the square of the vertex count). Run off the API's event loop, with
 * a time limit, by geometry-pool.ts; kept free of anything but turf so that its worker starts quickly.
 */
import { booleanValid, kinks } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type { Issue } from './source-types';

export function geometryIssue(geometry: Polygon | MultiPolygon): Issue | undefined {
  const crossings = kinks(geometry).features;
  if (crossings.length > 0) {
    const [lng, lat] = crossings[0].geometry.coordinates;
    return { rule: 'self_intersection', params: { lng: Number(lng.toFixed(6)), lat: Number(lat.toFixed(6)), count: crossings.length } };
  }
  if (!booleanValid(geometry)) return { rule: 'polygon_invalid' };
  return undefined;
}
