/** A patch's imagery (GET /api/patches/:code/imagery): before/after rasters and its region's imagery services. */
import { useQuery } from '@tanstack/react-query';
import { sessionToken } from '../authProvider';
import { httpClient } from '../dataProvider';

export interface ImageryRaster {
  id: number;
  phase: 'before' | 'after';
  format: string;
  imagedAt: string | null;
  bounds: [number, number, number, number];
  source: string | null;
  url: string;
  /** A tile archive's (PMTiles, MBTiles) zoom levels and tiles route ({z}/{x}/{y}); absent for a GeoTIFF. */
  minZoom?: number | null;
  maxZoom?: number | null;
  tiles?: string;
}

export interface ImageryService {
  name: string;
  url: string;
  attribution: string;
  subdomains?: string;
  phase: 'before' | 'after' | 'both';
  /** 天地图's key, for {tk} in the URL. */
  key?: string;
}

export interface PatchImageryAnswer {
  patchCode: string;
  centre: [number, number] | null;
  before: ImageryRaster[];
  after: ImageryRaster[];
  services: ImageryService[];
}

export function usePatchImagery(patchCode: string | undefined) {
  return useQuery({
    queryKey: ['patch-imagery', patchCode],
    queryFn: async () => (await httpClient(`/api/patches/${encodeURIComponent(patchCode!)}/imagery`)).json as PatchImageryAnswer,
    enabled: Boolean(patchCode),
    staleTime: 60_000,
    retry: false,
  });
}

/** The session's bearer header, for the range requests geotiff.js makes (the token never goes into a URL). */
export const authHeaders = () => ({ Authorization: `Bearer ${sessionToken() ?? ''}` });
