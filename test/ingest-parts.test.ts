/**
 * The pure parts of batch import: the GeoJSON splitter (whatever the chunk boundaries), the coordinate
 * system check, T+10, category names, dates and area units.
 */
import { describe, expect, it } from 'vitest';
import { categoryOf, isTruthyFlag } from '../domain/attribute-mapping';
import { t10Check, t10Columns } from '../domain/batches';
import { importOptionsSchema, resolveMapping } from '../domain/schemas/imports';
import { crsFromGeoJson, crsFromPrj, CrsError } from '../ingest/crs';
import { GeoJsonSplitter, GeoJsonSyntaxError } from '../ingest/geojson-splitter';
import { calendarDateOf } from '../ingest/validate';
import { PRJ } from '../scripts/synthetic/shapefile-writer';

function split(text: string, chunk: number) {
  const s = new GeoJsonSplitter();
  const out = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  s.end();
  return out;
}

describe('the GeoJSON splitter', () => {
  const f1 = {
    type: 'Feature',
    properties: { JCBH: 'A"}{]1', note: 'back\\slash \\" and ] [ }' },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [1, 2],
          [3, 4],
          [5, 6],
          [1, 2],
        ],
      ],
    },
  };
  const f2 = { type: 'Feature', properties: { 名称: '新增非农建设类' }, geometry: null };
  const collection = JSON.stringify(
    { type: 'FeatureCollection', name: 'x', crs: { type: 'name', properties: { name: 'EPSG:4490' } }, bbox: [1, 2, 3, 4], features: [f1, f2] },
    null,
    2,
  );

  it('yields each feature and the crs, whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 7, 64, collection.length]) {
      const events = split(collection, size);
      expect(events.filter((e) => e.kind === 'feature').map((e) => JSON.parse(e.text))).toEqual([f1, f2]);
      expect(JSON.parse(events.find((e) => e.kind === 'member' && e.key === 'crs')!.text)).toEqual({ type: 'name', properties: { name: 'EPSG:4490' } });
    }
  });

  it('reads newline-delimited features, RS-separated sequences and a lone feature', () => {
    expect(split(`${JSON.stringify(f1)}\n${JSON.stringify(f2)}\n`, 5).filter((e) => e.kind === 'feature')).toHaveLength(2);
    expect(split(`\u001e${JSON.stringify(f1)}\n\u001e${JSON.stringify(f2)}\n`, 5).filter((e) => e.kind === 'feature')).toHaveLength(2);
    expect(
      split(JSON.stringify(f1), 4)
        .filter((e) => e.kind === 'feature')
        .map((e) => JSON.parse(e.text)),
    ).toEqual([f1]);
  });

  it('refuses broken structure', () => {
    expect(() => split(collection.slice(0, -3), 10)).toThrow(GeoJsonSyntaxError);
    expect(() => split('[1,2]', 10)).toThrow(GeoJsonSyntaxError);
    expect(() => split('{"a":1}}', 10)).toThrow(GeoJsonSyntaxError);
  });
});

describe('the coordinate system check', () => {
  it('accepts CGCS2000 and WGS84 geographic, and CGCS2000 Gauss-Krüger in all its EPSG spellings', () => {
    expect(crsFromPrj(PRJ.cgcs2000).name).toBe('CGCS2000 经纬度');
    expect(crsFromPrj(PRJ.wgs84).name).toBe('WGS84 经纬度');
    expect(crsFromGeoJson(undefined).name).toBe('WGS84 经纬度'); // RFC 7946
    expect(crsFromGeoJson({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }).name).toBe('WGS84 经纬度');
    expect(crsFromGeoJson({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }).name).toBe('CGCS2000 经纬度');
    // EPSG:4527 = CGCS2000 3-degree GK zone 39, EPSG:4549 = 3-degree GK CM 120E, EPSG:4498 = 6-degree zone 20.
    const z39 = crsFromGeoJson({ type: 'name', properties: { name: 'EPSG:4527' } });
    const [lng, lat] = z39.toLngLat!([39_500_000, 4_000_000]);
    expect(lng).toBeCloseTo(117, 9);
    expect(lat).toBeCloseTo(36.13, 2);
    expect(crsFromGeoJson({ type: 'name', properties: { name: 'EPSG:4549' } }).toLngLat!([500_000, 3_000_000])[0]).toBeCloseTo(120, 9);
    expect(crsFromGeoJson({ type: 'name', properties: { name: 'EPSG:4498' } }).toLngLat!([20_500_000, 3_000_000])[0]).toBeCloseTo(117, 9);
    expect(crsFromPrj(PRJ.cgcs2000Gk3(39)).toLngLat!([39_500_000, 4_000_000])).toEqual([lng, lat]);
  });

  it('refuses other datums, projections and unknowns with a message naming them', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(CrsError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused(() => crsFromPrj(PRJ.xian80Gk3(39)))).toContain('大地基准 xian_1980');
    expect(
      refused(() =>
        crsFromPrj(
          PRJ.wgs84.replace('GCS_WGS_1984', 'GCS_Beijing_1954').replace('D_WGS_1984', 'D_Beijing_1954').replace('6378137.0,298.257223563', '6378245.0,298.3'),
        ),
      ),
    ).toContain('Beijing_1954');
    expect(refused(() => crsFromPrj(undefined))).toContain('缺少 .prj');
    expect(refused(() => crsFromGeoJson({ type: 'name', properties: { name: 'EPSG:3857' } }))).toContain('EPSG:3857');
    expect(refused(() => crsFromGeoJson({ type: 'link', properties: { href: 'x' } }))).toContain('无法识别');
  });
});

describe('T+10', () => {
  it('flags a batch issued later than imaging date + 10 days', () => {
    expect(t10Check('2026-03-01', '2026-03-11')).toEqual({ applies: true, dueOn: '2026-03-11', lateDays: 0, late: false });
    expect(t10Check('2026-03-01', '2026-03-12')).toEqual({ applies: true, dueOn: '2026-03-11', lateDays: 1, late: true });
    expect(t10Check('2026-02-25', '2026-03-10')).toEqual({ applies: true, dueOn: '2026-03-07', lateDays: 3, late: true });
  });
  it('binds monthly batches only: the annual supplementary and mineral batches are never late by it (000 二(一))', () => {
    expect(t10Check('2026-03-01', '2026-04-30', 'annual_supplementary')).toMatchObject({ applies: false, lateDays: 0, late: false });
    expect(t10Check('2026-03-01', '2026-04-30', 'mineral')).toMatchObject({ applies: false, late: false });
  });
  it('compares Shanghai calendar dates, not instants: T+10 at 15:00 is on time, T+11 just after midnight is late', () => {
    const imaged = new Date('2026-03-01T00:00:00+08:00');
    expect(t10Columns('monthly', imaged, new Date('2026-03-11T15:00:00+08:00'))).toEqual({ t10LateDays: 0, t10Late: false });
    expect(t10Columns('monthly', imaged, new Date('2026-03-11T23:59:00+08:00'))).toEqual({ t10LateDays: 0, t10Late: false }); // 15:59 UTC
    expect(t10Columns('monthly', imaged, new Date('2026-03-12T00:10:00+08:00'))).toEqual({ t10LateDays: 1, t10Late: true }); // still the 11th in UTC
    expect(t10Columns('annual_supplementary', imaged, new Date('2026-03-20T10:00:00+08:00'))).toEqual({ t10LateDays: 0, t10Late: false });
    expect(t10Columns('monthly', null, new Date())).toEqual({ t10LateDays: null, t10Late: false });
  });
});

describe('attribute values', () => {
  it("maps the notices' category names and variants to our categories", () => {
    expect(categoryOf('新增非农建设类')).toBe('new_non_agricultural_construction');
    expect(categoryOf(' 新增非农建设 ')).toBe('new_non_agricultural_construction');
    expect(categoryOf('年度内持续变化类')).toBe('continuous_change');
    expect(categoryOf('设施农用地类')).toBe('facility_agriculture');
    expect(categoryOf('other_change')).toBe('other_change');
    expect(categoryOf('1', { '1': 'mineral' })).toBe('mineral');
    expect(categoryOf('耕地类')).toBeUndefined();
  });

  it('reads dates and flags as provinces write them', () => {
    for (const v of ['20260315', '2026-03-15', '2026/3/15', '2026.03.15', '2026年3月15日', new Date(2026, 2, 15)]) expect(calendarDateOf(v)).toBe('2026-03-15');
    expect(calendarDateOf('2026-02-30')).toBeUndefined();
    expect([1, '1', '是', 'Y', true].every(isTruthyFlag)).toBe(true);
    expect([0, '0', '否', '', null].some(isTruthyFlag)).toBe(false);
  });

  it('takes the preset, then the unit and field overrides', () => {
    const o = importOptionsSchema.parse({ batchCode: 'B1', source: 'province', areaUnit: 'mu', mapping: { military: 'JYBS' } });
    expect(resolveMapping(o)).toMatchObject({ code: 'JCBH', countyCode: 'XZQDM', area: 'JCMJ', areaUnit: 'mu', military: 'JYBS', imagedAfter: 'HSX' });
    expect(resolveMapping(importOptionsSchema.parse({ batchCode: 'B1', source: 'province' })).areaUnit).toBe('m2');
  });
});
