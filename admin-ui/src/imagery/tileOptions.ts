/**
 * A region's imagery service as Leaflet tile-layer options: {s} from its subdomains, {tk} its 天地图 key, and
 * WMTS's {TileMatrix}/{TileCol}/{TileRow} as the tile's z/x/y (Leaflet fills a template's other names from
 * the layer's options, calling those that are functions with the tile's coordinates).
 */
import type { ImageryService } from './api';

type Coords = { x: number; y: number; z: number };

/** WMTS's names for a tile's z/x/y. */
const WMTS_NAMES = { TileMatrix: (c: Coords) => c.z, TileCol: (c: Coords) => c.x, TileRow: (c: Coords) => c.y };

export function tileLayerProps(s: Pick<ImageryService, 'url' | 'attribution' | 'subdomains' | 'key'>) {
  return {
    url: s.url,
    attribution: s.attribution,
    subdomains: s.subdomains || 'abc',
    tk: s.key ?? '',
    ...WMTS_NAMES,
  };
}
