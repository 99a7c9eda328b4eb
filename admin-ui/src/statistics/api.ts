/** The statistics and report endpoints, with the session token. */
import { HttpError } from 'react-admin';
import { sessionToken } from '../authProvider';
import { httpClient, uiLanguage } from '../dataProvider';

export type { AreaCount, Figures } from '../../../domain/statistics';
import type { Figures } from '../../../domain/statistics';

export type { Ranking } from '../../../domain/statistics';
import type { Ranking } from '../../../domain/statistics';

export interface RegionStatistics {
  regionCode: string;
  from: string;
  to: string;
  rectifiedBy: string | null;
  figures: Figures;
  quota: Array<{ account: string; frozenMu: number; unfrozenMu: number; deductedMu: number }>;
  children: Array<{ regionCode: string; figures: Figures }>;
  rankings?: { cities?: Ranking; counties?: Ranking };
}

export async function fetchStatistics(params: { regionCode: string; from: string; to: string; source?: string }): Promise<RegionStatistics> {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as Array<[string, string]>);
  const { json } = await httpClient(`/api/statistics?${query}`);
  return json as RegionStatistics;
}

/** Downloads a report file (the API sends it as an attachment with its Chinese file name). */
export async function downloadReport(
  kind: 'half-year' | 'annual',
  params: { regionCode: string; year: number; format: 'xlsx' | 'csv'; sheet?: string; source?: string },
) {
  const query = new URLSearchParams({
    regionCode: params.regionCode,
    year: String(params.year),
    format: params.format,
    ...(params.sheet ? { sheet: params.sheet } : {}),
    // 部卫片 and 省卫片 are reported separately (004 二(二)): the report follows the page's source.
    ...(params.source ? { source: params.source } : {}),
  });
  await saveAttachment(`/api/reports/${kind}?${query}`, `report.${params.format}`);
}

/** Fetches a file the API sends as an attachment and saves it under the name it gives (its Chinese file name). */
async function saveAttachment(path: string, fallbackName: string): Promise<Headers> {
  const res = await fetch(path, {
    headers: { Authorization: `Bearer ${sessionToken() ?? ''}`, 'Accept-Language': uiLanguage() },
  });
  if (!res.ok) throw new HttpError((await res.json().catch(() => ({}))).message ?? res.statusText, res.status);
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return res.headers;
}

/** The export for upload (成果上报): a region's (for a period) or a batch's patches as GeoPackage or zipped shapefile. */
/** Answers how many military patches were left out, when the user holds the classified permission (else undefined). */
export async function downloadExport(params: {
  format: 'gpkg' | 'shp';
  regionCode?: string;
  batchCode?: string;
  from?: string;
  to?: string;
}): Promise<number | undefined> {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v) as Array<[string, string]>);
  const headers = await saveAttachment(`/api/exports/patches?${query}`, `export.${params.format === 'gpkg' ? 'gpkg' : 'zip'}`);
  const withheld = headers.get('x-military-withheld');
  return withheld === null ? undefined : Number(withheld);
}
