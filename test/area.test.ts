/**
 * The one area function (domain/area.ts): ellipsoidal on CGCS2000 by Karney's algorithm, checked against shapes
 * whose areas are computed by hand from the ellipsoid's radii of curvature, and used by the import checks.
 */
import { area as turfArea } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { areaM2, areaMu, CGCS2000 } from '../domain/area';
import { PROVINCIAL_PRESET } from '../domain/attribute-mapping';
import { SYSTEM_ACTOR } from '../domain/types';
import { CGCS2000 as CGCS2000_CRS } from '../ingest/crs';
import { validateFeature } from '../ingest/validate';
import { syntheticFeatures } from '../scripts/synthetic/batch';
import { cell, e2, handArea, rad } from './support/shapes';

const { a } = CGCS2000;

/**
 * The exact area between two parallels and two meridians on the ellipsoid (authalic formula):
 * (Δλ·b²/2)·[q(φ2) − q(φ1)], q(φ) = sinφ/(1−e²sin²φ) + (1/2e)·ln((1+e·sinφ)/(1−e·sinφ)). The polygon's edges are
 * geodesics, not parallels; over 0.01° the difference is far below the tolerance used.
 */
const zoneArea = (lat1: number, lat2: number, dLng: number) => {
  const e = Math.sqrt(e2);
  const b2 = a * a * (1 - e2);
  const q = (phi: number) => {
    const s = Math.sin(rad(phi));
    return s / (1 - e2 * s * s) + (1 / (2 * e)) * Math.log((1 + e * s) / (1 - e * s));
  };
  return ((rad(dLng) * b2) / 2) * (q(lat2) - q(lat1));
};

describe('ellipsoidal area on CGCS2000 (domain/area.ts)', () => {
  it('a 0.001° cell at 兴庆区 (38.47°N) is M·Δφ·N·cosφ·Δλ, to 1e-7', () => {
    const hand = handArea(38.47, 0.001, 0.001);
    expect(hand).toBeGreaterThan(9600);
    expect(hand).toBeLessThan(9800);
    expect(Math.abs(areaM2(cell(106.28, 38.47, 0.001, 0.001)) - hand) / hand).toBeLessThan(1e-7);
  });

  it('a 0.01° cell at 蓬江区 (22.6°N) matches the authalic formula to 1e-6', () => {
    const exact = zoneArea(22.6, 22.61, 0.01);
    expect(Math.abs(areaM2(cell(113.07, 22.6, 0.01, 0.01)) - exact) / exact).toBeLessThan(1e-6);
  });

  it('counts a ring whichever way it turns, subtracts holes and sums a MultiPolygon', () => {
    const outer = cell(116, 36.4, 0.002, 0.002);
    const hole = cell(116.0005, 36.4005, 0.001, 0.001).coordinates[0];
    const reversed: Polygon = { type: 'Polygon', coordinates: [[...outer.coordinates[0]].reverse()] };
    expect(areaM2(reversed)).toBeCloseTo(areaM2(outer), 6);
    const withHole: Polygon = { type: 'Polygon', coordinates: [outer.coordinates[0], [...hole].reverse()] };
    const expected = handArea(36.4, 0.002, 0.002) - handArea(36.4005, 0.001, 0.001);
    expect(Math.abs(areaM2(withHole) - expected) / expected).toBeLessThan(1e-6);
    const multi = { type: 'MultiPolygon' as const, coordinates: [outer.coordinates, cell(116.01, 36.4, 0.001, 0.001).coordinates] };
    expect(areaM2(multi)).toBeCloseTo(areaM2(outer) + areaM2(cell(116.01, 36.4, 0.001, 0.001)), 4);
  });

  it('reports in mu (1 mu = 10000/15 m²)', () => {
    const g = cell(118.38, 24.96, 0.001, 0.001);
    expect(areaMu(g)).toBeCloseTo((areaM2(g) * 15) / 10000, 9);
  });

  it("differs from turf's spherical area by a few tenths of a percent at China's latitudes", () => {
    const diffs = [22.6, 24.96, 36.45, 38.47, 50].map((lat) => {
      const g = cell(110, lat, 0.001, 0.001);
      return (turfArea(g) - areaM2(g)) / areaM2(g);
    });
    for (const d of diffs) expect(Math.abs(d)).toBeLessThan(0.01);
    // The sphere of turf (R = 6371008.8 m) is not the ellipsoid: the difference changes with latitude.
    expect(Math.abs(diffs[0] - diffs[4])).toBeGreaterThan(0.001);
  });
});

describe('the import checks and the synthetic generator use it', () => {
  it("an imported feature's computed area is the ellipsoidal one, and a synthetic JCMJ is that area in m²", () => {
    const [feature] = syntheticFeatures({ n: 1, seed: 3, counties: ['640104'], areaErrorShare: 0, militaryShare: 0 });
    const geometry = feature.geometry as Polygon;
    const decision = validateFeature(
      { seq: 0, geometry, properties: { ...feature.properties, XZQDM: '640104' } },
      { mapping: PROVINCIAL_PRESET.mapping, crs: CGCS2000_CRS, regions: new Map([['640104', { code: '640104', level: 'county' }]]), actor: SYSTEM_ACTOR },
    );
    expect(decision.computedMu).toBe(areaMu(geometry));
    expect(decision.computedMu).not.toBe((turfArea(geometry) * 15) / 10000);
    expect(Number(feature.properties.JCMJ)).toBeCloseTo(areaM2(geometry), 1);
  });
});
