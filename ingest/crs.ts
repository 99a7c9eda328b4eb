/**
 * Coordinate systems a batch may come in. Accepted: CGCS2000 and WGS84 geographic coordinates (taken as
 * they are: the two frames differ by centimetres, far below a patch's accuracy), and CGCS2000
 * Gauss-Krüger projections (3° and 6° zones, with or without the zone number in the false easting:
 * EPSG:4491–4554), reprojected to longitude/latitude with proj4. Anything else — other datums (Xi'an 80,
 * Beijing 54, which need transformation parameters we do not have), Web Mercator, UTM, unknown — is
 * rejected with a message naming what was found.
 */
import proj4 from 'proj4';

export type Position = [number, number];

export interface Crs {
  /** What the file declared, as understood, in Chinese and English. */
  name: string;
  nameEn: string;
  /** Projected coordinates → [lng, lat]; absent for geographic coordinates. */
  toLngLat?: (xy: Position) => Position;
}

export class CrsError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
  }
}

const ACCEPTED = '仅接受 CGCS2000 或 WGS84 经纬度坐标，或 CGCS2000 高斯-克吕格投影坐标（3°/6° 分带）';
const ACCEPTED_EN = 'only CGCS2000 or WGS84 geographic coordinates, or CGCS2000 Gauss-Krüger projected coordinates (3°/6° zones), are accepted';

export const WGS84: Crs = { name: 'WGS84 经纬度', nameEn: 'WGS84 geographic' };
export const CGCS2000: Crs = { name: 'CGCS2000 经纬度', nameEn: 'CGCS2000 geographic' };

/** A CGCS2000 Gauss-Krüger projection: central meridian in degrees, false easting in metres. */
export function gaussKruger(centralMeridian: number, falseEasting: number, zoneWidth?: 3 | 6): Crs {
  const def = `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`;
  const converter = proj4(def, 'WGS84');
  const zone = falseEasting > 1_000_000 ? Math.floor(falseEasting / 1_000_000) : undefined;
  return {
    name: `CGCS2000 ${zoneWidth ? `${zoneWidth}° 分带` : ''}高斯-克吕格投影（中央经线 ${centralMeridian}°E${zone ? `，${zone} 带` : ''}）`,
    nameEn: `CGCS2000 ${zoneWidth ? `${zoneWidth}-degree ` : ''}Gauss-Krüger (central meridian ${centralMeridian}°E${zone ? `, zone ${zone}` : ''})`,
    toLngLat: (xy) => converter.forward(xy) as Position,
  };
}

/** The projection for an EPSG code of the CGCS2000 family, or undefined. */
export function cgcs2000ByEpsg(code: number): Crs | undefined {
  if (code === 4490) return CGCS2000;
  if (code === 4326) return WGS84;
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return gaussKruger(zone * 6 - 3, zone * 1_000_000 + 500_000, 6);
  }
  if (code >= 4502 && code <= 4512) return gaussKruger((code - 4502) * 6 + 75, 500_000, 6);
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return gaussKruger(zone * 3, zone * 1_000_000 + 500_000, 3);
  }
  if (code >= 4534 && code <= 4554) return gaussKruger((code - 4534) * 3 + 75, 500_000, 3);
  return undefined;
}

/**
 * The `crs` member of a GeoJSON file (GeoJSON 2008; RFC 7946 dropped it: without one, coordinates are
 * WGS84 longitude/latitude). Understood: named EPSG codes in any of the usual spellings and OGC CRS84.
 */
export function crsFromGeoJson(member: unknown): Crs {
  if (member === undefined || member === null) return WGS84;
  const m = member as { type?: string; properties?: { name?: unknown; code?: unknown } };
  let name: string | undefined;
  if (m.type === 'name' && typeof m.properties?.name === 'string') name = m.properties.name;
  else if (m.type === 'EPSG' && m.properties?.code !== undefined) name = `EPSG:${String(m.properties.code)}`;
  if (!name)
    throw new CrsError(
      `无法识别 GeoJSON 的 crs 声明：${JSON.stringify(member).slice(0, 120)}；${ACCEPTED}`,
      `unrecognised GeoJSON crs member: ${JSON.stringify(member).slice(0, 120)}; ${ACCEPTED_EN}`,
    );
  if (/CRS:?84$/i.test(name)) return WGS84;
  const epsg = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name);
  const crs = epsg ? cgcs2000ByEpsg(Number(epsg[1])) : undefined;
  if (!crs) throw new CrsError(`坐标系 ${name} 不受支持：${ACCEPTED}`, `coordinate system ${name} is not supported: ${ACCEPTED_EN}`);
  return crs;
}

interface ParsedProjection {
  projName?: string;
  datumCode?: string;
  a?: number;
  rf?: number;
  long0?: number;
  lat0?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  to_meter?: number;
  units?: string;
  name?: string;
}

const near = (a: number | undefined, b: number, eps = 1e-9) => a !== undefined && Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

/** Which of the accepted frames a parsed datum is: CGCS2000, WGS84, or neither. */
function frameOf(p: ParsedProjection): 'CGCS2000' | 'WGS84' | undefined {
  const datum = (p.datumCode ?? '').toLowerCase();
  if (!near(p.a, 6378137)) return undefined;
  if (/china.*2000|cgcs.?2000/.test(datum) && near(p.rf, 298.257222101)) return 'CGCS2000';
  if (/^wgs_?84$|wgs_1984|world_geodetic_system_1984/.test(datum) && near(p.rf, 298.257223563)) return 'WGS84';
  return undefined;
}

/** The coordinate system of a shapefile's .prj (OGC or Esri WKT). */
export function crsFromPrj(wkt: string | undefined): Crs {
  if (!wkt?.trim()) {
    throw new CrsError(`缺少 .prj 坐标系文件，无法确定坐标系：${ACCEPTED}`, `the .prj file is missing, so the coordinate system is unknown: ${ACCEPTED_EN}`);
  }
  const title = (/^\s*(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt)?.[1] ?? wkt.slice(0, 60)).trim();
  const unsupported = (why: string, whyEn: string) =>
    new CrsError(`坐标系“${title}”不受支持（${why}）：${ACCEPTED}`, `coordinate system "${title}" is not supported (${whyEn}): ${ACCEPTED_EN}`);
  let p: ParsedProjection;
  try {
    p = new (proj4 as unknown as { Proj: new (def: string) => ParsedProjection }).Proj(wkt.trim());
  } catch (err) {
    throw unsupported(`无法解析：${(err as Error).message}`, `cannot parse: ${(err as Error).message}`);
  }
  const frame = frameOf(p);
  if (!frame) throw unsupported(`大地基准 ${p.datumCode ?? '未知'}`, `datum ${p.datumCode ?? 'unknown'}`);
  const projName = (p.projName ?? '').toLowerCase();
  if (projName === 'longlat') return frame === 'CGCS2000' ? CGCS2000 : WGS84;
  if (frame !== 'CGCS2000') throw unsupported(`WGS84 投影坐标 ${p.projName}`, `WGS84 projected coordinates ${p.projName}`);
  if (!/gauss|transverse_mercator|tmerc/.test(projName)) throw unsupported(`投影方式 ${p.projName}`, `projection ${p.projName}`);
  const cm = ((p.long0 ?? NaN) * 180) / Math.PI;
  const cmRounded = Math.round(cm);
  const fe = p.x0 ?? NaN;
  const standard =
    near(p.k0, 1) &&
    near(p.lat0 ?? 0, 0) &&
    near(p.y0 ?? 0, 0) &&
    (p.to_meter === undefined || near(p.to_meter, 1)) &&
    Math.abs(cm - cmRounded) < 1e-6 &&
    cmRounded % 3 === 0 &&
    cmRounded >= 72 &&
    cmRounded <= 138;
  if (!standard) throw unsupported('非标准的高斯-克吕格参数', 'non-standard Gauss-Krüger parameters');
  // Without the zone number the width is ambiguous (117°E is a 3° and a 6° central meridian) and irrelevant.
  if (near(fe, 500_000)) return gaussKruger(cmRounded, 500_000);
  const zone = Math.floor(fe / 1_000_000);
  if (near(fe, zone * 1_000_000 + 500_000)) {
    if (zone * 3 === cmRounded) return gaussKruger(cmRounded, fe, 3);
    if (zone * 6 - 3 === cmRounded) return gaussKruger(cmRounded, fe, 6);
  }
  throw unsupported(`东偏移 ${fe} 与中央经线 ${cmRounded}° 不对应`, `false easting ${fe} does not fit central meridian ${cmRounded}°`);
}
