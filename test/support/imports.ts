/** Building batch files and uploading them to the import API in tests. */
import { areaM2 } from '../../domain/area';
import { irregularPolygon, rng } from '../../scripts/synthetic/batch';
import { COUNTY_SEATS } from '../../scripts/synthetic/county-seats';
import { eventually, type TestSystem } from './system';

export interface TestFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: number[][][] } | null;
  properties: Record<string, string | number>;
}

const random = rng(7);

/** A valid patch in the provincial schema near the county's seat; JCMJ is the polygon's area in m². */
export function provincialFeature(code: string, county = '640104', over: Record<string, string | number> = {}, areaMu = 3): TestFeature {
  const [lng, lat] = COUNTY_SEATS[county] ?? COUNTY_SEATS['640104'];
  const coordinates = irregularPolygon(random, lng + (random() - 0.5) * 0.1, lat + (random() - 0.5) * 0.1, (areaMu * 10000) / 15);
  const m2 = areaM2({ type: 'Polygon', coordinates });
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates },
    properties: {
      JCBH: code,
      XZQDM: county,
      TBLX: '新增非农建设类',
      JCMJ: Math.round(m2 * 100) / 100,
      QSX: '2026-01-10',
      HSX: '2026-02-27',
      SFJY: '0',
      ...over,
    },
  };
}

export const featureCollection = (features: TestFeature[], crs?: string) =>
  JSON.stringify({ type: 'FeatureCollection', ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}), features });

/** POST /api/imports as multipart, the way a browser form sends it. */
export async function uploadBatch(
  sys: TestSystem,
  token: string,
  file: { bytes: Buffer | string; name: string },
  fields: Record<string, string>,
  lang = 'zh-CN',
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes)]), file.name);
  const res = await fetch(`${sys.baseUrl}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'accept-language': lang }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls the job until it is completed (or failed), collecting the progress seen on the way. */
export async function waitForImport(sys: TestSystem, token: string, id: string, timeoutMs = 90_000) {
  const seen: number[] = [];
  const job = await eventually(
    async () => {
      const res = await sys.http('GET', `/api/imports/${id}`, { token });
      if (res.status !== 200) throw new Error(`GET import ${res.status}`);
      seen.push(res.body.processed);
      if (res.body.status === 'failed') throw new Error(`import failed: ${res.body.error}`);
      return res.body.status === 'completed' ? res.body : undefined;
    },
    timeoutMs,
    200,
  );
  return { job, seen };
}
