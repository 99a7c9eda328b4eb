/** Shapes whose areas are computed by hand on the CGCS2000 ellipsoid, for the area and overlay tests. */
import type { Polygon } from 'geojson';
import { CGCS2000 } from '../../domain/area';

const { a, f } = CGCS2000;
export const e2 = f * (2 - f);
export const rad = (deg: number) => (deg * Math.PI) / 180;
/** Meridian radius M and prime-vertical radius N at latitude φ. */
export const M = (phi: number) => (a * (1 - e2)) / (1 - e2 * Math.sin(rad(phi)) ** 2) ** 1.5;
export const N = (phi: number) => a / Math.sqrt(1 - e2 * Math.sin(rad(phi)) ** 2);

/** A cell of dLng × dLat degrees whose south-west corner is (lng, lat). */
export const cell = (lng: number, lat: number, dLng: number, dLat: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + dLng, lat],
      [lng + dLng, lat + dLat],
      [lng, lat + dLat],
      [lng, lat],
    ],
  ],
});

/** By hand: M·Δφ × N·cosφ·Δλ at the cell's middle latitude (exact to (Δφ)², ~1e-8 for a 100 m cell), in m². */
export const handArea = (lat: number, dLng: number, dLat: number) => {
  const mid = lat + dLat / 2;
  return M(mid) * rad(dLat) * N(mid) * Math.cos(rad(mid)) * rad(dLng);
};

export const handMu = (lat: number, dLng: number, dLat: number) => (handArea(lat, dLng, dLat) * 15) / 10000;
